"""Compile an Ibis expression to SQL in each dialect, the SQL parsing back with sqlglot."""

from __future__ import annotations

import importlib
from typing import Any

from ibert_mine.execution.tables import fixed_names


def sqlglot_dialect(dialect: str) -> Any:
    """The sqlglot dialect Ibis compiles ``dialect`` with (no backend driver needed)."""
    return importlib.import_module(f"ibis.backends.sql.compilers.{dialect}").compiler.dialect


def compile_all(
    expr: Any, dialects: list[str], code: str = ""
) -> tuple[dict[str, str], dict[str, str]]:
    """SQL of ``expr`` per dialect (parsing back with sqlglot), and failures by dialect.

    Names the compiler generates are fixed per (program, dialect), whatever the order in
    which dialects are compiled.
    """
    import ibis  # heavy: imported on first use
    import sqlglot

    sqls: dict[str, str] = {}
    failed: dict[str, str] = {}
    for dialect in dialects:
        try:
            with fixed_names(f"{code}\x00{dialect}"):
                sql = str(ibis.to_sql(expr, dialect=dialect))  # a plain str, not SQLString
            sqlglot.parse_one(sql, read=sqlglot_dialect(dialect))
        except Exception as err:
            failed[dialect] = type(err).__name__
            continue
        sqls[dialect] = sql
    return sqls, failed
