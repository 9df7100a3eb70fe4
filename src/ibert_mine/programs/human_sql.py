"""Hand-written SQL in a session, and the human Ibis programs around it that may compute it.

Where the SQL comes from (``HumanSql.how``):

- ``sql_string``: a string literal passed to ``.sql(...)`` (``t.sql("SELECT ...")``,
  ``con.sql(...)``), with its ``dialect=`` when given;
- ``sql_cell``: a SQL code cell of a docs page or notebook (```` ```sql ````, ``%%sql``).

The SQL names tables by their *table* names (``ibis.table(schema, name="my_data")``), not
by Python variables. A table name is known when the session defines it with
``ibis.table(..., name=...)``, ``ibis.memtable(..., name=...)`` or an example fetched with
a known schema; SQL that reads any other table is dropped with a reason. The candidates
are the session's programs on those tables, nearest first; each is rewritten to read the
tables by their SQL names (``t = my_data`` first). Which candidate, if any, computes the
SQL is decided by running both in the sandbox
(:func:`ibert_mine.execution.pair_sql.pair_human_sql`).
"""

from __future__ import annotations

import ast
import keyword
import logging
import textwrap
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from ibert_mine.core.reasons import Reason, Reject
from ibert_mine.programs.program import Program, TableSource
from ibert_mine.programs.slicing import Stmt

MAX_CANDIDATES = 8
MAX_SQL_CHARS = 5000
DEFAULT_DIALECT = "duckdb"  # Ibis's default backend; the dialect of unbound tables' SQL

TOO_LONG = Reason("human_sql_too_long", f"hand-written SQL over {MAX_SQL_CHARS} characters")
UNPARSED = Reason("human_sql_unparsed", "hand-written SQL that sqlglot cannot parse")
NOT_A_QUERY = Reason("human_sql_not_a_query", "hand-written SQL that is not one query (DDL, DML)")
TABLE_FUNCTION = Reason(
    "human_sql_table_function", "the SQL reads a table function or a qualified table"
)
NO_TABLE = Reason("human_sql_no_table", "the SQL reads no table")
DIALECT_UNKNOWN = Reason(
    "human_sql_dialect_unknown", "the session connects to a backend whose dialect is not stated"
)
UNKNOWN_TABLE = Reason(
    "human_sql_unknown_table", "the SQL reads a table the session does not define with a schema"
)
TABLE_NAME = Reason("human_sql_table_name", "a table name that cannot be a Python variable")
REASONS: tuple[Reason, ...] = (
    TOO_LONG, UNPARSED, NOT_A_QUERY, TABLE_FUNCTION, NO_TABLE, DIALECT_UNKNOWN, UNKNOWN_TABLE,
    TABLE_NAME,
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class SqlText:
    """A piece of hand-written SQL: its text, dialect (None: not stated) and file lines."""

    sql: str
    dialect: str | None
    lines: tuple[int, int]
    how: str  # "sql_string" | "sql_cell"


@dataclass(frozen=True, slots=True)
class NamedTable:
    """A table of the session that SQL can name: its SQL name, variable and schema source."""

    sql_name: str
    var: str
    source: TableSource
    line: int


@dataclass(frozen=True, slots=True)
class HumanSql:
    """Hand-written SQL and the human Ibis programs that may compute it, nearest first."""

    text: SqlText
    tables: tuple[tuple[str, TableSource], ...]  # SQL table name -> schema source
    candidates: tuple[tuple[str, tuple[int, int]], ...]  # (code, lines) on SQL table names
    origin: str  # where the session was: "doctest" | "docs" | "notebook" | "test" | "code"
    symbol: str


def sql_calls(stmts: Sequence[Stmt]) -> list[SqlText]:
    """String literals passed to ``.sql(...)`` in ``stmts`` that parse as a query."""
    found: list[SqlText] = []
    for stmt in stmts:
        for node in _own_nodes(stmt.node):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "sql"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                continue
            dialect = None
            for kw in node.keywords:
                if kw.arg == "dialect":
                    if not (isinstance(kw.value, ast.Constant) and isinstance(kw.value.value, str)):
                        break
                    dialect = kw.value.value
            else:
                arg = node.args[0]
                first = stmt.first + arg.lineno - stmt.node.lineno
                last = stmt.first + (arg.end_lineno or arg.lineno) - stmt.node.lineno
                found.append(SqlText(clean_sql(arg.value), dialect, (first, last), "sql_string"))
    return [s for s in found if s.sql]


def _own_nodes(node: ast.AST) -> Iterator[ast.AST]:
    """``node`` and what it contains, except the bodies of nested functions and classes
    (their SQL belongs to their own session)."""
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return
    yield node
    for child in ast.iter_child_nodes(node):
        if not isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            yield from _own_nodes(child)


def clean_sql(sql: str) -> str:
    """The SQL without its common indentation, surrounding blank space and final ``;``."""
    return textwrap.dedent(sql).strip().rstrip(";").strip()


def sql_cell(source: str, line: int) -> SqlText | None:
    """A SQL code cell as hand-written SQL (its dialect is not stated)."""
    sql = clean_sql(source)
    if not sql:
        return None
    return SqlText(sql, None, (line, line + source.rstrip("\n").count("\n")), "sql_cell")


def named_tables(
    stmts: Sequence[Stmt], defs: dict[int, tuple[str, TableSource]]
) -> list[NamedTable]:
    """The session's tables that have a table name SQL can use, in statement order."""
    out: list[NamedTable] = []
    for i, (var, source) in sorted(defs.items()):
        call = getattr(stmts[i].node, "value", None)
        if not isinstance(call, ast.Call):
            continue
        name = _table_name(call)
        if name is not None:
            out.append(NamedTable(name, var, source, stmts[i].first))
    return out


def _table_name(call: ast.Call) -> str | None:
    """The table name an ``ibis.table`` / ``ibis.memtable`` / ``.fetch`` call gives."""
    func = call.func
    attr = func.attr if isinstance(func, ast.Attribute) else ""
    key = {"table": "name", "memtable": "name", "fetch": "table_name"}.get(attr)
    if key is None:
        return None
    for kw in call.keywords:
        if kw.arg == key and isinstance(kw.value, ast.Constant):
            return kw.value.value if isinstance(kw.value.value, str) else None
    if attr == "table" and len(call.args) >= 2 and isinstance(call.args[1], ast.Constant):
        value = call.args[1].value
        return value if isinstance(value, str) else None
    if attr == "fetch" and isinstance(func, ast.Attribute):
        inner = func.value  # ibis.examples.<dataset>.fetch()
        return inner.attr if isinstance(inner, ast.Attribute) else None
    return None


def sql_tables(sql: str, dialect: str) -> list[str] | Reject:
    """The tables a query reads (CTE names left out), or why it is not a plain query."""
    import sqlglot  # heavy: imported on first use
    from sqlglot import exp

    if len(sql) > MAX_SQL_CHARS:
        return TOO_LONG()
    logger = logging.getLogger("sqlglot")
    level = logger.level
    logger.setLevel(logging.ERROR)  # no "falling back to parsing as a Command" on stderr
    try:
        trees = sqlglot.parse(sql, read=dialect)
    except (sqlglot.errors.SqlglotError, ValueError, KeyError, RecursionError):
        return UNPARSED()
    finally:
        logger.setLevel(level)
    if len(trees) != 1 or not isinstance(trees[0], exp.Query):
        return NOT_A_QUERY()
    tree = trees[0]
    ctes = {cte.alias_or_name for cte in tree.find_all(exp.CTE)}
    names: list[str] = []
    for table in tree.find_all(exp.Table):
        if not isinstance(table.this, exp.Identifier) or table.args.get("db"):
            return TABLE_FUNCTION()
        if table.name not in ctes and table.name not in names:
            names.append(table.name)
    return sorted(names) if names else NO_TABLE()


def human_sql_sites(
    texts: Sequence[SqlText],
    tables: Sequence[NamedTable],
    programs: Sequence[Program],
    origin: str,
    symbol: str,
    dialect: str | None = DEFAULT_DIALECT,
) -> Iterator[HumanSql | Reject]:
    """Each SQL text with its tables and candidate programs, or the reason it is dropped.

    ``programs`` are the session's programs; ``dialect`` is the session's SQL dialect when
    a text does not state one (None: unknown, e.g. the session connects to another backend).
    """
    for text in texts:
        read = text.dialect or dialect
        if read is None:
            yield DIALECT_UNKNOWN()
            continue
        names = sql_tables(text.sql, read)
        if isinstance(names, Reject):
            yield names
            continue
        chosen = {n: _nearest(tables, n, text.lines[0]) for n in names}
        if any(t is None for t in chosen.values()):
            yield UNKNOWN_TABLE()
            continue
        if not all(n.isidentifier() and not keyword.iskeyword(n) and n != "ibis" for n in names):
            yield TABLE_NAME()
            continue
        by_var = {t.var: t for t in chosen.values() if t is not None}
        candidates = _candidates(programs, by_var, text.lines[0])
        site_tables = tuple((n, t.source) for n, t in sorted(chosen.items()) if t is not None)
        yield HumanSql(
            SqlText(text.sql, read, text.lines, text.how), site_tables, candidates, origin, symbol
        )


def _nearest(tables: Sequence[NamedTable], name: str, line: int) -> NamedTable | None:
    """The definition of table ``name`` in force at ``line``: the last before it, else the
    first after it (a page may define its tables below the SQL it shows)."""
    same = [t for t in tables if t.sql_name == name]
    before = [t for t in same if t.line <= line]
    return before[-1] if before else (same[0] if same else None)


def _candidates(
    programs: Sequence[Program], by_var: dict[str, NamedTable], line: int
) -> tuple[tuple[str, tuple[int, int]], ...]:
    """Programs reading only the SQL's tables, rebound to their SQL names, nearest first."""
    found: list[tuple[int, str, tuple[int, int]]] = []
    for program in programs:
        code, tables = program.code, program.tables
        if not tables or ".sql(" in code:
            continue
        if not all(var in by_var and by_var[var].source == src for var, src in tables):
            continue
        renamed = [(var, by_var[var].sql_name) for var, _ in tables if by_var[var].sql_name != var]
        # one assignment, so that ``a = z`` cannot shadow the ``a`` another name is bound to
        binding = (
            f"{', '.join(v for v, _ in renamed)} = {', '.join(n for _, n in renamed)}\n"
            if renamed
            else ""
        )
        lines = program.lines
        distance = min(abs(lines[0] - line), abs(lines[1] - line))
        found.append((distance, binding + code, lines))
    found.sort(key=lambda f: (f[0], f[2]))
    unique = list(dict.fromkeys((code, lines) for _, code, lines in found))
    return tuple(unique[:MAX_CANDIDATES])
