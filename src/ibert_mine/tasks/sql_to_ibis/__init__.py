"""sql_to_ibis: SQL -> Ibis code that computes the same rows.

Who wrote each side (``meta.sql_author``, ``meta.ibis_author``); ``meta.origin`` says where
in the source the pair was found, as for every task:

- ``human`` SQL, ``human`` Ibis: hand-written SQL found beside its Ibis version (the TPC-H
  queries of an Ibis checkout, :mod:`ibert_mine.programs.tpc`; ``sql_found_in:
  "query_file"``), kept when both return the same non-empty rows on synthetic tables
  seeded with the query's literals. Also SQL passed to ``.sql("...")`` in code and docs
  (``"sql_string"``) and SQL cells of pages (``"sql_cell"``,
  :mod:`ibert_mine.programs.human_sql`), paired with the nearest human Ibis program of the
  same session that returns the same rows (``meta.ibis_lines`` are its lines);
- ``human`` SQL, ``decompiler`` Ibis: when no program of the session agrees, Ibis
  decompiled from the SQL that does;
- ``compiler`` SQL, ``human`` Ibis: the DuckDB SQL the compiler gave for a mined Ibis
  program, rewritten to read like hand-written SQL (:mod:`ibert_mine.execution.readable`),
  kept only when it returned the same non-empty rows as the program on synthetic tables;
- ``compiler`` SQL, ``decompiler`` Ibis: for the same readable SQL, Ibis recovered from it
  with ``ibis.parse_sql`` + ``ibis.decompile`` (:mod:`ibert_mine.execution.decompile`),
  kept when it returns the same rows as the original program.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ibert_mine.core import meta as keys
from ibert_mine.core.config import Config
from ibert_mine.core.example import Example, canonical_json
from ibert_mine.core.meta import MetaKey
from ibert_mine.core.meta import build as build_meta
from ibert_mine.core.reasons import Reason, Reject
from ibert_mine.tasks import program_jobs, translation
from ibert_mine.tasks.chat_format import dialect_name, fenced, join, tables
from ibert_mine.tasks.contract import Fields, Job, Task, TwoPhase
from ibert_mine.tasks.program_jobs import ProgramSite, SqlSite, tables_context
from ibert_mine.tasks.sql_to_ibis.provenance import check_sql_provenance
from ibert_mine.tasks.tags import TAGS

NAME = "sql_to_ibis"

META: tuple[MetaKey, ...] = (
    *keys.PATH_TO_VERSION,
    program_jobs.ORIGIN,
    keys.SYMBOL,
    MetaKey(
        "sql_author",
        "string",
        "who wrote the SQL:",
        values=(
            ("human", "a person: a query file, a string passed to .sql(), a SQL cell"),
            ("compiler", "Ibis compiled the program, sqlglot rewrote it to read like a person's"),
        ),
    ),
    MetaKey(
        "ibis_author",
        "string",
        "who wrote the Ibis:",
        values=(
            ("human", "a person: the program as found in the source"),
            ("decompiler", "ibis.decompile of the SQL, kept as it returns the same rows"),
        ),
    ),
    MetaKey(
        "sql_found_in",
        "string",
        "where hand-written SQL was found:",
        values=(
            ("query_file", "a file of its own (meta.sql_path), a TPC query"),
            ("sql_string", "a string literal passed to .sql(...) (meta.lines are its lines)"),
            ("sql_cell", "a SQL cell of a page or notebook (meta.lines are its lines)"),
        ),
    ),
    MetaKey(
        "ibis_lines",
        "lines",
        "the lines of the Ibis program, when it was found apart from the SQL (meta.lines)",
    ),
    program_jobs.SQL_PATH,
    program_jobs.SNAPSHOT,
    translation.VERIFIED,
    translation.MUTANTS,
    TAGS,
    keys.CLUSTER,
)

HUMAN_SQL_NOT_EXECUTED = Reason(
    "human_sql_not_executed", "the hand-written SQL and the Ibis never agreed on rows", "why"
)
NOT_EXECUTED = Reason(
    "not_executed", "the program and its DuckDB SQL were not shown to agree on rows", "why"
)
READABLE_SQL_DIFFERS = Reason(
    "readable_sql_differs", "the readable rewrite of the SQL does not return the same rows"
)
NOT_DECOMPILED = Reason(
    "not_decompiled", "no Ibis decompiled from the readable SQL returns the same rows"
)
ANOTHER_TARGET = Reason(
    "another_target", "the same SQL already has a target a person wrote (or the only one)"
)
# which target of one SQL input is kept: the Ibis a person wrote for SQL a person wrote,
# then a person's Ibis for the compiler's SQL, then decompiled Ibis
_PREFERENCE = {("human", "human"): 0, ("compiler", "human"): 1, ("human", "decompiler"): 2,
               ("compiler", "decompiler"): 3}  # fmt: skip


def _preference(example: Example) -> int:
    return _PREFERENCE[(example.meta["sql_author"], example.meta["ibis_author"])]


def one_target_per_input(examples: list[Example]) -> list[Reject | None]:
    """One example per SQL input: the most human-written target (the first found among
    equals) is kept, every other one is an ``another_target`` reject."""
    best: dict[str, tuple[int, int]] = {}
    for position, example in enumerate(examples):
        key = canonical_json(example.input)
        rank = _preference(example)
        if key not in best or rank < best[key][0]:
            best[key] = (rank, position)
    kept = {position for _, position in best.values()}
    return [None if i in kept else ANOTHER_TARGET() for i in range(len(examples))]


def examples(job: Job, outcome: dict[str, Any], config: Config) -> Iterator[Example | Reject]:
    """The examples of a job: a program's human-SQL and readable-SQL pairs, or the pair of
    hand-written SQL with the Ibis that computes it; each verified by execution."""
    if isinstance(job.site, SqlSite):
        yield human_example(job.site, outcome)
        return
    site: ProgramSite = job.site
    if site.human_sql is not None:
        human = outcome.get("human") or {}
        if human.get("executed"):
            yield _example(site, outcome, site.human_sql, "human")
        else:
            yield HUMAN_SQL_NOT_EXECUTED(_why(human))
    if not outcome.get("executed"):
        yield NOT_EXECUTED(_why(outcome))
    elif not outcome.get("readable"):
        yield READABLE_SQL_DIFFERS()
    elif translation.random_name(outcome["readable"]):
        yield translation.RANDOM_NAME()
    else:
        yield _example(site, outcome, outcome["readable"], "compiler")
        if outcome.get("decompiled"):
            yield _example(site, outcome, outcome["readable"], "compiler", outcome["decompiled"])
        else:
            yield NOT_DECOMPILED()


def _why(outcome: dict[str, Any]) -> str:
    """The reason an execution did not count, without its details."""
    return str(outcome.get("reason") or "unknown").split(":")[0]


def _example(
    site: ProgramSite, outcome: dict[str, Any], sql: str, sql_author: str, code: str | None = None
) -> Example:
    """The (DuckDB SQL -> Ibis program) example, both sides executed to the same rows.

    ``code`` is the Ibis side when it is not the mined program (decompiled from the SQL).
    """
    meta = {**site.meta, "sql_author": sql_author, "verified": ["compiled", "executed:duckdb"]}
    meta = translation.with_evidence(meta, outcome.get("mutants"))
    meta["ibis_author"] = "human" if code is None else "decompiler"
    meta["tags"] = meta.get("tags") or None
    if sql_author != "human":
        meta.pop("sql_found_in", None)  # the SQL is the compiler's, not the TPC file's
    return Example.create(
        NAME,
        site.source,
        {"sql": sql, "dialect": "duckdb"},
        {"ibis": code or site.program.code},
        build_meta(META, meta),
        context=tables_context(outcome["schemas"]),
    )


def human_example(site: SqlSite, outcome: dict[str, Any]) -> Example | Reject:
    """The example of hand-written SQL paired (by execution) with Ibis, or why not."""
    if not outcome.get("executed"):
        return HUMAN_SQL_NOT_EXECUTED(_why(outcome))
    meta = {**site.meta, "sql_author": "human", "verified": ["compiled", "executed:duckdb"]}
    meta = translation.with_evidence(meta, outcome.get("mutants"))
    meta["tags"] = meta.get("tags") or None
    index = outcome.get("index")
    if index is None:
        meta["ibis_author"] = "decompiler"
    else:
        meta["ibis_author"] = "human"
        meta["ibis_lines"] = list(site.human.candidates[index][1])
    text = site.human.text
    return Example.create(
        NAME,
        site.source,
        {"sql": text.sql, "dialect": text.dialect},
        {"ibis": outcome["ibis"]},
        build_meta(META, meta),
        context=tables_context(outcome["schemas"]),
    )


def render(record: dict) -> tuple[str, str]:
    """The user's turn (the SQL and its tables) and the assistant's (the Ibis program)."""
    inp = record["input"]
    sql = f"{dialect_name(inp['dialect'])} SQL" if inp.get("dialect") else "SQL"
    ask = join(
        f"Write this {sql} as an Ibis expression.", fenced(inp["sql"], "sql"), tables(record)
    )
    return ask, fenced(record["target"]["ibis"])


TASK = Task(
    name=NAME,
    fields=Fields(
        input_required=("sql",),
        target_required=("ibis",),
        input_optional=("dialect",),
        python=("target.ibis",),
    ),
    miner=TwoPhase(
        program_jobs.STAGE,
        # hand-written SQL first: where a readable rewrite is the very same pair, dedup keeps
        # the example whose SQL a person wrote
        kinds=(program_jobs.HUMAN_SQL, program_jobs.PROGRAM),
        examples=examples,
        needs=frozenset({program_jobs.READABLE, program_jobs.MUTANTS}),
    ),
    meta=META,
    reasons=(
        HUMAN_SQL_NOT_EXECUTED,
        NOT_EXECUTED,
        READABLE_SQL_DIFFERS,
        NOT_DECOMPILED,
        ANOTHER_TARGET,
        translation.RANDOM_NAME,
    ),
    checks=(translation.check_sql,),
    provenance=check_sql_provenance,
    stats_keys=("sql_author", "ibis_author"),
    select=one_target_per_input,
    informative=lambda example: -_preference(example),
    replay=translation.REEXECUTE,
    program_field="target.ibis",
    render=render,
)
