"""ibis_to_sql: an Ibis program -> the SQL the Ibis compiler gives for it, per dialect.

The program is found by :mod:`ibert_mine.programs` and run once in the sandbox
(:mod:`ibert_mine.execution.verify`) as a job of the shared ``programs`` stage
(:mod:`ibert_mine.tasks.program_jobs`). Every dialect whose SQL the compiler produced and
sqlglot parses back gives one example. ``meta.verified`` lists the checks passed:
``compiled``, ``parsed:<dialect>``, ``executed:duckdb`` when the DuckDB SQL returned the
same (non-empty) rows as the Ibis program on synthetic tables whose data kills the
program's mutants (``meta.mutants``; else the tag ``weak_evidence``), and ``snapshot`` when the
program is checked by a compiler snapshot test whose file (``meta.snapshot``) equals the
recompiled SQL of that dialect. A program whose DuckDB SQL runs to an error or returns
other rows than the program is rejected; one that only ever returns empty results (or has
no DuckDB SQL) is kept as compile-verified.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ibert_mine.core import meta as keys
from ibert_mine.core.config import Config
from ibert_mine.core.example import Example
from ibert_mine.core.meta import MetaKey
from ibert_mine.core.meta import build as build_meta
from ibert_mine.core.reasons import Reason, Reject
from ibert_mine.tasks import program_jobs, translation
from ibert_mine.tasks.chat_format import dialect_name, fenced, join, tables
from ibert_mine.tasks.contract import Fields, Job, Task, TwoPhase
from ibert_mine.tasks.program_jobs import ProgramSite, tables_context
from ibert_mine.tasks.tags import TAGS
from ibert_mine.tasks.translation import RANDOM_NAME, generated_alias, random_name

NAME = "ibis_to_sql"

RESULTS_DIFFER = Reason("results_differ", "the DuckDB SQL returns other rows than the program")
EXECUTION_ERROR = Reason("execution_error", "the program or its DuckDB SQL fails on the data")
SNAPSHOT_DIFFERS = Reason(
    "snapshot_differs", "the test's compiler snapshot file matches no recompiled dialect"
)
COMPILE_FAILED = Reason(
    "compile_failed", "Ibis cannot compile the program to a dialect, or sqlglot cannot parse it",
    "dialect",
)  # fmt: skip
META: tuple[MetaKey, ...] = (
    *keys.PATH_TO_VERSION,
    program_jobs.ORIGIN,
    keys.SYMBOL,
    program_jobs.SQL_PATH,
    program_jobs.SNAPSHOT,
    MetaKey("same_sql_as", "strings", "the later dialects whose SQL is this very text"),
    translation.VERIFIED,
    translation.MUTANTS,
    TAGS,
    keys.CLUSTER,
)
SAME_SQL = Reason(
    "same_sql", "the dialect gives the very SQL of an earlier one (listed in same_sql_as)",
    "dialect",
)  # fmt: skip
FAILED_RUNS = {"results_differ": RESULTS_DIFFER, "execution_error": EXECUTION_ERROR}


def examples(job: Job, outcome: dict[str, Any], config: Config) -> Iterator[Example | Reject]:
    """One example per dialect the program compiled to."""
    site: ProgramSite = job.site
    reason = str(outcome.get("reason", "")).split(":")[0]
    if reason in FAILED_RUNS:
        # the two sides disagree, or the pair runs to an error, on the example's own data
        yield FAILED_RUNS[reason]()
        return
    snapshot_dialect = _snapshot_dialect(site, outcome)
    if site.snapshot_sql is not None and snapshot_dialect is None:
        yield SNAPSHOT_DIFFERS()  # counted; the compiled pairs stand on their own
    for dialect in config.dialects:
        if dialect in outcome["failed"]:
            yield COMPILE_FAILED(dialect)
    for dialect, same in _by_sql(outcome, config.dialects):
        sql = outcome["sql"][dialect]
        if random_name(sql):
            yield RANDOM_NAME()
            continue
        for other in same:
            yield SAME_SQL(other)
        verified = ["compiled", f"parsed:{dialect}"]
        if outcome.get("executed"):
            verified.append("executed:duckdb")
        meta = {**site.meta, "verified": verified, "same_sql_as": same or None}
        meta = translation.with_evidence(meta, outcome.get("mutants"))
        meta.pop("sql_found_in", None)  # the SQL here is the compiler's, not the TPC file's
        if snapshot_dialect in (dialect, *same):
            meta["verified"] = [*meta["verified"], "snapshot"]  # equal to meta.snapshot
        else:
            meta.pop("snapshot", None)
        if generated_alias(sql):
            meta["tags"] = [*meta.get("tags", []), "auto_alias"]
        meta["tags"] = meta.get("tags") or None
        yield Example.create(
            NAME,
            site.source,
            {"ibis": site.program.code, "dialect": dialect},
            {"sql": sql},
            build_meta(META, meta),
            context=tables_context(outcome["schemas"]),
        )


def _by_sql(outcome: dict[str, Any], dialects: tuple[str, ...]) -> list[tuple[str, list[str]]]:
    """(dialect, the later dialects that give the very same SQL) for each distinct SQL, in
    dialect order."""
    groups: dict[str, list[str]] = {}
    for dialect in dialects:
        sql = outcome["sql"].get(dialect)
        if sql is not None and dialect not in outcome["failed"]:
            groups.setdefault(sql, []).append(dialect)
    return [(first, rest) for first, *rest in groups.values()]


def _snapshot_dialect(site: ProgramSite, outcome: dict[str, Any]) -> str | None:
    """The dialect whose recompiled SQL equals the test's snapshot file, if any."""
    if site.snapshot_sql is None:
        return None
    expected = site.snapshot_sql.strip()
    return next((d for d, sql in outcome["sql"].items() if sql.strip() == expected), None)


def render(record: dict) -> tuple[str, str]:
    """The user's turn (the program, its tables, the dialect) and the assistant's (the SQL)."""
    inp = record["input"]
    ask = join(f"What SQL does this Ibis expression compile to in {dialect_name(inp['dialect'])}?",
               fenced(inp["ibis"]), tables(record))  # fmt: skip
    return ask, fenced(record["target"]["sql"], "sql")


TASK = Task(
    name=NAME,
    fields=Fields(
        input_required=("ibis", "dialect"), target_required=("sql",), python=("input.ibis",)
    ),
    miner=TwoPhase(
        program_jobs.STAGE,
        kinds=(program_jobs.PROGRAM,),
        examples=examples,
        needs=frozenset({program_jobs.MUTANTS}),
    ),
    meta=META,
    reasons=(
        RESULTS_DIFFER,
        EXECUTION_ERROR,
        SNAPSHOT_DIFFERS,
        COMPILE_FAILED,
        SAME_SQL,
        RANDOM_NAME,
    ),
    checks=(translation.check_sql,),
    replay=translation.RECOMPILE,
    dedup_group=lambda example: example.input["dialect"],
    program_field="input.ibis",
    render=render,
)
