"""sql_to_ibis: SQL -> Ibis code that computes the same rows.

Origins (``meta.origin``):

- ``human_sql``: hand-written SQL found beside its Ibis version (the TPC-H queries of an
  Ibis checkout, :mod:`ibert_mine.snippets.tpc`), kept when both return the same
  non-empty rows on synthetic tables seeded with the query's literals.
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
    """The human-SQL and readable-SQL examples of a program, each verified by execution."""
    if site.human_sql is not None:
        yield _human_example(site, outcome)
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


def _human_example(site: ProgramSite, outcome: dict[str, Any]) -> Example | Reject:
    human = outcome.get("human") or {}
    if not human.get("executed"):
        why = str(human.get("reason") or "unknown").split(":")[0]
        return Reject(f"human_sql_not_executed:{why}")
    meta = {
        **site.meta,
        "origin": "human_sql",
        "program_origin": site.meta["origin"],
        "verified": ["executed:duckdb"],
    }
    return Example.create(
        NAME,
        site.source,
        {"sql": site.human_sql, "dialect": "duckdb"},
        {"ibis": site.program.code},
        meta,
        context=tables_context(outcome["schemas"]),
    )
