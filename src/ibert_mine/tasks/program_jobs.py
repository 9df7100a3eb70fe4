"""The ``programs`` stage: Ibis programs and hand-written SQL, found once for both translations.

In the file workers, :func:`find` turns each unit's candidates (:mod:`ibert_mine.programs`)
into jobs of two kinds:

- ``program``: a self-contained Ibis program (with its hand-written SQL for a TPC query);
  the sandbox runs :func:`ibert_mine.execution.verify.verify_program` on it once, and both
  ``ibis_to_sql`` and ``sql_to_ibis`` build their examples from that one outcome;
- ``human_sql``: hand-written SQL with the session's programs as candidates, paired by
  :func:`ibert_mine.execution.pair_sql.pair_human_sql` (only ``sql_to_ibis`` takes them).

Rejected candidates, duplicates and jobs that fail in the sandbox are counted here, once,
not under each task that takes the stage's jobs.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from ibert_mine.core import meta as keys
from ibert_mine.core.config import Config
from ibert_mine.core.example import canonical_json
from ibert_mine.core.meta import MetaKey
from ibert_mine.core.reasons import Reason, Reject
from ibert_mine.programs.find import HUMAN_SQL_REASONS, PROGRAM_REASONS, find_programs
from ibert_mine.programs.human_sql import HumanSql
from ibert_mine.programs.private import PRIVATE_API, uses_private_api
from ibert_mine.programs.program import Program, TableSource
from ibert_mine.sandbox.outcome import Outcome
from ibert_mine.sources.units import Unit, read_sibling
from ibert_mine.tasks.contract import Job, JobKind, JobStage
from ibert_mine.tasks.tags import place_tags

PROGRAM, HUMAN_SQL = "program", "human_sql"
READABLE = "readable_sql"  # payload option: also rewrite the DuckDB SQL to read like a person's
MISTAKES = "mistakes"  # payload option: also make the program's mistakes and run them
MUTANTS = "mutants"  # payload option: also kill the program's mutants (translation evidence)


@dataclass(frozen=True, slots=True)
class ProgramSite:
    """A program, the source it came from, and the ``meta`` its examples start from."""

    program: Program
    source: str
    meta: dict[str, Any]
    snapshot_sql: str | None = None  # the test's snapshot of the compiled SQL

    @property
    def human_sql(self) -> str | None:
        """Hand-written SQL the program must agree with (a TPC query), if any."""
        return self.program.sql


@dataclass(frozen=True, slots=True)
class SqlSite:
    """Hand-written SQL with its candidate programs, its source and its examples' ``meta``."""

    human: HumanSql
    source: str
    meta: dict[str, Any]


def table_specs(tables: tuple[tuple[str, TableSource], ...]) -> list[tuple[str, dict[str, Any]]]:
    """Declared tables as the sandbox's jobs take them: (name, {"schema", "source"})."""
    return [(name, {"schema": spec.schema, "source": spec.source}) for name, spec in tables]


def _program_job(program: Program, unit: Unit) -> Job:
    """The job of a program: its identity is its code, its tables and its hand-written SQL."""
    provenance = unit.provenance
    meta = {**provenance.meta(lines=program.lines), "origin": program.origin}
    meta["symbol"] = program.symbol or None  # a page has no symbol
    if program.sql_path:
        meta["sql_path"] = program.sql_path
        meta["sql_found_in"] = "query_file"
    snapshot = read_sibling(provenance, program.snapshot) if program.snapshot else None
    if snapshot is not None:
        meta["snapshot"] = program.snapshot
    meta["tags"] = program_tags(program, provenance.path)
    site = ProgramSite(program, provenance.source, meta, snapshot)
    tables = [(n, s.schema, s.source) for n, s in program.tables]  # hashable form
    return Job(PROGRAM, canonical_json([program.code, tables, program.sql]), site)


def _human_sql_job(human: HumanSql, unit: Unit) -> Job:
    """The job of hand-written SQL: its identity is the SQL, dialect, tables and candidates."""
    meta = {
        **unit.provenance.meta(lines=human.text.lines),
        "origin": human.origin,
        "symbol": human.symbol or None,  # a page has no symbol
        "sql_found_in": human.text.how,
        "tags": place_tags(unit.provenance.path, human.symbol),
    }
    site = SqlSite(human, unit.provenance.source, meta)
    tables = [(n, s.schema, s.source) for n, s in human.tables]
    codes = [code for code, _ in human.candidates]
    key = canonical_json([human.text.sql, human.text.dialect, tables, codes])
    return Job(HUMAN_SQL, key, site)


def find(unit: Unit, config: Config, kinds: frozenset[str]) -> Iterator[Job | Reject]:
    """The jobs of ``kinds`` in ``unit``; hand-written SQL is only looked at when wanted."""
    wants_sql = HUMAN_SQL in kinds
    for item in find_programs(unit, dict(config.table_schemas)):
        if isinstance(item, Reject):
            if wants_sql or item.reason not in HUMAN_SQL_REASONS:
                yield item
        elif isinstance(item, HumanSql):
            if wants_sql:
                yield _human_sql_job(_public_candidates(item), unit)
        elif PROGRAM in kinds:
            yield PRIVATE_API() if uses_private_api(item.code) else _program_job(item, unit)


def _public_candidates(human: HumanSql) -> HumanSql:
    """``human`` without the candidate programs that use private API."""
    public = tuple(c for c in human.candidates if not uses_private_api(c[0]))
    return human if len(public) == len(human.candidates) else replace(human, candidates=public)


def program_tags(program: Program, path: str) -> list[str]:
    """The tags every example of ``program`` carries (a dialect's SQL may add ``auto_alias``)."""
    tags = place_tags(path, program.symbol)
    if not program.tables:
        tags.append("no_table")
    if any(source.from_fixture for _, source in program.tables):
        tags.append("fixture_schema")
    return tags


def payload(job: Job, config: Config, options: frozenset[str]) -> dict[str, Any]:
    """What the sandbox function of ``job``'s kind takes (DuckDB is always compiled: it runs)."""
    site = job.site
    if isinstance(site, SqlSite):
        human = site.human
        return {
            "sql": human.text.sql,
            "dialect": human.text.dialect,
            "tables": table_specs(human.tables),
            "candidates": [code for code, _ in human.candidates],
            "mutants": True,
        }
    return {
        "code": site.program.code,
        "tables": table_specs(site.program.tables),
        "dialects": list(dict.fromkeys(("duckdb", *config.dialects))),
        "readable": READABLE in options,
        "human_sql": site.human_sql,
        "mutants": MUTANTS in options,  # the pair's data meets the program's near misses
        "mistakes": MISTAKES in options,
        "migrations": [list(m) for m in config.migrations] if MISTAKES in options else [],
    }


DUPLICATE_PROGRAM = Reason("duplicate_program", "the same program was found earlier")
DUPLICATE_HUMAN_SQL = Reason(
    "duplicate_human_sql", "the same SQL with the same candidates was found earlier"
)
PROGRAM_ERROR = Reason(
    "program_error", "the program raised in the sandbox (tables, run or compile)", "exception"
)
TIMEOUT = Reason("timeout", "the program ran past the sandbox's time limit")
CRASHED = Reason("crashed", "the sandbox worker died running the program")
HUMAN_SQL_ERROR = Reason("human_sql_error", "pairing the SQL raised in the sandbox", "exception")
HUMAN_SQL_TIMEOUT = Reason("human_sql_timeout", "pairing the SQL ran past the time limit")
HUMAN_SQL_CRASHED = Reason("human_sql_crashed", "the sandbox worker died pairing the SQL")


def _program_failed(outcome: Outcome) -> Reject:
    if outcome.status == "error":
        return PROGRAM_ERROR(outcome.error_type or "Exception")
    return TIMEOUT() if outcome.status == "timeout" else CRASHED()


def _human_sql_failed(outcome: Outcome) -> Reject:
    if outcome.status == "error":
        return HUMAN_SQL_ERROR(outcome.error_type or "Exception")
    return HUMAN_SQL_TIMEOUT() if outcome.status == "timeout" else HUMAN_SQL_CRASHED()


STAGE = JobStage(
    name="programs",
    consumes=("module", "page"),
    kinds=(
        JobKind(
            PROGRAM,
            "ibert_mine.execution.verify:verify_program",
            "verifying programs",
            DUPLICATE_PROGRAM,
            _program_failed,
        ),
        JobKind(
            HUMAN_SQL,
            "ibert_mine.execution.pair_sql:pair_human_sql",
            "pairing hand-written SQL",
            DUPLICATE_HUMAN_SQL,
            _human_sql_failed,
        ),
    ),
    reasons=(
        *PROGRAM_REASONS,
        PRIVATE_API,
        *HUMAN_SQL_REASONS,
        DUPLICATE_PROGRAM,
        DUPLICATE_HUMAN_SQL,
        PROGRAM_ERROR,
        TIMEOUT,
        CRASHED,
        HUMAN_SQL_ERROR,
        HUMAN_SQL_TIMEOUT,
        HUMAN_SQL_CRASHED,
    ),
    find=find,
    payload=payload,
)


SQL_PATH = MetaKey("sql_path", "string", "the file the hand-written SQL was read from")
SNAPSHOT = MetaKey(
    "snapshot", "string", "the compiler snapshot file of the test, equal to the compiled SQL"
)
ORIGIN = keys.ORIGIN.allowing("doctest", "test", "docs", "notebook", "code", "tpc_suite")


def tables_context(schemas: dict[str, dict[str, str]]) -> dict[str, Any]:
    """``context.tables`` of an example: name -> {"schema": {column: ibis type}}."""
    return {"tables": {name: {"schema": dict(cols)} for name, cols in sorted(schemas.items())}}
