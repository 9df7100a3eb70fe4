"""Hand-written SQL found again at its provenance (a ``validate`` check).

A ``human_sql`` example quotes its SQL from the source: a TPC query file
(``meta.sql_path``), a SQL cell, or a string literal passed to ``.sql(...)`` at
``meta.path`` / ``meta.lines``. The check reads the file again and looks for the SQL there:
the whole file for a query file; for a literal, among the values of the string literals
in its lines (escapes decoded, adjacent literals joined, doctest prompts set aside); for
a cell, as text within its lines up to blank space. A notebook's lines are cell numbers:
there every code cell is searched.
"""

from __future__ import annotations

import ast
import io
import re
import textwrap
import tokenize
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from ibert_mine.programs.human_sql import clean_sql
from ibert_mine.sources.files import decode
from ibert_mine.sources.pages import code_cells

_PROMPT = re.compile(r"^\s*(>>>|\.\.\.)(?= |$)", re.MULTILINE)
_BLANK = re.compile(r"[\s\\]+")


@lru_cache(maxsize=64)
def _read(path: Path, stamp: tuple[int, int]) -> str | None:
    """The text of ``path`` (``stamp``: its mtime and size, so a changed file is re-read)."""
    try:
        text = decode(path.read_bytes(), path.name)
    except OSError:
        return None
    return text if isinstance(text, str) else None


def _text(base: Path, rel: str) -> str | None:
    full = base / rel
    try:
        stat = full.stat()
    except OSError:
        return None
    return _read(full, (stat.st_mtime_ns, stat.st_size))


def check_sql_provenance(record: dict[str, Any], bases: Mapping[str, Path]) -> str | None:
    """'' when a ``human_sql`` example's SQL is found at its provenance (or the example
    quotes no SQL), a reason when not, None when it cannot be checked (the source folder
    or the file is not there)."""
    meta = record["meta"]
    if meta.get("sql_author") != "human":
        return ""  # compiled SQL is not quoted from the source
    base = bases.get(record["source"])
    if base is None:
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
    how = meta.get("sql_found_in")
    if meta["path"].endswith(".ipynb"):  # lines are cell numbers: look in every code cell
        regions = [c.source for c in code_cells(text, meta["path"])]
        where = meta["path"]
    else:
        first, last = meta["lines"]
        regions = ["\n".join(text.split("\n")[first - 1 : last])]
        where = f"{meta['path']}:{first}-{last}"
    if not any(_found(sql, region, how) for region in regions):
        return f"sql_to_ibis: the SQL is not at {where}"
    return ""


def _found(sql: str, region: str, how: str | None) -> bool:
    """True when ``sql`` is in ``region``: as a string literal's value for ``sql_string``
    (escapes decoded, adjacent literals joined), else as text up to blank space."""
    region = _PROMPT.sub("", region)
    if how == "sql_string":
        return sql in _literals(textwrap.dedent(region))
    return _BLANK.sub("", sql) in _BLANK.sub("", region)


def _literals(code: str) -> set[str]:
    """The cleaned values of the string literals in ``code`` (a fragment may be cut
    mid-statement: what tokenizes is used)."""
    values: set[str] = set()
    run: list[str] = []
    tokens = tokenize.generate_tokens(io.StringIO(code).readline)
    try:
        for token in tokens:
            if token.type == tokenize.STRING:
                run.append(token.string)
            elif token.type not in {tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT} and run:
                values.add(_value(run))
                run = []
    except (tokenize.TokenError, SyntaxError, IndentationError):
        pass
    if run:
        values.add(_value(run))
    return values


def _value(run: list[str]) -> str:
    try:
        value = ast.literal_eval(" ".join(run))
    except (ValueError, SyntaxError):
        return ""
    return clean_sql(value) if isinstance(value, str) else ""
