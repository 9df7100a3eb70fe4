"""sql_to_ibis: SQL -> Ibis code that computes the same rows.

Origins (``meta.origin``):

- ``human_sql``: hand-written SQL found beside its Ibis version (the TPC-H queries of an
  Ibis checkout, :mod:`ibert_mine.snippets.tpc`), kept when both return the same
  non-empty rows on synthetic tables seeded with the query's literals. Also SQL passed
  to ``.sql("...")`` in code and docs, and SQL cells of docs pages
  (:mod:`ibert_mine.snippets.human_sql`): paired with the nearest human Ibis program of
  the same session that returns the same rows (``meta.ibis_from: "program"``), else with
  Ibis decompiled from the SQL that does (``"decompiled"``).
- ``decompiled``: for the same readable SQL, Ibis recovered from it with
  ``ibis.parse_sql`` + ``ibis.decompile`` (:mod:`ibert_mine.snippets.decompile`), kept when
  it returns the same rows as the original program on the same synthetic tables.
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
from ibert_mine.snippets.site import ProgramSite, SqlSite, tables_context
from ibert_mine.tasks.base import Reject

NAME = "sql_to_ibis"
USES_PROGRAMS = True


def examples(
    site: ProgramSite, outcome: dict[str, Any], config: Config
) -> Iterator[Example | Reject]:
    """The human-SQL and readable-SQL examples of a program, each verified by execution."""
    if site.human_sql is not None:
        human = outcome.get("human") or {}
        if human.get("executed"):
            yield _example(site, outcome, site.human_sql, "human_sql")
        else:
            yield Reject(f"human_sql_not_executed:{_why(human)}")
    if not outcome.get("executed"):
        yield Reject(f"not_executed:{_why(outcome)}")
    elif not outcome.get("readable"):
        yield Reject("readable_sql_differs")
    else:
        yield _example(site, outcome, outcome["readable"], "readable_sql")
        if outcome.get("decompiled"):
            yield _example(site, outcome, outcome["readable"], "decompiled", outcome["decompiled"])
        else:
            yield Reject("not_decompiled")


def _why(outcome: dict[str, Any]) -> str:
    """The reason an execution did not count, without its details."""
    return str(outcome.get("reason") or "unknown").split(":")[0]


def _example(
    site: ProgramSite, outcome: dict[str, Any], sql: str, origin: str, code: str | None = None
) -> Example:
    """The (DuckDB SQL -> Ibis program) example, both sides executed to the same rows.

    ``code`` is the Ibis side when it is not the mined program (decompiled from the SQL).
    """
    meta = {
        **site.meta,
        "origin": origin,
        "program_origin": site.meta["origin"],
        "verified": ["executed:duckdb"],
    }
    return Example.create(
        NAME,
        site.source,
        {"sql": sql, "dialect": "duckdb"},
        {"ibis": code or site.program.code},
        meta,
        context=tables_context(outcome["schemas"]),
    )


def human_example(site: SqlSite, outcome: dict[str, Any]) -> Example | Reject:
    """The example of hand-written SQL paired (by execution) with Ibis, or why not."""
    if not outcome.get("executed"):
        return Reject(f"human_sql_not_executed:{_why(outcome)}")
    meta = {**site.meta, "verified": ["executed:duckdb"]}
    index = outcome.get("index")
    if index is None:
        meta["ibis_from"] = "decompiled"
    else:
        meta["ibis_from"] = "program"
        meta["ibis_lines"] = list(site.human.candidates[index][1])
    text = site.human.text
    return Example.create(
        NAME,
        site.source,
        {"sql": text.sql, "dialect": text.dialect},
        {"ibis": outcome["ibis"]},
        meta,
        context=tables_context(outcome["schemas"]),
    )
