"""TPC-H and TPC-DS queries of the Ibis test suite: human-written SQL beside its Ibis version.

In a checkout of Ibis, ``ibis/backends/tests/tpc/{h,ds}/test_queries.py`` holds one test
per query (``test_01`` ...) that returns the Ibis expression, and
``ibis/backends/tests/tpc/queries/duckdb/{h,ds}/NN.sql`` holds the SQL it must agree with.
The tables come from pytest fixtures filled from data files, so their schemas are not in
the repository: TPC-H's are those of the TPC-H specification (:data:`TPCH_SCHEMA`);
TPC-DS's 24 tables are known only from a DDL file given with ``--schema`` (the TPC-DS
kit's ``tools/tpcds.sql``, :mod:`ibert_mine.sources.ddl`); without one, or for a table
it does not define, the query is dropped (``tpc_schema_unknown``). The program is the
test's body (docstring left out, the final ``return x`` made the last expression ``x``),
after the imports it uses and, when it calls the suite's ``add_date`` helper, that
helper's source from ``tpc/conftest.py`` (annotations removed).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Mapping
from dataclasses import replace
from pathlib import Path

from ibert_mine.core.reasons import Reason, Reject
from ibert_mine.programs.human_sql import clean_sql
from ibert_mine.programs.program import Program, TableSource, stmt_of
from ibert_mine.programs.slicing import is_safe_import, loaded_names
from ibert_mine.sources.ddl import Schema
from ibert_mine.sources.python import ModuleUnit

TPC_TESTS = re.compile(r"(^|/)ibis/backends/tests/tpc/(h|ds)/test_queries\.py$")
_ID, _DEC, _STR, _INT, _DATE = "int64", "decimal(15, 2)", "string", "int32", "date"
# The eight tables of the TPC-H specification (identifiers, decimals, dates, text).
TPCH_SCHEMA: dict[str, Schema] = {
    "region": (("r_regionkey", _ID), ("r_name", _STR), ("r_comment", _STR)),
    "nation": (("n_nationkey", _ID), ("n_name", _STR), ("n_regionkey", _ID), ("n_comment", _STR)),
    "part": (
        ("p_partkey", _ID), ("p_name", _STR), ("p_mfgr", _STR), ("p_brand", _STR),
        ("p_type", _STR), ("p_size", _INT), ("p_container", _STR), ("p_retailprice", _DEC),
        ("p_comment", _STR),
    ),
    "supplier": (
        ("s_suppkey", _ID), ("s_name", _STR), ("s_address", _STR), ("s_nationkey", _ID),
        ("s_phone", _STR), ("s_acctbal", _DEC), ("s_comment", _STR),
    ),
    "partsupp": (
        ("ps_partkey", _ID), ("ps_suppkey", _ID), ("ps_availqty", _INT),
        ("ps_supplycost", _DEC), ("ps_comment", _STR),
    ),
    "customer": (
        ("c_custkey", _ID), ("c_name", _STR), ("c_address", _STR), ("c_nationkey", _ID),
        ("c_phone", _STR), ("c_acctbal", _DEC), ("c_mktsegment", _STR), ("c_comment", _STR),
    ),
    "orders": (
        ("o_orderkey", _ID), ("o_custkey", _ID), ("o_orderstatus", _STR),
        ("o_totalprice", _DEC), ("o_orderdate", _DATE), ("o_orderpriority", _STR),
        ("o_clerk", _STR), ("o_shippriority", _INT), ("o_comment", _STR),
    ),
    "lineitem": (
        ("l_orderkey", _ID), ("l_partkey", _ID), ("l_suppkey", _ID), ("l_linenumber", _INT),
        ("l_quantity", _DEC), ("l_extendedprice", _DEC), ("l_discount", _DEC), ("l_tax", _DEC),
        ("l_returnflag", _STR), ("l_linestatus", _STR), ("l_shipdate", _DATE),
        ("l_commitdate", _DATE), ("l_receiptdate", _DATE), ("l_shipinstruct", _STR),
        ("l_shipmode", _STR), ("l_comment", _STR),
    ),
}  # fmt: skip
HELPER_IMPORTS = "import datetime\nfrom dateutil.relativedelta import relativedelta\n"

SCHEMA_UNKNOWN = Reason(
    "tpc_schema_unknown", "a TPC query reads a table no --schema DDL file defines"
)
SQL_MISSING = Reason("tpc_sql_missing", "the TPC query's SQL file cannot be read")
NO_RETURN = Reason("tpc_no_return", "the TPC test does not end by returning its expression")
HELPER_MISSING = Reason(
    "tpc_helper_missing", "the TPC test calls add_date but the suite's conftest has none"
)
REASONS: tuple[Reason, ...] = (SCHEMA_UNKNOWN, SQL_MISSING, NO_RETURN, HELPER_MISSING)


def is_tpc_module(path: str) -> bool:
    """True for the TPC-H / TPC-DS query test modules of an Ibis checkout."""
    return TPC_TESTS.search(path) is not None


def tpc_pairs(
    unit: ModuleUnit, base: Path, schemas: Mapping[str, Schema] | None = None
) -> Iterator[Program | Reject]:
    """The program of every ``test_NN`` of a TPC query module, with its query's SQL.

    ``schemas`` are the tables known from DDL files (TPC-DS); TPC-H's tables are always
    those of the specification (both suites have a ``customer`` table).
    """
    match = TPC_TESTS.search(unit.provenance.path)
    assert match is not None
    suite = match.group(2)
    tpc_dir = unit.provenance.path[: match.end() - len(f"{suite}/test_queries.py")]
    imports = [stmt_of(unit, n) for n in unit.tree.body if is_safe_import(n)]
    helper = _add_date_source(base / tpc_dir / "conftest.py")
    for node in unit.tree.body:
        if not (isinstance(node, ast.FunctionDef) and re.fullmatch(r"test_\d\d", node.name)):
            continue
        # TPC-H's tables are the specification's, whatever a DDL file calls ``customer``
        known = {**(schemas or {}), **TPCH_SCHEMA} if suite == "h" else dict(schemas or {})
        program = _program(unit, node, imports, helper, known)
        if isinstance(program, Reject):
            yield program
            continue
        sql_path = f"{tpc_dir}queries/duckdb/{suite}/{node.name[5:]}.sql"
        try:
            sql = clean_sql((base / sql_path).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            yield SQL_MISSING()
            continue
        yield replace(program, sql=sql, sql_path=sql_path)


def _program(
    unit: ModuleUnit,
    node: ast.FunctionDef,
    imports: list,
    helper: str | None,
    known: Mapping[str, Schema],
) -> Program | Reject:
    body = node.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]  # the docstring
    if not body or not isinstance(body[-1], ast.Return) or body[-1].value is None:
        return NO_RETURN()
    texts = [stmt_of(unit, s).text for s in body[:-1]]
    texts.append(stmt_of(unit, body[-1]).text.removeprefix("return").strip())
    used = set().union(*(loaded_names(s) for s in body))
    prelude = [s.text for s in imports if _binds(s.node) & used]
    if "add_date" in used:
        if helper is None:
            return HELPER_MISSING()
        prelude.append(HELPER_IMPORTS + helper)
    params = [a.arg for a in node.args.args]
    if not all(p in known for p in params):
        return SCHEMA_UNKNOWN()
    code = "\n".join([*prelude, *texts]) + "\n"
    tables = tuple((p, TableSource(schema=known[p])) for p in sorted(params))
    return Program(
        code, tables, "tpc_suite", node.name, (node.lineno, node.end_lineno or node.lineno)
    )


def _binds(node: ast.stmt) -> set[str]:
    names = getattr(node, "names", [])
    return {(a.asname or a.name).split(".")[0] for a in names}


def _add_date_source(conftest: Path) -> str | None:
    """The ``add_date`` helper of the suite's conftest, without annotations."""
    try:
        tree = ast.parse(conftest.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, UnicodeDecodeError, ValueError):
        return None
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == "add_date":
            node.returns = None
            for arg in [*node.args.args, *node.args.kwonlyargs]:
                arg.annotation = None
            node.body = [s for s in node.body if not _is_docstring(s)]
            return ast.unparse(node)
    return None


def _is_docstring(stmt: ast.stmt) -> bool:
    return isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant)
