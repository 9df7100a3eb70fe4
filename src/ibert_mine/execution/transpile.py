"""SQL of another dialect in DuckDB's, as ``Table.sql(..., dialect=...)`` reads it."""

from __future__ import annotations


def to_duckdb(sql: str, dialect: str) -> str:
    """``sql`` in DuckDB's dialect (unchanged when it is DuckDB SQL already)."""
    import sqlglot  # heavy: imported on first use

    if dialect == "duckdb":
        return sql
    return sqlglot.transpile(sql, read=dialect, write="duckdb")[0]
