"""Result equality: bags and order, tolerance, normalisation, ORDER BY detection."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from ibert_mine.execution.compare import Result, same_result
from ibert_mine.execution.sql_shape import query_orders


def r(*rows: tuple, columns: tuple[str, ...] | None = None) -> Result:
    width = len(rows[0]) if rows else 1
    return Result(columns or tuple(f"c{i}" for i in range(width)), tuple(rows))


def test_bag_versus_ordered() -> None:
    a, b = r((1, "x"), (2, "y"), (2, "y")), r((2, "y"), (1, "x"), (2, "y"))
    assert same_result(a, b) == (True, "")
    ok, reason = same_result(a, b, ordered=True)
    assert not ok and reason.startswith("rows differ: first mismatch at row 0")
    assert same_result(a, a, ordered=True) == (True, "")


def test_multiplicity_matters() -> None:
    ok, reason = same_result(r((1,), (1,), (2,)), r((1,), (2,), (2,)))
    assert not ok and "rows differ" in reason


def test_row_and_column_counts() -> None:
    assert same_result(r((1,), (2,), (3,)), r((1,), (2,), (3,), (4,))) == (
        False,
        "row count 3 != 4",
    )
    ok, reason = same_result(r((1, 2)), r((1,)))
    assert not ok and reason.startswith("column count")


def test_float_tolerance() -> None:
    assert same_result(r((0.1 + 0.2,), (1e6 / 3,)), r((0.3,), (333333.3333333,)))[0]
    assert not same_result(r((1.0,)), r((1.001,)))[0]
    # Values straddling a rounding boundary still match through the greedy fallback.
    assert same_result(r((1.2345675,), (2.0,)), r((2.0,), (1.2345674999,)))[0]
    assert same_result(r((1.0,)), r((1.1,)), rel_tol=0.2)[0]
    assert same_result(r((1e-12,)), r((0,)))[0]


def test_columns_compared_by_position() -> None:
    a = r((1, "x"), columns=("a", "b"))
    assert same_result(a, r((1, "x"), columns=("p", "q")))[0]
    assert not same_result(a, r(("x", 1), columns=("b", "a")))[0]


def test_nan_and_none() -> None:
    nan = float("nan")
    assert same_result(r((nan,), (None,)), r((None,), (nan,)))[0]
    assert same_result(r((None, 1)), r((None, 1.0)))[0]
    assert not same_result(r((None,)), r((0,)))[0]
    assert same_result(r((pd.NA,), (pd.NaT,)), r((None,), (None,)))[0]


def test_decimal_int_and_float() -> None:
    assert same_result(r((Decimal("1.10"), 3)), r((1.1, Decimal("3"))))[0]
    assert same_result(r((np.int64(5), np.float32(0.5))), r((5.0, 0.5)))[0]
    assert not same_result(r((Decimal("1.1"),)), r(("1.1",)))[0]


def test_temporal_values() -> None:
    aware = dt.datetime(2020, 1, 1, 12, tzinfo=dt.UTC)
    assert same_result(r((pd.Timestamp("2020-01-01 12:00"),)), r((dt.datetime(2020, 1, 1, 12),)))[0]
    assert same_result(r((aware,)), r((pd.Timestamp("2020-01-01 12:00", tz="UTC"),)))[0]
    assert same_result(r((dt.date(2000, 2, 29),)), r((np.datetime64("2000-02-29"),)))[0]
    assert same_result(r((pd.Timedelta(seconds=90),)), r((dt.timedelta(minutes=1.5),)))[0]
    assert not same_result(r((dt.date(2000, 2, 29),)), r((dt.date(2000, 3, 1),)))[0]


def test_nested_values() -> None:
    assert same_result(r(([1, 2.0000000001],)), r((np.array([1, 2]),)))[0]
    assert same_result(r(({"a": 1, "b": "x"},)), r(({"a": 1.0, "b": "x"},)))[0]
    # Arrow maps come as lists of pairs, pandas maps as dicts.
    assert same_result(r(([("k", 1), ("j", 2)],)), r(({"j": 2, "k": 1},)))[0]
    assert same_result(r(([],)), r(({},)))[0]
    assert not same_result(r(([1, 2],)), r(([2, 1],)))[0]
    assert same_result(r((b"\x00\xff",)), r((bytearray(b"\x00\xff"),)))[0]


def test_pandas_and_arrow_inputs_agree() -> None:
    table = pa.table(
        {
            "i": pa.array([1, None, 3], pa.int64()),
            "f": [0.5, None, 2.25],
            "s": ["a", None, "日本"],
            "d": pa.array([dt.date(2000, 2, 29), None, dt.date(1970, 1, 1)]),
            "t": pa.array([dt.datetime(2020, 1, 1, 0, 0, 0, 5), None, dt.datetime(1999, 12, 31)]),
        }
    )
    from_arrow = Result.from_arrow(table)
    from_pandas = Result.from_pandas(table.to_pandas())
    assert from_arrow.columns == from_pandas.columns == ("i", "f", "s", "d", "t")
    assert same_result(from_arrow, from_pandas, ordered=True) == (True, "")
    assert all(type(v) is not np.float64 for row in from_pandas.rows for v in row)
    assert from_pandas.rows[1] == (None, None, None, None, None)


def test_from_value() -> None:
    assert Result.from_value(np.int64(3)).rows == ((3,),)
    assert type(Result.from_value(np.int64(3)).rows[0][0]) is int
    assert Result.from_value(pd.Series([1, 2], name="x")) == Result(("x",), ((1,), (2,)))
    assert Result.from_value(pa.scalar(2.5)).rows == ((2.5,),)
    assert Result.from_pandas(pd.Series([1.5])).rows == ((1.5,),)
    assert Result.from_value(pa.table({"a": [1]})) == Result(("a",), ((1,),))
    assert Result(("a",), ()).empty and not Result.from_value(1).empty


def test_large_results_are_fast() -> None:
    rows = tuple((i % 97, float(i) / 7, str(i)) for i in range(10_000))
    a, b = r(*rows), r(*reversed(rows))
    assert same_result(a, b) == (True, "")
    ok, _ = same_result(a, r(*rows[:-1], (0, 0.0, "x")))
    assert not ok


def test_no_float_key_for_infinity() -> None:
    assert same_result(r((math.inf,)), r((float("inf"),)))[0]
    assert not same_result(r((math.inf,)), r((-math.inf,)))[0]


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("SELECT a FROM t ORDER BY a", True),
        ("SELECT a FROM t ORDER BY a DESC LIMIT 3", True),
        ("SELECT a FROM (SELECT a FROM t ORDER BY a) AS s", False),
        ("SELECT a FROM t", False),
        ("WITH s AS (SELECT a FROM t ORDER BY a) SELECT * FROM s", False),
        ("WITH s AS (SELECT a FROM t) SELECT * FROM s ORDER BY 1", True),
        ("SELECT a FROM t UNION ALL SELECT a FROM u ORDER BY a", True),
        ("(SELECT a FROM t ORDER BY a)", True),
        ("SELECT a FROM t WHERE a IN (SELECT b FROM u ORDER BY b)", False),
        ("SELEC * FROM (", False),
    ],
)
def test_query_orders(sql: str, expected: bool) -> None:
    assert query_orders(sql) is expected


def test_ibis_program_and_its_sql_agree_on_synthetic_data() -> None:
    import duckdb
    import ibis

    from ibert_mine.execution.data import load_into, synthetic_tables

    spec = {
        "orders": {"schema": {"customer_id": "int64", "amount": "float64", "day": "date"}},
        "customers": {"schema": {"id": "int64", "name": "string"}},
    }
    tables = synthetic_tables(spec, seed=1)
    orders = ibis.table(spec["orders"]["schema"], name="orders")
    customers = ibis.table(spec["customers"]["schema"], name="customers")
    expr = (
        orders.join(customers, orders.customer_id == customers.id)
        .group_by("name")
        .aggregate(total=lambda t: t.amount.sum(), n=lambda t: t.count())
        .order_by("name")
    )
    sql = ibis.to_sql(expr, dialect="duckdb")
    con = ibis.duckdb.connect()
    load_into(con, tables)
    raw = duckdb.connect()
    load_into(raw, tables)
    ibis_side = Result.from_pandas(con.execute(expr))
    sql_side = Result.from_arrow(raw.sql(str(sql)).to_arrow_table())
    assert not ibis_side.empty
    assert query_orders(str(sql))
    assert same_result(ibis_side, sql_side, ordered=query_orders(str(sql))) == (True, "")


def test_rows_tied_on_the_order_keys_may_come_in_any_order() -> None:
    from ibert_mine.execution.sql_shape import order_keys

    sql = 'SELECT "b", "a" FROM t ORDER BY "b"'
    keys = order_keys(sql, ("b", "a"))
    assert keys == [0]
    a = Result(("b", "a"), ((1, "x"), (1, "y"), (2, "z")))
    b = Result(("b", "a"), ((1, "y"), (1, "x"), (2, "z")))
    assert same_result(a, b, ordered=True, order_keys=keys)[0]
    assert not same_result(a, b, ordered=True)[0]  # row by row, the tie is a mismatch
    c = Result(("b", "a"), ((2, "z"), (1, "x"), (1, "y")))
    assert not same_result(a, c, ordered=True, order_keys=keys)[0]  # keys out of order
    assert order_keys("SELECT a FROM t ORDER BY a + 1", ("a",)) is None
    assert order_keys("SELECT a, b FROM t ORDER BY 2", ("a", "b")) == [1]


def test_decimals_of_different_scales_agree_to_the_coarser_scale() -> None:
    a = Result(("s",), ((Decimal("-1669.26"),), (Decimal("1.00"),)))
    b = Result(("s",), ((Decimal("-1669.2569"),), (Decimal("1.0040"),)))
    assert same_result(a, b)[0]
    assert same_result(a, b, ordered=True)[0]
    c = Result(("s",), ((Decimal("-1669.2469"),), (Decimal("1.0040"),)))
    assert not same_result(a, c)[0]  # more than half a cent away


def test_results_of_nothing_are_not_informative() -> None:
    assert not Result(("n",), ((0,),)).informative  # count(*) over no rows
    assert not Result(("s", "b"), ((None, False), ("", Decimal("0.00")))).informative
    assert not Result(("n",), ()).informative
    assert Result(("n",), ((0,), (3,))).informative
    assert Result(("d",), ((dt.date(2000, 1, 1),),)).informative
