"""A self-contained Ibis program, and how one is cut out of a sequence of statements.

The statements of a session (a doctest, the cells of a page, a function body) are
:class:`~ibert_mine.programs.slicing.Stmt` values. :func:`table_defs` finds the ones that
define tables (``t = ibis.table(...)``, ``ibis.memtable(...)``, an example fetched);
:func:`is_candidate` says which statements hold an expression worth translating; and
:func:`build_program` backward-slices one candidate into a :class:`Program` whose free
names are declared tables, or rejects it with a reason (I/O, a clock or random call, an
unsafe import, a name that cannot be resolved, too long).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from ibert_mine.core.reasons import Reason, Reject
from ibert_mine.programs.slicing import (
    Stmt,
    assigned_names,
    backward_slice,
    is_safe_import,
    loaded_names,
)
from ibert_mine.sources.python import ModuleUnit

IO_METHODS = frozenset(
    {"execute", "to_pandas", "to_pyarrow", "to_pyarrow_batches", "to_polars", "to_csv",
     "to_parquet", "to_json", "to_delta", "to_torch", "to_parquet_dir", "read_csv",
     "read_parquet", "read_json", "read_delta", "connect", "fetch", "create_table",
     "create_view", "insert", "raw_sql", "drop_table", "drop_view", "list_tables",
     "visualize", "preview", "cache", "to_sql", "compile", "print", "open", "urlopen"}
)  # fmt: skip
MAX_PROGRAM_LINES = 40
# Calls whose value changes from run to run: a program using them has no fixed SQL.
NONDETERMINISTIC_CALL = re.compile(
    r"(^|\.)(now|today|utcnow|uuid1|uuid4|urandom|randint|randrange|shuffle|rand|randn|"
    r"token_hex|perf_counter|monotonic)$|(^|\.)random\.|^time\.time$"
)

UNRESOLVED_NAME = Reason(
    "unresolved_name", "the program reads a name nothing in its session defines"
)
IO_CALL = Reason("io_call", "the program does I/O (execute, read_csv, connect, to_sql, ...)")
NONDETERMINISTIC = Reason("nondeterministic", "the program calls the clock or a random generator")
UNSAFE_IMPORT = Reason("unsafe_import", "the program imports a module that is not pure computation")
NOT_IBIS = Reason("not_ibis", "the candidate neither reads a table nor uses ibis")
PROGRAM_TOO_LONG = Reason(
    "program_too_long", f"the sliced program is over {MAX_PROGRAM_LINES} lines"
)
REASONS: tuple[Reason, ...] = (
    UNRESOLVED_NAME,
    IO_CALL,
    NONDETERMINISTIC,
    UNSAFE_IMPORT,
    NOT_IBIS,
    PROGRAM_TOO_LONG,
)


@dataclass(frozen=True, slots=True)
class TableSource:
    """How a declared table gets its schema: given, or from evaluating an Ibis call."""

    schema: tuple[tuple[str, str], ...] | None = None  # (column, ibis type) pairs
    source: str | None = None  # e.g. 'ibis.memtable({"a": [1, 2]})', evaluated in the sandbox
    from_fixture: bool = False  # the schema was read off a pytest fixture


@dataclass(frozen=True, slots=True)
class Program:
    """A self-contained Ibis program and where it was found."""

    code: str
    tables: tuple[tuple[str, TableSource], ...]
    origin: str  # "doctest" | "test" | "docs" | "notebook" | "code" | "tpc_suite"
    symbol: str
    lines: tuple[int, int]
    snapshot: str | None = None  # path of a snapshot file holding the expected SQL
    sql: str | None = None  # hand-written SQL the program must agree with (a TPC query)
    sql_path: str | None = None  # the file that SQL was read from


def stmt_of(unit: ModuleUnit, node: ast.stmt) -> Stmt:
    """The statement's text, its continuation lines dedented by the statement's indentation."""
    text = unit.node_text(node)
    margin = unit.line_text(node.lineno)[: unit.char_col(node.lineno, node.col_offset)]
    lines = text.split("\n")
    if margin and not margin.strip() and all(ln.startswith(margin) for ln in lines[1:] if ln):
        text = "\n".join([lines[0], *(ln[len(margin) :] for ln in lines[1:])])
    return Stmt(node, text, node.lineno, node.end_lineno or node.lineno)


def call_name(node: ast.AST) -> str:
    """Dotted name of a call's function: ``ibis.memtable``, ``ibis.examples.x.fetch``."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
    return ".".join(reversed(parts))


def table_defs(stmts: list[Stmt]) -> dict[int, tuple[str, TableSource | str]]:
    """index -> (name, source) for statements ``name = ibis.memtable/table(...)`` or a fetch."""
    found: dict[int, tuple[str, TableSource | str]] = {}
    for i, stmt in enumerate(stmts):
        node = stmt.node
        if not (isinstance(node, ast.Assign) and len(node.targets) == 1):
            continue
        target, value = node.targets[0], node.value
        if not (isinstance(target, ast.Name) and isinstance(value, ast.Call)):
            continue
        name = call_name(value.func)
        if name in {"ibis.memtable", "ibis.table"} and loaded_names(value) <= {"ibis"}:
            found[i] = (target.id, TableSource(source=ast.unparse(value)))
        elif name.startswith("ibis.examples.") and name.endswith(".fetch"):
            found[i] = (target.id, name.split(".")[2])  # the dataset; schema from a header
    return found


def session_dialect(stmts: list[Stmt]) -> str | None:
    """The dialect of SQL that states none: DuckDB (Ibis's default backend), unless the
    session connects to another backend (then unknown: None)."""
    for name in calls([s.node for s in stmts]):
        parts = name.split(".")
        if len(parts) == 3 and parts[::2] == ["ibis", "connect"] and parts[1] != "duckdb":
            return None
    return "duckdb"


def is_candidate(node: ast.stmt) -> bool:
    """True for a statement whose value is an expression worth translating."""
    if isinstance(node, ast.Expr | ast.Return):
        value = node.value
    elif isinstance(node, ast.Assign) and len(node.targets) == 1:
        if not isinstance(node.targets[0], ast.Name):
            return False
        value = node.value
    else:
        return False
    if isinstance(value, ast.Call) and call_name(value.func).split(".")[-1].startswith(
        ("assert", "print")
    ):
        return False  # a check or an output, not an expression
    if isinstance(value, ast.Call) and call_name(value.func) in {"ibis.table", "ibis.memtable"}:
        return False  # a bare table: nothing to translate
    return isinstance(value, ast.Call | ast.BinOp | ast.Compare | ast.Subscript | ast.UnaryOp)


def calls(nodes: list[ast.stmt]) -> Iterator[str]:
    """Dotted names of every call in ``nodes``."""
    for root in nodes:
        for child in ast.walk(root):
            if isinstance(child, ast.Call):
                yield call_name(child.func)


def _nondeterministic(name: str) -> bool:
    """Python-side calls whose value differs between runs. ``ibis.now()`` and the like pass
    here (their SQL is fixed) and are dropped later: their two sides never agree."""
    return not name.startswith("ibis.") and bool(NONDETERMINISTIC_CALL.search(name))


def build_program(
    stmts: list[Stmt],
    index: int,
    tables: dict[int, tuple[str, TableSource]],
    known: Mapping[str, TableSource],
    origin: str,
    symbol: str,
) -> Program | Reject:
    """The program of candidate ``stmts[index]``, backward-sliced, or why there is none."""
    sliced = backward_slice(stmts, index, {i: name for i, (name, _) in tables.items()})
    declared = dict(tables[i] for i in sliced.tables)
    unresolved = [n for n in sliced.unresolved if n not in known]
    if unresolved:
        return UNRESOLVED_NAME()
    declared.update({n: known[n] for n in sliced.unresolved})
    body = [s.node for s in sliced.stmts] + [stmts[index].node]
    called = list(calls(body))
    if any(name.rsplit(".", 1)[-1] in IO_METHODS for name in called):
        return IO_CALL()
    if any(_nondeterministic(name) for name in called):
        return NONDETERMINISTIC()
    imports = [n for n in body if isinstance(n, ast.Import | ast.ImportFrom)]
    if not all(is_safe_import(n) for n in imports):
        return UNSAFE_IMPORT()
    candidate = stmts[index]
    candidate_floor = min(s.first for s in stmts if not is_safe_import(s.node)) if stmts else 0
    last = candidate.text
    if isinstance(candidate.node, ast.Return):  # ``return x``: the value is the result
        last = last.removeprefix("return").strip()
    texts = [s.text for s in sliced.stmts] + [last]
    if isinstance(candidate.node, ast.Assign):
        texts.append(next(iter(assigned_names(candidate.node))))
    code = "\n".join(texts) + "\n"
    if not declared and "ibis" not in code:
        return NOT_IBIS()
    if code.count("\n") > MAX_PROGRAM_LINES:
        return PROGRAM_TOO_LONG()
    first = min([s.first for s in sliced.stmts if s.first >= candidate_floor] + [candidate.first])
    return Program(code, tuple(sorted(declared.items())), origin, symbol, (first, candidate.last))
