"""Atomic writes: a temp file in the same folder, then ``os.replace``.

An interrupted run leaves the previous file whole: the new one only appears once
it has been written and flushed entirely.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ibert_mine.core.example import Example


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_lines_atomic(path: Path, lines: Iterable[str]) -> int:
    """Write ``lines`` (each without newline) to ``path`` atomically; return the line count."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    count = 0
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            for line in lines:
                fh.write(line)
                fh.write("\n")
                count += 1
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the usual mode
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return count


def write_examples(path: Path, examples: Iterable[Example]) -> int:
    """Write examples as JSONL, atomically."""
    return write_lines_atomic(path, (e.to_json() for e in examples))


def write_json_atomic(path: Path, value: Any) -> None:
    """Write one JSON document (indented, sorted keys) atomically."""
    text = json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False)
    write_lines_atomic(path, [text])
