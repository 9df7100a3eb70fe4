"""Run an Ibis expression and a SQL query on the same synthetic tables, as a test suite.

:func:`execute_pair` compares the two on several draws of data
(:data:`~ibert_mine.execution.draws.SUITE`): one agreeing draw can be luck (a filter that
keeps everything), several are evidence. Empty results on both sides do not count as
executed, nor results holding only NULLs, zeros and empty strings (``count(*)`` over no
rows): the data is drawn again with other seeds until a result holds a real value. A
readable rewrite of the SQL, and Ibis decompiled from it, are kept only when they agree on
every draw too. The aimed draws that killed the program's mutants (``meta.mutants.draws``)
are compared on as well when a record is replayed.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from typing import Any

import pyarrow as pa

from ibert_mine.execution.compare import Result, same_result
from ibert_mine.execution.decompile import recovered_program
from ibert_mine.execution.draws import SMALL_DRAWS, SUITE, Draw, load_draw
from ibert_mine.execution.readable import is_generated_name
from ibert_mine.execution.simplify import simplify
from ibert_mine.execution.sql_shape import order_keys, outer_limit, query_orders
from ibert_mine.execution.tables import duckdb_connection, fixed_names, raw_duckdb, run_on_tables


def literal_hints(sql: str) -> list[Any]:
    """Literals of ``sql`` to seed the data with: strings, numbers, dates built from parts
    (``MAKE_DATE(1998, 9, 1)``), and a string matching each LIKE pattern (``'%BRASS'`` ->
    ``'xBRASS'``)."""
    import sqlglot  # heavy: imported on first use
    from sqlglot import exp

    try:
        tree = sqlglot.parse_one(sql, read="duckdb")
    except sqlglot.errors.SqlglotError:
        return []
    hints: list[Any] = [
        text for node in tree.find_all(exp.DateFromParts, exp.TimestampFromParts)
        if (text := _date_of_parts(node)) is not None
    ]  # fmt: skip
    for literal in tree.find_all(exp.Literal):
        text = literal.this
        if literal.is_string:
            like = isinstance(literal.parent, exp.Like | exp.ILike)
            hints.append(text.replace("%", "x").replace("_", "x") if like else text)
        else:
            try:
                number = int(text) if text.lstrip("-").isdigit() else float(text)
            except ValueError:
                continue
            if math.isfinite(number):  # recorded in JSON (meta.mutants.aimed_at)
                hints.append(number)
    return sorted(set(hints), key=lambda v: (type(v).__name__, str(v)))


def _date_of_parts(node: Any) -> str | None:
    """``MAKE_DATE(1998, 9, 1)`` (or ``MAKE_TIMESTAMP``'s date) as ``'1998-09-01'``."""
    try:
        parts = [int(node.args[k].this) for k in ("year", "month", "day")]
        return dt.date(*parts).isoformat()
    except (KeyError, AttributeError, TypeError, ValueError):
        return None


def shape_differs(expr_sql: str, sql: str, names: tuple[str, ...], got: tuple[str, ...]) -> str:
    """Why an Ibis expression (compiled to ``expr_sql``, giving columns ``names``) is not
    the hand-written ``sql`` (giving ``got``) even where their rows agree: other column
    names, an ORDER BY on one side only, another LIMIT ('' when none)."""
    if tuple(n.lower() for n in names) != tuple(g.lower() for g in got):
        return f"column names differ: {list(names)} != {list(got)}"
    if query_orders(expr_sql) != query_orders(sql):
        return "ORDER BY on one side only"
    if outer_limit(expr_sql) != outer_limit(sql):
        return f"LIMIT differs: {outer_limit(expr_sql)} != {outer_limit(sql)}"
    return ""


def execute_pair(
    expr: Any,
    sql: str,
    schemas: dict[str, dict[str, str]],
    readable: str | None,
    human: str | None = None,
    aimed: Sequence[Draw] = (),
    aim_hints: Sequence[Any] = (),
) -> dict[str, Any]:
    """Run ``expr`` and ``sql`` on synthetic tables and compare them, as a test suite.

    Every pair is compared on the first :data:`SMALL_DRAWS` draws of data (and on larger
    ones until a result has rows): one agreeing draw can be luck (a filter that happens to
    keep everything), several are evidence. The readable rewrite and the Ibis decompiled
    from it must agree on every draw too. ``aimed`` draws (aimed at ``aim_hints``, the
    literals of the program's DuckDB SQL) must agree as well.

    ``sql`` written by hand (``human``: the expression's own DuckDB SQL) is held to more:
    the 120-row draw runs too, and the column names, the outermost ORDER BY and LIMIT must
    be those of the expression.

    """
    hints = literal_hints(sql)
    names = column_names(expr)
    recovered = decompile_sql(readable, schemas) if readable is not None else []
    readable_ok, non_empty = readable is not None, None
    con = duckdb_connection()  # each draw's tables replace the last one's
    for n, draw in enumerate(SUITE):
        if non_empty is not None and n >= (SMALL_DRAWS + 1 if human else SMALL_DRAWS):
            break  # hand-written SQL: the 120-row draw too, where a LIMIT or a tie shows
        compared = _compare(con, expr, sql, schemas, draw, hints, aim_hints)
        if isinstance(compared, dict):
            return compared
        expected, got = compared
        if human is not None and n == 0 and (why := shape_differs(human, sql, names, got)):
            return {"executed": False, "reason": f"results_differ: {why}", "readable": None}
        readable_ok = readable_ok and _same_rows(con, readable, expected, names)
        recovered = [r for r in recovered if _recovered_agrees(con, r, expected, names)]
        if non_empty is None and expected.informative:
            non_empty = draw
    if non_empty is None:
        return {"executed": False, "reason": "empty_result", "readable": None}
    for draw in aimed:  # validate --execute: the recorded aimed draws
        compared = _compare(con, expr, sql, schemas, draw, hints, aim_hints)
        if isinstance(compared, dict):
            seen = compared["reason"].split(":")[0]
            return {**compared, "reason": f"{seen} on aimed draw {draw.seed}/{draw.rows}"}
        readable_ok = readable_ok and _same_rows(con, readable, compared[0], names)
    return {
        "executed": True,
        "reason": "",
        "seed": non_empty.seed,
        "rows": non_empty.rows,
        "readable": readable if readable_ok else None,
        "decompiled": recovered[0][0] if readable_ok and recovered else None,
    }


def disagreement(
    sql: str,
    other: str,
    schemas: dict[str, dict[str, str]],
    aimed: Sequence[Draw],
    aim_hints: Sequence[Any],
) -> str:
    """Why ``other`` (a readable rewrite, hand-written SQL) returns other rows than ``sql``
    (the program's DuckDB SQL) on one of the ``aimed`` draws; ``""`` when it agrees on all.
    SQL against SQL on a plain DuckDB connection: the program's rows are its SQL's."""
    con = raw_duckdb()
    ordered = query_orders(other, "duckdb")
    for draw in aimed:
        try:
            load_draw(con, schemas, draw, (), aim_hints)
            expected = Result.from_arrow(con.sql(sql).to_arrow_table())
            got = Result.from_arrow(con.sql(other).to_arrow_table())
        except Exception as err:
            return f"execution_error: {type(err).__name__} on aimed draw {draw.seed}/{draw.rows}"
        keys = order_keys(other, got.columns) if ordered else None
        if not same_result(expected, got, ordered=ordered, order_keys=keys)[0]:
            return f"results_differ on aimed draw {draw.seed}/{draw.rows}"
    return ""


def _compare(
    con: Any,
    expr: Any,
    sql: str,
    schemas: dict[str, dict[str, str]],
    draw: Draw,
    hints: Sequence[Any],
    aim_hints: Sequence[Any],
) -> tuple[Result, tuple[str, ...]] | dict[str, Any]:
    """``expr``'s rows and ``sql``'s column names on ``draw`` when they agree, else why not."""
    try:
        load_draw(con.con, schemas, draw, hints, aim_hints)
        expected = _run_ibis(con, expr)
        got = Result.from_arrow(con.con.sql(sql).to_arrow_table())
    except Exception as err:
        return {"executed": False, "reason": f"execution_error: {type(err).__name__}: {err}"[:300]}
    ordered = query_orders(sql, "duckdb")
    keys = order_keys(sql, got.columns) if ordered else None
    same, why = same_result(expected, got, ordered=ordered, order_keys=keys)
    if not same:
        return {"executed": False, "reason": f"results_differ: {why}", "readable": None}
    return expected, got.columns


def decompile_sql(sql: str, schemas: dict[str, dict[str, str]]) -> list[tuple[str, Any]]:
    """Ibis decompiled from ``sql``, with the expression it builds: simplified first
    (:mod:`~ibert_mine.execution.simplify`), then as the decompiler wrote it; none when
    it cannot be decompiled. The caller keeps the first that returns the same rows."""
    with fixed_names(sql):
        code = recovered_program(sql, schemas)
    if code is None:
        return []
    found = []
    for candidate in dict.fromkeys((simplify(code), code)):
        try:
            found.append((candidate, run_on_tables(candidate, schemas)))
        except Exception:  # a recovery that does not run is not kept
            continue
    return found


def _recovered_agrees(
    con: Any, recovered: tuple[str, Any], expected: Any, names: tuple[str, ...]
) -> bool:
    """True when the recovered program returns ``expected``, under the same column names."""
    code, expr = recovered
    if not same_names(column_names(expr), names):
        return False
    try:
        got = _run_ibis(con, expr)
    except Exception:
        return False
    return same_result(expected, got, ordered="order_by" in code)[0]


def _run_ibis(con: Any, expr: Any) -> Any:
    """The rows of ``expr`` through Ibis: Arrow first, pandas when Arrow cannot convert
    (decimal rescaling, intervals)."""
    try:
        return Result.from_value(con.to_pyarrow(expr))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return Result.from_value(con.execute(expr))


def same_names(got: tuple[str, ...], names: tuple[str, ...]) -> bool:
    """True when a rewrite gives the program's column names, but where Ibis made a name up
    for an unnamed column (the rewrite names it as a person would)."""
    return len(got) == len(names) and all(
        g == n or is_generated_name(n) for g, n in zip(got, names, strict=True)
    )


def column_names(expr: Any) -> tuple[str, ...]:
    """The column names of ``expr``'s result (a value is a one-column table)."""
    import ibis  # heavy: imported on first use

    table = expr if isinstance(expr, ibis.Table) else expr.as_table()
    return tuple(table.columns)


def _same_rows(con: Any, sql: str, expected: Any, names: tuple[str, ...]) -> bool:
    """True when ``sql`` runs and returns ``expected`` under the same column names."""
    try:
        got = Result.from_arrow(con.con.sql(sql).to_arrow_table())
    except Exception:  # a rewrite that does not run is simply not kept
        return False
    if not same_names(got.columns, names):
        return False
    ordered = query_orders(sql, "duckdb")
    keys = order_keys(sql, got.columns) if ordered else None
    return same_result(expected, got, ordered=ordered, order_keys=keys)[0]
