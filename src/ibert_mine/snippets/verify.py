"""Run one Ibis program in the sandbox: schemas, compilation in every dialect, execution.

:func:`verify_program` is what a sandbox worker calls (``ibert_mine.snippets.verify:
verify_program``). It builds the declared tables, runs the program, compiles its result
with ``ibis.to_sql`` in each dialect (the SQL must parse back with sqlglot in that
dialect), then executes the Ibis program and the DuckDB SQL on synthetic tables and
compares the rows. Empty results on both sides do not count as executed, nor results
holding only NULLs, zeros and empty strings (``count(*)`` over no rows): the data is
drawn again with other seeds until a result holds a real value. A human-readable rewrite of the
DuckDB SQL is kept when it returns the same rows too.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

# (seed, rows) tried in turn until a result has rows; odd seeds carry the query's literals,
# the last ones are larger so that many-way joins with selective filters meet.
DRAWS = ((0, 24), (1, 24), (2, 24), (3, 24), (5, 120), (7, 400))
SMALL_DRAWS = 4
# DuckDB's own C++ code is not seen by the sandbox's audit hook: close its doors itself.
# One thread: rows that tie under an ORDER BY come out in the same order on every run.
DUCKDB_CONFIG = {
    "threads": 1,
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
}


def duckdb_connection() -> Any:
    """An in-memory DuckDB connection that can read no file and load no extension."""
    import ibis

    return ibis.duckdb.connect(**DUCKDB_CONFIG)


class ProgramError(Exception):
    """The program does not give an Ibis expression (or its tables cannot be built)."""


class UndeclaredTable(ProgramError):
    """The program reads a table that is not one of its declared tables."""


class TrivialProgram(ProgramError):
    """The program is a bare literal on no table: nothing to translate."""


def _schemas(tables: list[tuple[str, dict[str, Any]]]) -> dict[str, dict[str, str]]:
    import ibis

    out: dict[str, dict[str, str]] = {}
    for name, spec in tables:
        if spec.get("schema") is not None:
            schema = ibis.schema(dict(spec["schema"]))
        else:
            obj = eval(spec["source"], {"ibis": ibis})  # sandboxed: no I/O, no network
            if not isinstance(obj, ibis.Table):
                raise ProgramError(f"table {name!r} is not an Ibis table")
            schema = obj.schema()
        out[name] = {col: str(dtype) for col, dtype in schema.items()}
    return out


def run_program(code: str, namespace: dict[str, Any]) -> Any:
    """Execute ``code`` and return the value of its last expression."""
    import ast

    tree = ast.parse(code)
    if not tree.body or not isinstance(tree.body[-1], ast.Expr):
        raise ProgramError("the program does not end with an expression")
    last = ast.Expression(tree.body.pop().value)
    exec(compile(tree, "<program>", "exec"), namespace)
    return eval(compile(last, "<program>", "eval"), namespace)


def run_on_tables(code: str, schemas: dict[str, dict[str, str]]) -> Any:
    """Run ``code`` with ``ibis`` and one unbound table per declared schema; its last value."""
    import ibis

    namespace: dict[str, Any] = {"ibis": ibis}
    namespace.update({name: ibis.table(cols, name=name) for name, cols in schemas.items()})
    return run_program(code, namespace)


def sqlglot_dialect(dialect: str) -> Any:
    """The sqlglot dialect Ibis compiles ``dialect`` with (no backend driver needed)."""
    import importlib

    return importlib.import_module(f"ibis.backends.sql.compilers.{dialect}").compiler.dialect


def compile_all(
    expr: Any, dialects: list[str], code: str = ""
) -> tuple[dict[str, str], dict[str, str]]:
    """SQL of ``expr`` per dialect (parsing back with sqlglot), and failures by dialect.

    Names the compiler generates are fixed per (program, dialect), whatever the order in
    which dialects are compiled.
    """
    import ibis
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


def literal_hints(sql: str) -> list[Any]:
    """Literals of ``sql`` to seed the data with: strings, numbers, and a string matching
    each LIKE pattern (``'%BRASS'`` -> ``'xBRASS'``)."""
    import sqlglot
    from sqlglot import exp

    try:
        tree = sqlglot.parse_one(sql, read="duckdb")
    except sqlglot.errors.SqlglotError:
        return []
    hints: list[Any] = []
    for literal in tree.find_all(exp.Literal):
        text = literal.this
        if literal.is_string:
            like = isinstance(literal.parent, exp.Like | exp.ILike)
            hints.append(text.replace("%", "x").replace("_", "x") if like else text)
        else:
            try:
                hints.append(int(text) if text.lstrip("-").isdigit() else float(text))
            except ValueError:
                continue
    return sorted(set(hints), key=lambda v: (type(v).__name__, str(v)))


def shape_differs(expr_sql: str, sql: str, names: tuple[str, ...], got: tuple[str, ...]) -> str:
    """Why an Ibis expression (compiled to ``expr_sql``, giving columns ``names``) is not
    the hand-written ``sql`` (giving ``got``) even where their rows agree: other column
    names, an ORDER BY on one side only, another LIMIT ('' when none)."""
    from ibert_mine.snippets.compare import outer_limit, query_orders

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
) -> dict[str, Any]:
    """Run ``expr`` and ``sql`` on synthetic tables and compare them, as a test suite.

    Every pair is compared on the first :data:`SMALL_DRAWS` draws of data (and on larger
    ones until a result has rows): one agreeing draw can be luck (a filter that happens to
    keep everything), several are evidence. The readable rewrite and the Ibis decompiled
    from it must agree on every draw too.

    ``sql`` written by hand (``human``: the expression's own DuckDB SQL) is held to more:
    the 120-row draw runs too, and the column names, the outermost ORDER BY and LIMIT must
    be those of the expression.
    """
    from ibert_mine.snippets.compare import Result, order_keys, query_orders, same_result

    ordered = query_orders(sql, "duckdb")
    hints = literal_hints(sql)
    names = _column_names(expr)
    recovered = _recovered(readable, schemas) if readable is not None else None
    readable_ok, non_empty = readable is not None, None
    for n, (seed, rows) in enumerate(DRAWS):
        if non_empty is not None and n >= (SMALL_DRAWS + 1 if human else SMALL_DRAWS):
            break  # hand-written SQL: the 120-row draw too, where a LIMIT or a tie shows
        con = duckdb_connection()
        try:
            _load(con, schemas, seed, rows, hints if seed % 2 else ())  # odd: query literals
            expected = _run_ibis(con, expr)
            got = Result.from_arrow(con.con.sql(sql).to_arrow_table())
        except Exception as err:
            return {
                "executed": False,
                "reason": f"execution_error: {type(err).__name__}: {err}"[:300],
            }
        keys = order_keys(sql, got.columns) if ordered else None
        same, why = same_result(expected, got, ordered=ordered, order_keys=keys)
        if same and human is not None and n == 0:
            why = shape_differs(human, sql, names, got.columns)
            same = not why
        if not same:
            return {"executed": False, "reason": f"results_differ: {why}", "readable": None}
        readable_ok = readable_ok and _same_rows(con, readable, expected, names)
        if recovered is not None and not _recovered_agrees(con, recovered, expected, names):
            recovered = None
        if non_empty is None and expected.informative:
            non_empty = (seed, rows)
    if non_empty is None:
        return {"executed": False, "reason": "empty_result", "readable": None}
    return {
        "executed": True,
        "reason": "",
        "seed": non_empty[0],
        "rows": non_empty[1],
        "readable": readable if readable_ok else None,
        "decompiled": recovered[0] if readable_ok and recovered is not None else None,
    }


def _load(con: Any, schemas: dict[str, dict[str, str]], seed: int, rows: int, hints: Any) -> None:
    """Register the synthetic tables of one draw on ``con``."""
    from ibert_mine.snippets.data import synthetic_tables

    for name, table in synthetic_tables(schemas, seed, rows, hints).items():
        con.con.register(name, table)


def _recovered(sql: str, schemas: dict[str, dict[str, str]]) -> tuple[str, Any] | None:
    """Ibis decompiled from ``sql`` and the expression it builds, or None."""
    from ibert_mine.snippets.decompile import recovered_program

    with fixed_names(sql):
        code = recovered_program(sql, schemas)
    if code is None:
        return None
    try:
        return code, run_on_tables(code, schemas)
    except Exception:  # a recovery that does not run is not kept
        return None


def _recovered_agrees(
    con: Any, recovered: tuple[str, Any], expected: Any, names: tuple[str, ...]
) -> bool:
    """True when the recovered program returns ``expected``, under the same column names."""
    from ibert_mine.snippets.compare import same_result

    code, expr = recovered
    if _column_names(expr) != names:
        return False
    try:
        got = _run_ibis(con, expr)
    except Exception:
        return False
    return same_result(expected, got, ordered="order_by" in code)[0]


def _run_ibis(con: Any, expr: Any) -> Any:
    """The rows of ``expr`` through Ibis: Arrow first, pandas when Arrow cannot convert
    (decimal rescaling, intervals)."""
    import pyarrow as pa

    from ibert_mine.snippets.compare import Result

    try:
        return Result.from_value(con.to_pyarrow(expr))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return Result.from_value(con.execute(expr))


def _column_names(expr: Any) -> tuple[str, ...]:
    """The column names of ``expr``'s result (a value is a one-column table)."""
    import ibis

    table = expr if isinstance(expr, ibis.Table) else expr.as_table()
    return tuple(table.columns)


def _same_rows(con: Any, sql: str, expected: Any, names: tuple[str, ...]) -> bool:
    """True when ``sql`` runs and returns ``expected`` under the same column names."""
    from ibert_mine.snippets.compare import Result, order_keys, query_orders, same_result

    try:
        got = Result.from_arrow(con.con.sql(sql).to_arrow_table())
    except Exception:  # a rewrite that does not run is simply not kept
        return False
    if tuple(got.columns) != names:
        return False
    ordered = query_orders(sql, "duckdb")
    keys = order_keys(sql, got.columns) if ordered else None
    return same_result(expected, got, ordered=ordered, order_keys=keys)[0]


@contextmanager
def fixed_names(code: str) -> Iterator[None]:
    """Make Ibis's generated names (``ibis_table_unnest_<uuid>``...) a function of ``code``.

    Ibis draws them from ``uuid.uuid4``; while a program runs, that yields UUIDs hashed from
    the program and a counter, so its SQL is the same on every run (and in ``validate``).
    """
    import uuid

    import ibis.util

    seed = hashlib.sha256(code.encode()).digest()
    counter = itertools.count()

    def fake_uuid4() -> uuid.UUID:
        raw = hashlib.sha256(seed + next(counter).to_bytes(8, "big")).digest()[:16]
        return uuid.UUID(bytes=raw, version=4)

    saved = uuid.uuid4, ibis.util.uuid4
    uuid.uuid4 = ibis.util.uuid4 = fake_uuid4  # type: ignore[assignment]
    try:
        yield
    finally:
        uuid.uuid4, ibis.util.uuid4 = saved  # type: ignore[assignment]


def verify_program(payload: dict[str, Any]) -> dict[str, Any]:
    """Everything known about one program: schemas, SQL per dialect, execution outcome."""
    import ibis

    from ibert_mine.snippets.readable import readable_sql

    schemas = _schemas(payload["tables"])
    with fixed_names(payload["code"]):  # the tables are built: count names from here
        expr = run_on_tables(payload["code"], schemas)
        if isinstance(expr, ibis.Expr):
            sqls, failed = compile_all(expr, list(payload["dialects"]), payload["code"])
    if not isinstance(expr, ibis.Expr):
        raise ProgramError(f"the result is a {type(expr).__name__}, not an Ibis expression")
    import ibis.expr.operations as ops

    if not schemas and isinstance(expr.op(), ops.Literal):
        raise TrivialProgram("a bare literal")
    undeclared = undeclared_tables(expr, schemas)
    if undeclared:  # an inline memtable or unnamed table: its SQL names a generated table
        raise UndeclaredTable(f"reads tables that are not declared: {undeclared}")
    result: dict[str, Any] = {"schemas": schemas, "sql": sqls, "failed": failed}
    if "duckdb" not in sqls:
        result.update(executed=False, reason="no_duckdb_sql", readable=None)
        return result
    from ibis.backends.sql.datatypes import DuckDBType

    duck_types = {
        name: {col: DuckDBType.from_ibis(ibis.dtype(t)).sql("duckdb") for col, t in cols.items()}
        for name, cols in schemas.items()
    }
    readable = readable_sql(sqls["duckdb"], duck_types) if payload.get("readable") else None
    result.update(execute_pair(expr, sqls["duckdb"], schemas, readable))
    if payload.get("human_sql"):
        human = payload["human_sql"]
        result["human"] = execute_pair(expr, human, schemas, None, human=sqls["duckdb"])
    return result


def undeclared_tables(expr: Any, schemas: dict[str, dict[str, str]]) -> list[str]:
    """Names of the tables ``expr`` reads that are not unbound tables declared in ``schemas``
    (inline memtables, unnamed tables: their SQL names a generated table)."""
    import ibis.expr.operations as ops

    return sorted(
        t.name
        for t in expr.op().find(ops.PhysicalTable)
        if not (isinstance(t, ops.UnboundTable) and t.name in schemas)
    )


def check_sql(payload: dict[str, Any]) -> dict[str, Any]:
    """Run a program and a SQL query (of ``payload["dialect"]``, DuckDB by default) on the
    same synthetic tables and compare the rows."""
    import ibis

    from ibert_mine.snippets.verify_human import to_duckdb

    schemas = _schemas(payload["tables"])
    with fixed_names(payload["code"]):
        expr = run_on_tables(payload["code"], schemas)
    if not isinstance(expr, ibis.Expr):
        raise ProgramError(f"the result is a {type(expr).__name__}, not an Ibis expression")
    sql = to_duckdb(payload["sql"], payload.get("dialect") or "duckdb")
    return execute_pair(expr, sql, schemas, None)
