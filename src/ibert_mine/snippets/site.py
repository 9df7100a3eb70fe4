"""A mined program with its provenance, as the pipeline carries it from files to the sandbox."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ibert_mine.schema import canonical_json
from ibert_mine.snippets.human_sql import HumanSql
from ibert_mine.snippets.program import Program, TableSource


@dataclass(frozen=True, slots=True)
class ProgramSite:
    """A program, the source it came from, and the ``meta`` its examples start from."""

    program: Program
    source: str
    meta: dict[str, Any]
    human_sql: str | None = None  # hand-written SQL the program must agree with (TPC-H)
    snapshot_sql: str | None = None  # the test's snapshot of the compiled SQL

    @property
    def key(self) -> str:
        """Identity of the program: its code and its tables (the same program found twice)."""
        tables = [(n, s.schema, s.source) for n, s in self.program.tables]  # hashable form
        return canonical_json([self.program.code, tables, self.human_sql])

    def payload(self, dialects: tuple[str, ...], readable: bool) -> dict[str, Any]:
        """What the sandbox's ``verify_program`` takes (DuckDB always: it is what runs)."""
        return {
            "code": self.program.code,
            "tables": table_specs(self.program.tables),
            "dialects": list(dict.fromkeys(("duckdb", *dialects))),
            "readable": readable,
            "human_sql": self.human_sql,
        }


@dataclass(frozen=True, slots=True)
class SqlSite:
    """Hand-written SQL with its candidate programs, its source and its examples' ``meta``."""

    human: HumanSql
    source: str
    meta: dict[str, Any]

    @property
    def key(self) -> str:
        """Identity of the job: the SQL, its dialect, its tables and its candidates."""
        tables = [(n, s.schema, s.source) for n, s in self.human.tables]
        codes = [code for code, _ in self.human.candidates]
        return canonical_json([self.human.text.sql, self.human.text.dialect, tables, codes])

    def payload(self) -> dict[str, Any]:
        """What the sandbox's ``verify_human_sql`` takes."""
        return {
            "sql": self.human.text.sql,
            "dialect": self.human.text.dialect,
            "tables": table_specs(self.human.tables),
            "candidates": [code for code, _ in self.human.candidates],
        }


def table_specs(tables: tuple[tuple[str, TableSource], ...]) -> list[tuple[str, dict[str, Any]]]:
    """Declared tables as the sandbox's jobs take them: (name, {"schema", "source"})."""
    return [(name, {"schema": spec.schema, "source": spec.source}) for name, spec in tables]


def tables_context(schemas: dict[str, dict[str, str]]) -> dict[str, Any]:
    """``context.tables`` of an example: name -> {"schema": {column: ibis type}}."""
    return {"tables": {name: {"schema": dict(cols)} for name, cols in sorted(schemas.items())}}
