"""Synthetic tables: determinism, edge values, shared keys, loading into DuckDB."""

from __future__ import annotations

import duckdb
import ibis
import pytest

from ibert_mine.execution.data import (
    KeyPools,
    UnsupportedType,
    is_key,
    load_into,
    synthetic_table,
    synthetic_tables,
)

TYPES = [
    "int64",
    "!int64",
    "int8",
    "int16",
    "int32",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "float32",
    "float64",
    "decimal",
    "decimal(10, 2)",
    "decimal(5, 5)",
    "string",
    "!string",
    "boolean",
    "date",
    "timestamp",
    "timestamp('UTC')",
    "timestamp(3)",
    "timestamp(0)",
    "timestamp('America/New_York', 9)",
    "time",
    "array<int64>",
    "array<!string>",
    "array<array<float64>>",
    "struct<a: int64, b: string>",
    "struct<x: array<date>>",
    "map<string, int64>",
    "map<int32, array<string>>",
    "array<struct<k: string, v: float64>>",
    "binary",
    "uuid",
    "json",
    "inet",
    "macaddr",
    "interval('s')",
    "interval('ms')",
    "interval('us')",
    "interval('ns')",
    "interval('m')",
    "interval('h')",
    "interval('D')",
    "interval('W')",
]
UNSUPPORTED = ["null", "float16", "decimal(76, 10)", "interval('M')", "interval('Y')", "point"]
SCHEMA = {f"c{i}": t for i, t in enumerate(TYPES)}


def test_same_seed_same_bytes() -> None:
    a = synthetic_table(SCHEMA, seed=3)
    b = synthetic_table(SCHEMA, seed=3)
    assert a.equals(b, check_metadata=True)
    assert a.num_rows == 24


def test_different_seeds_differ() -> None:
    a = synthetic_table(SCHEMA, seed=0)
    b = synthetic_table(SCHEMA, seed=1)
    assert not a.equals(b)
    assert a.column("c0").to_pylist() != b.column("c0").to_pylist()


def test_rows_argument() -> None:
    assert synthetic_table({"x": "int64"}, rows=5).num_rows == 5
    assert synthetic_table({"x": "int64"}, rows=0).num_rows == 0


@pytest.mark.parametrize("type_string", TYPES)
def test_every_type_loads_via_ibis_and_duckdb(type_string: str) -> None:
    table = synthetic_table({"x": type_string, "n": "!int64"}, seed=7)
    con = ibis.duckdb.connect()
    load_into(con, {"t": table})
    t = con.table("t")
    assert t.count().execute() == 24
    assert t.x.isnull().sum().execute() == (3 if ibis.dtype(type_string).nullable else 0)
    raw = duckdb.connect()
    raw.register("t", table)
    assert raw.execute("SELECT count(*), count(x) FROM t").fetchone() == (
        24,
        24 - table["x"].null_count,
    )


def test_ibis_create_table_keeps_types() -> None:
    table = synthetic_table({"a": "!int64", "b": "decimal(10, 2)", "c": "array<string>"})
    con = ibis.duckdb.connect()
    load_into(con, {"t": table})
    assert con.table("t").schema() == ibis.schema(
        {"a": "!int64", "b": "decimal(10, 2)", "c": "array<string>"}
    )


def test_nulls_only_in_nullable_columns() -> None:
    table = synthetic_table({"a": "int64", "b": "!int64", "s": "struct<a: !int64>"})
    assert table["a"].null_count == 3
    assert table["b"].null_count == 0
    assert all(v is None or v["a"] is not None for v in table["s"].to_pylist())


def test_duplicates_and_edge_numbers() -> None:
    for type_string in ("int64", "float64", "string", "date", "decimal(10, 2)"):
        values = [v for v in synthetic_table({"x": type_string})["x"].to_pylist() if v is not None]
        assert len(set(values)) < len(values), type_string
    ints = synthetic_table({"x": "int64"})["x"].to_pylist()
    assert 0 in ints and any(v is not None and v < 0 for v in ints)
    assert max(abs(v) for v in ints if v is not None) <= 1000


def test_edge_strings_dates_and_collections() -> None:
    table = synthetic_table(
        {
            "s": "string",
            "d": "date",
            "ts": "timestamp",
            "b": "boolean",
            "a": "array<int64>",
            "m": "map<string, int64>",
        }
    )
    strings = set(table["s"].to_pylist())
    assert {"", "ünïcode", "日本"} <= strings
    assert any(s and ("'" in s or " " in s) for s in strings)
    dates = {str(d) for d in table["d"].to_pylist()}
    assert {"1970-01-01", "2000-02-29", "1999-12-31", "2038-01-19"} <= dates
    stamps = [t for t in table["ts"].to_pylist() if t is not None]
    assert any(t.microsecond for t in stamps) and any(not t.microsecond for t in stamps)
    assert {True, False} <= set(table["b"].to_pylist())
    assert [] in table["a"].to_pylist()
    assert [] in table["m"].to_pylist()


def test_keys_overlap_so_joins_return_rows() -> None:
    tables = synthetic_tables(
        {
            "customers": {"schema": {"id": "int64", "name": "string"}},
            "orders": {"schema": {"order_id": "int32", "customer_id": "int64", "name": "string"}},
        },
        seed=5,
    )
    con = duckdb.connect()
    load_into(con, tables)
    joined = con.execute("SELECT count(*) FROM customers c JOIN orders o ON c.id = o.customer_id")
    assert joined.fetchone()[0] > 0
    by_name = con.execute("SELECT count(*) FROM customers c JOIN orders o ON c.name = o.name")
    assert by_name.fetchone()[0] > 0
    # Non-shared columns of different tables still differ.
    assert tables["customers"]["id"].to_pylist() != tables["orders"]["customer_id"].to_pylist()


def test_key_pools_are_pure() -> None:
    t = ibis.dtype("int64")
    assert KeyPools(4).values("id", t) == KeyPools(4).values("user_id", t)
    assert KeyPools(4).values("id", t) != KeyPools(5).values("id", t)
    assert KeyPools(4).values("amount", t) is None
    assert all(-11 <= v <= 11 for v in KeyPools(4).values("id", ibis.dtype("int8")))
    assert is_key("id") and is_key("customer_id") and is_key("pkey") and is_key("userId")
    assert not is_key("paid") and not is_key("name")


@pytest.mark.parametrize("type_string", UNSUPPORTED)
def test_unsupported_types_raise(type_string: str) -> None:
    with pytest.raises(UnsupportedType, match=r"\S"):
        synthetic_table({"x": type_string})
    assert issubclass(UnsupportedType, ValueError)


def test_unparseable_type_raises_unsupported() -> None:
    with pytest.raises(UnsupportedType):
        synthetic_table({"x": "not a type"})


def test_query_literals_fill_a_third_of_the_rows_and_join_the_key_pool() -> None:
    schemas = {
        "item": {"schema": {"i_item_sk": "int32", "i_manufact_id": "int32", "i_color": "string"}},
        "sales": {"schema": {"ss_item_sk": "int32", "ss_quantity": "int32"}},
    }
    tables = synthetic_tables(schemas, seed=1, rows=60, hints=["powder", 738])
    colors = tables["item"].column("i_color").to_pylist()
    assert colors.count("powder") >= 15  # a third of the rows, not one of them
    # ``*_id`` and TPC-DS's ``*_sk`` are keys: they share a pool that holds the literal
    manufact = set(tables["item"].column("i_manufact_id").to_pylist())
    assert 738 in manufact
    items = set(tables["item"].column("i_item_sk").to_pylist()) - {None}
    sold = set(tables["sales"].column("ss_item_sk").to_pylist()) - {None}
    assert items & sold
    # no literals: nothing planted
    plain = synthetic_tables(schemas, seed=1, rows=60)
    assert "powder" not in plain["item"].column("i_color").to_pylist()
