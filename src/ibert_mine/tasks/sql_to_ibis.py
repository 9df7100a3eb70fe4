"""sql_to_ibis: SQL -> Ibis code that computes the same rows.

Origins (``meta.origin``):

- ``readable_sql``: the DuckDB SQL the compiler gave for a mined Ibis program, rewritten
  to read like hand-written SQL (:mod:`ibert_mine.snippets.readable`), paired with the
  original, human-written Ibis program. Kept only when the rewritten SQL returned the same
  non-empty rows as the Ibis program on synthetic tables.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ibert_mine.config import Config
from ibert_mine.schema import Example
from ibert_mine.snippets.site import ProgramSite, tables_context
from ibert_mine.tasks.base import Reject

NAME = "sql_to_ibis"
USES_PROGRAMS = True


def examples(
    site: ProgramSite, outcome: dict[str, Any], config: Config
) -> Iterator[Example | Reject]:
    """The readable-SQL example of a program, when its SQL was verified by execution."""
    if not outcome.get("executed"):
        why = str(outcome.get("reason") or "unknown").split(":")[0]
        yield Reject(f"not_executed:{why}")
        return
    readable = outcome.get("readable")
    if not readable:
        yield Reject("readable_sql_differs")
        return
    meta = {
        **site.meta,
        "origin": "readable_sql",
        "program_origin": site.meta["origin"],
        "verified": ["executed:duckdb"],
    }
    yield Example.create(
        NAME,
        site.source,
        {"sql": readable, "dialect": "duckdb"},
        {"ibis": site.program.code},
        meta,
        context=tables_context(outcome["schemas"]),
    )
