"""ibis_to_sql: an Ibis program -> the SQL the Ibis compiler gives for it, per dialect.

The program is found by :mod:`ibert_mine.snippets.extract` and run once in the sandbox
(:mod:`ibert_mine.snippets.verify`). Every dialect whose SQL the compiler produced and
sqlglot parses back gives one example. ``meta.verified`` lists the checks passed:
``compiled``, ``parsed:<dialect>``, ``executed:duckdb`` when the DuckDB SQL returned the
same (non-empty) rows as the Ibis program on synthetic tables, and ``snapshot`` when the
program is checked by a compiler snapshot test whose file (``meta.snapshot``) equals the
recompiled SQL of that dialect. A program whose DuckDB SQL runs to an error or returns
other rows than the program is rejected; one that only ever returns empty results (or has
no DuckDB SQL) is kept as compile-verified.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ibert_mine.config import Config
from ibert_mine.schema import Example
from ibert_mine.snippets.site import ProgramSite, tables_context
from ibert_mine.tasks.base import Reject

NAME = "ibis_to_sql"
USES_PROGRAMS = True


def examples(
    site: ProgramSite, outcome: dict[str, Any], config: Config
) -> Iterator[Example | Reject]:
    """One example per dialect the program compiled to."""
    reason = str(outcome.get("reason", ""))
    if reason.startswith(("results_differ", "execution_error")):
        # the two sides disagree, or the pair runs to an error, on the example's own data
        yield Reject(reason.split(":")[0])
        return
    snapshot_dialect = _snapshot_dialect(site, outcome)
    if site.snapshot_sql is not None and snapshot_dialect is None:
        yield Reject("snapshot_differs")  # counted; the compiled pairs stand on their own
    for dialect in config.dialects:
        if dialect in outcome["failed"]:
            yield Reject(f"compile_failed:{dialect}")
            continue
        sql = outcome["sql"].get(dialect)
        if sql is None:
            continue
        verified = ["compiled", f"parsed:{dialect}"]
        if outcome.get("executed"):
            verified.append("executed:duckdb")
        meta = {**site.meta, "verified": verified}
        if dialect == snapshot_dialect:
            verified.append("snapshot")  # equal to the test's snapshot file (meta.snapshot)
        else:
            meta.pop("snapshot", None)
        yield Example.create(
            NAME,
            site.source,
            {"ibis": site.program.code, "dialect": dialect},
            {"sql": sql},
            meta,
            context=tables_context(outcome["schemas"]),
        )


def _snapshot_dialect(site: ProgramSite, outcome: dict[str, Any]) -> str | None:
    """The dialect whose recompiled SQL equals the test's snapshot file, if any."""
    if site.snapshot_sql is None:
        return None
    expected = site.snapshot_sql.strip()
    return next((d for d, sql in outcome["sql"].items() if sql.strip() == expected), None)
