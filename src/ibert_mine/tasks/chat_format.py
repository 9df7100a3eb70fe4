"""How an example reads as a conversation: the pieces every task's ``render`` shares.

A task's ``render(record)`` gives the user's turn (its input laid out as a person would
ask) and the assistant's (its target); ``ibert-mine export --format chat`` adds the system
turn. Code goes in fenced blocks, tables as their schemas, SQL dialects by the names their
users know them by.
"""

from __future__ import annotations

from typing import Any

SYSTEM = (
    "You are iBERT, an assistant for the Ibis dataframe library: you write, explain, fix "
    "and translate Ibis code and the SQL it compiles to."
)

# sqlglot's dialect names -> the product's name as its users write it
DIALECT_NAMES = {
    "athena": "Athena", "bigquery": "BigQuery", "clickhouse": "ClickHouse",
    "databricks": "Databricks", "datafusion": "DataFusion", "druid": "Druid",
    "duckdb": "DuckDB", "exasol": "Exasol", "flink": "Flink", "impala": "Impala",
    "materialize": "Materialize", "mssql": "SQL Server", "tsql": "SQL Server",
    "mysql": "MySQL", "oracle": "Oracle", "postgres": "PostgreSQL", "pyspark": "Spark",
    "risingwave": "RisingWave", "snowflake": "Snowflake", "spark": "Spark",
    "sqlite": "SQLite", "trino": "Trino",
}  # fmt: skip


def dialect_name(dialect: str) -> str:
    """The name a person gives the SQL dialect ``dialect`` (``duckdb`` -> ``DuckDB``)."""
    return DIALECT_NAMES.get(dialect.lower(), dialect)


def fenced(code: str, lang: str = "python") -> str:
    """``code`` in a fenced block (a longer fence when the code holds one)."""
    fence = "````" if "```" in code else "```"
    return f"{fence}{lang}\n{code.rstrip()}\n{fence}"


def tables(record: dict[str, Any]) -> str:
    """The tables of ``context.tables`` as a person would give them ("" when none)."""
    found = ((record.get("context") or {}).get("tables")) or {}
    lines = []
    for name, spec in found.items():
        columns = ", ".join(f"{c} {t}" for c, t in (spec.get("schema") or {}).items())
        lines.append(f"- `{name}`: {columns}")
    return "The tables:\n" + "\n".join(lines) if lines else ""


def join(*parts: str) -> str:
    """The non-empty parts, a blank line apart."""
    return "\n\n".join(p for p in parts if p)
