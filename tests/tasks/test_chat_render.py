"""How the translation tasks read as a conversation: the dialect by its product's name."""

from __future__ import annotations

from ibert_mine.tasks import BY_NAME
from ibert_mine.tasks.chat_format import dialect_name

TABLES = {"tables": {"t": {"schema": {"a": "int64"}}}}


def test_dialects_are_named_as_their_users_write_them() -> None:
    assert [dialect_name(d) for d in ("duckdb", "postgres", "mssql", "newdb")] == [
        "DuckDB", "PostgreSQL", "SQL Server", "newdb",
    ]  # fmt: skip


def test_ibis_to_sql_asks_for_the_named_dialect() -> None:
    record = {"input": {"ibis": "expr = t.a.sum()", "dialect": "bigquery"},
              "target": {"sql": "SELECT SUM(a) FROM t"}, "context": TABLES}  # fmt: skip
    user, assistant = BY_NAME["ibis_to_sql"].render(record)
    assert user == (
        "What SQL does this Ibis expression compile to in BigQuery?\n\n"
        "```python\nexpr = t.a.sum()\n```\n\nThe tables:\n- `t`: a int64"
    )
    assert assistant == "```sql\nSELECT SUM(a) FROM t\n```"


def test_sql_to_ibis_names_the_dialect_only_when_it_is_known() -> None:
    record = {"input": {"sql": "SELECT 1", "dialect": "sqlite"}, "target": {"ibis": "expr = 1"}}
    assert BY_NAME["sql_to_ibis"].render(record)[0].startswith("Write this SQLite SQL as an")
    record["input"].pop("dialect")
    assert BY_NAME["sql_to_ibis"].render(record)[0].startswith("Write this SQL as an Ibis")
