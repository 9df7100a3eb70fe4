"""A documentation example's docstring, found again at its provenance (a ``validate`` check)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from ibert_mine.sources.files import decode
from ibert_mine.sources.provenance import Provenance
from ibert_mine.sources.python import parse_module


@lru_cache(maxsize=64)
def _parsed_file(path: Path, rel: str, stamp: tuple[int, int]) -> Any:
    """The parsed file; ``stamp`` (mtime, size) makes a changed file parse again."""
    try:
        text = decode(path.read_bytes(), rel)
    except OSError:
        return None
    if not isinstance(text, str):
        return None
    unit = parse_module(text, Provenance("validate", rel))
    return unit if hasattr(unit, "definitions") else None


def check_doc_provenance(record: dict[str, Any], bases: Mapping[str, Path]) -> str | None:
    """'' when the docstring is found at its provenance, a reason when not, None if unknown."""
    meta = record["meta"]
    base = bases.get(record["source"])
    if base is None or "path" not in meta or "lines" not in meta:
        return None
    full = base / meta["path"]
    if not full.exists():
        return None
    stat = full.stat()
    unit = _parsed_file(full, meta["path"], (stat.st_mtime_ns, stat.st_size))
    if unit is None:
        return f"documentation: {meta['path']} no longer parses"
    docstring = record["target"]["docstring"]
    section = record["input"].get("section")
    for d in unit.definitions:
        if d.start != meta["lines"][0] or not d.docstring:
            continue
        if (docstring in d.docstring) if section else (d.docstring == docstring):
            return ""
    return f"documentation: docstring not found at {meta['path']}:{meta['lines'][0]}"
