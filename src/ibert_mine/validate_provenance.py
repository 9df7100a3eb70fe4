"""Hand-written SQL found again at its provenance (a ``validate`` check).

A ``human_sql`` example quotes its SQL from the source: a TPC query file
(``meta.sql_path``), a SQL cell, or a string literal passed to ``.sql(...)`` at
``meta.path`` / ``meta.lines``. The check reads the file again and looks for the SQL there:
the whole file for a query file; within the lines, with doctest prompts, whitespace and
backslashes (string escapes) set aside, for a cell or a literal.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from ibert_mine.snippets.human_sql import clean_sql

_PROMPT = re.compile(r"^\s*(>>>|\.\.\.)(?= |$)", re.MULTILINE)
_BLANK = re.compile(r"[\s\\]+")


@lru_cache(maxsize=64)
def _read(path: Path, stamp: tuple[int, int]) -> str | None:
    """The text of ``path`` (``stamp``: its mtime and size, so a changed file is re-read)."""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _text(base: Path, rel: str) -> str | None:
    full = base / rel
    try:
        stat = full.stat()
    except OSError:
        return None
    return _read(full, (stat.st_mtime_ns, stat.st_size))


def check_sql_provenance(record: dict[str, Any], bases: dict[str, Path]) -> str | None:
    """'' when a ``human_sql`` example's SQL is found at its provenance, a reason when
    not, None when it cannot be checked (the source folder or the file is not there)."""
    meta = record["meta"]
    base = bases.get(record["source"])
    if base is None or meta.get("origin") != "human_sql":
        return None
    sql = record["input"]["sql"]
    if meta.get("sql_path"):
        text = _text(base, meta["sql_path"])
        if text is None:
            return None
        if clean_sql(text) != sql:
            return f"sql_to_ibis: the SQL differs from {meta['sql_path']}"
        return ""
    if "path" not in meta or "lines" not in meta:
        return None
    text = _text(base, meta["path"])
    if text is None:
        return None
    first, last = meta["lines"]
    region = "\n".join(text.split("\n")[first - 1 : last])
    if _BLANK.sub("", sql) not in _BLANK.sub("", _PROMPT.sub("", region)):
        return f"sql_to_ibis: the SQL is not at {meta['path']}:{first}-{last}"
    return ""
