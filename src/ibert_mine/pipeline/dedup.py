"""Exact deduplication within a task: same id, or same content up to whitespace."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from ibert_mine.core.example import Example, canonical_json

_SPACE = re.compile(r"\s+")


def _squash(value: Any) -> Any:
    if isinstance(value, str):
        return _SPACE.sub(" ", value).strip()
    if isinstance(value, dict):
        return {k: _squash(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_squash(v) for v in value]
    return value


def normalised_key(example: Example) -> str:
    """The example's (task, input, target) with every run of whitespace folded to one space."""
    return canonical_json(_squash([example.task, dict(example.input), dict(example.target)]))


def dedup(examples: Iterable[Example]) -> tuple[list[Example], int]:
    """Keep the first of each group of equal examples (in input order); return (kept, dropped)."""
    seen: set[str] = set()
    kept: list[Example] = []
    dropped = 0
    for example in examples:
        key = normalised_key(example)
        if key in seen:
            dropped += 1
            continue
        seen.add(key)
        kept.append(example)
    return kept, dropped
