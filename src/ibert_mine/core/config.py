"""All options of a run in one frozen value, built once by the CLI or the Python API."""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_OUTPUT = Path("data/mining/multitask")
DEFAULT_DIALECTS: tuple[str, ...] = (
    "duckdb", "postgres", "sqlite", "mysql", "bigquery", "snowflake", "trino",
    "clickhouse", "mssql", "oracle", "datafusion", "exasol",
)  # fmt: skip
# Python modules, and the pages and notebooks whose code cells hold Ibis programs
DEFAULT_INCLUDE: tuple[str, ...] = ("*.py", "*.qmd", "*.md", "*.ipynb")
DEFAULT_MAX_BYTES = 1_000_000


@dataclass(frozen=True, slots=True)
class WalkRules:
    """Which files of a folder are read: globs on the relative path, and a size limit."""

    include: tuple[str, ...] = DEFAULT_INCLUDE
    exclude: tuple[str, ...] = ()
    max_bytes: int = DEFAULT_MAX_BYTES

    def wants(self, rel_path: str) -> bool:
        """True when ``rel_path`` (POSIX, relative to the root) matches include and no exclude."""
        name = rel_path.rsplit("/", 1)[-1]
        included = any(
            fnmatch.fnmatch(name, g) or fnmatch.fnmatch(rel_path, g) for g in self.include
        )
        excluded = any(
            fnmatch.fnmatch(rel_path, g) or fnmatch.fnmatch(name, g) for g in self.exclude
        )
        return included and not excluded


@dataclass(frozen=True, slots=True)
class Config:
    """Options of a mining run. ``ibis_api`` is the set of Ibis names used to tag code."""

    tasks: tuple[str, ...]
    output: Path = DEFAULT_OUTPUT
    workers: int = 1
    rules: WalkRules = field(default_factory=WalkRules)
    dialects: tuple[str, ...] = DEFAULT_DIALECTS
    ibis_api: frozenset[str] = frozenset()
    # (name, module) of each top-level ibis.<name>: qa names a definition as users call it
    ibis_exports: frozenset[tuple[str, str]] = frozenset()
    max_code_lines: int = 80  # documentation: longer definitions are cut (see tasks/documentation)
    context_lines: int = 20  # code_completion: lines of context before a cut
    time_limit: float = 10.0  # CPU seconds one program may use in the sandbox (3x as wall time)
    memory_limit: int = 1 << 30  # bytes one program may allocate in the sandbox
    # schemas of tables the sources read but do not define (from --schema DDL files)
    table_schemas: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()
    schema_files: tuple[str, ...] = ()  # the DDL files they came from, for the manifest
    keep_excluded: bool = False  # also write the examples dedup dropped, to excluded/
    # names Ibis renamed or removed, from the sources' release notes: (old, new, since,
    # module); error_resolution adds the built-in ones (execution/mistakes/migrations.py)
    migrations: tuple[tuple[str, str, str, str], ...] = ()

    def options(self) -> dict[str, object]:
        """The options that shape the output, as recorded in the manifest."""
        return {
            "tasks": list(self.tasks),
            "include": list(self.rules.include),
            "exclude": list(self.rules.exclude),
            "max_bytes": self.rules.max_bytes,
            "dialects": list(self.dialects),
            "max_code_lines": self.max_code_lines,
            "context_lines": self.context_lines,
            "time_limit": self.time_limit,
            "memory_limit": self.memory_limit,
            "schema_files": list(self.schema_files),
        }
