"""The progress hook the pipeline calls: it wraps a stream of results, the CLI draws a bar."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

# (stream, total, label) -> the same stream, shown as it is consumed
Progress = Callable[[Iterable[Any], int, str], Iterable[Any]]
