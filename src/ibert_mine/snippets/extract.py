"""Find Ibis expressions in a parsed module and turn each into a self-contained program.

Where programs come from (``Program.origin``):

- ``doctest``: the ``>>>`` session of a docstring. ``t = ibis.memtable({...})`` and
  ``t = ibis.table(...)`` become declared tables (their schema is inferred when the
  program runs in the sandbox); ``t = ibis.examples.X.fetch()`` gets a schema only from a
  complete table header printed in the same docstring, else the program is dropped.
- ``docs`` / ``notebook``: the Python cells of a page (``.qmd``, ``.md``) or notebook
  (``.ipynb``), read as one session like a doctest (:mod:`ibert_mine.sources.docs`).
- ``test``: statements of test functions; tables come from ``ibis.table(...)`` in the
  function or module, and from pytest fixtures whose schema can be read statically
  (see :mod:`ibert_mine.snippets.fixtures`).
- ``code``: plain (non-test) code: a module's top level read as a script, and functions,
  when the module or the function defines tables with ``ibis.table`` / ``ibis.memtable``.

Every session also yields its hand-written SQL (``.sql("...")`` literals, SQL cells of a
page) with the session's programs as candidates (:mod:`ibert_mine.snippets.human_sql`).

Each candidate (an expression statement, or an assignment whose value is a call) is
backward-sliced (:mod:`ibert_mine.snippets.slicing`): the program is the statements it
needs plus the candidate, its free names are declared tables, and the value of its last
expression is the result. Candidates that do I/O, read names that cannot be resolved,
or import anything but pure-computation modules are rejected with a reason.
"""

from __future__ import annotations

import ast
import posixpath
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace

from ibert_mine.reject import Reject
from ibert_mine.snippets.human_sql import (
    HumanSql,
    NamedTable,
    SqlText,
    human_sql_sites,
    named_tables,
    sql_calls,
    sql_cell,
)
from ibert_mine.snippets.slicing import (
    Stmt,
    assigned_names,
    backward_slice,
    is_safe_import,
    loaded_names,
)
from ibert_mine.sources.docs import code_cells
from ibert_mine.sources.python import Definition, ModuleUnit, doctest_examples

IO_METHODS = frozenset(
    {"execute", "to_pandas", "to_pyarrow", "to_pyarrow_batches", "to_polars", "to_csv",
     "to_parquet", "to_json", "to_delta", "to_torch", "to_parquet_dir", "read_csv",
     "read_parquet", "read_json", "read_delta", "connect", "fetch", "create_table",
     "create_view", "insert", "raw_sql", "drop_table", "drop_view", "list_tables",
     "visualize", "preview", "cache", "to_sql", "compile", "print", "open", "urlopen"}
)  # fmt: skip
MAX_PROGRAM_LINES = 40
TO_SQL = frozenset({"to_sql", "ibis.to_sql"})  # snapshot checks of compiled SQL
# Calls whose value changes from run to run: a program using them has no fixed SQL.
NONDETERMINISTIC = re.compile(
    r"(^|\.)(now|today|utcnow|uuid1|uuid4|urandom|randint|randrange|shuffle|rand|randn|"
    r"token_hex|perf_counter|monotonic)$|(^|\.)random\.|^time\.time$"
)


@dataclass(frozen=True, slots=True)
class TableSource:
    """How a declared table gets its schema: given, or from evaluating an Ibis call."""

    schema: tuple[tuple[str, str], ...] | None = None  # (column, ibis type) pairs
    source: str | None = None  # e.g. 'ibis.memtable({"a": [1, 2]})', evaluated in the sandbox


@dataclass(frozen=True, slots=True)
class Program:
    """A self-contained Ibis program and where it was found."""

    code: str
    tables: tuple[tuple[str, TableSource], ...]
    origin: str  # "doctest" | "test" | "docs" | "notebook" | "code" | "tpc"
    symbol: str
    lines: tuple[int, int]
    snapshot: str | None = None  # path of a snapshot file holding the expected SQL


def is_test_path(path: str) -> bool:
    """True for files under a tests folder or named test_*.py / *_test.py."""
    name = path.rsplit("/", 1)[-1]
    return "/tests/" in f"/{path}" or name.startswith("test_") or name.endswith("_test.py")


def programs(
    unit: ModuleUnit, fixtures: Mapping[str, tuple[tuple[str, str], ...]]
) -> Iterator[Program | HumanSql | Reject]:
    """Every candidate program of ``unit``, and its hand-written SQL; ``fixtures`` maps
    fixture names to schemas."""
    for definition in unit.definitions:
        if definition.doc_node is not None:
            yield from _doctest_programs(definition)
    module_stmts = _module_stmts(unit)
    module_tables = _table_defs(module_stmts)
    module = Scope(
        {i: d for i, d in module_tables.items() if isinstance(d[1], TableSource)},
        named_tables(module_stmts, module_tables),
        _module_imports(unit),
    )
    if is_test_path(unit.provenance.path):
        for definition in unit.definitions:
            name = definition.qualname.rsplit(".", 1)[-1]
            if definition.kind in {"function", "method"} and name.startswith("test"):
                yield from _function_programs(unit, definition, fixtures, module, "test")
        return
    # plain code: a script's top level, and functions that build tables of their own
    if module.tables:
        yield from _script_programs(unit)
    for definition in unit.definitions:
        if definition.kind in {"function", "method"} and (
            module.tables or _defines_tables(definition.node.body)
        ):
            yield from _function_programs(unit, definition, {}, module, "code")


@dataclass(frozen=True, slots=True)
class Scope:
    """What a module gives the functions in it: its tables and its safe imports."""

    tables: dict[int, tuple[str, TableSource]]
    named: list[NamedTable]
    imports: list[Stmt]


def _defines_tables(nodes: list[ast.stmt]) -> bool:
    """True when one of ``nodes`` is ``name = ibis.table(...)`` or ``ibis.memtable(...)``."""
    return any(
        isinstance(n, ast.Assign)
        and isinstance(n.value, ast.Call)
        and _call_name(n.value.func) in {"ibis.table", "ibis.memtable"}
        for n in nodes
    )


def _module_stmts(unit: ModuleUnit) -> list[Stmt]:
    return [stmt_of(unit, node) for node in unit.tree.body if isinstance(node, ast.Assign)]


def _script_programs(unit: ModuleUnit) -> Iterator[Program | HumanSql | Reject]:
    """Programs of a module's top-level code, read as one session (a script)."""
    body = [
        stmt_of(unit, node)
        for node in unit.tree.body
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        and not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant))
    ]
    yield from _body_programs(body, 0, {}, "code", "<module>", {}, Scope({}, [], []))


def _module_imports(unit: ModuleUnit) -> list[Stmt]:
    """The module's top-level imports of pure-computation modules (``from ibis import _``)."""
    return [stmt_of(unit, node) for node in unit.tree.body if is_safe_import(node)]


def stmt_of(unit: ModuleUnit, node: ast.stmt) -> Stmt:
    """The statement's text, its continuation lines dedented by the statement's indentation."""
    text = unit.node_text(node)
    margin = unit.line_text(node.lineno)[: unit.char_col(node.lineno, node.col_offset)]
    lines = text.split("\n")
    if margin and not margin.strip() and all(ln.startswith(margin) for ln in lines[1:] if ln):
        text = "\n".join([lines[0], *(ln[len(margin) :] for ln in lines[1:])])
    return Stmt(node, text, node.lineno, node.end_lineno or node.lineno)


# -- table definitions --------------------------------------------------------------------


def _call_name(node: ast.AST) -> str:
    """Dotted name of a call's function: ``ibis.memtable``, ``ibis.examples.x.fetch``."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
    return ".".join(reversed(parts))


def _table_defs(stmts: list[Stmt]) -> dict[int, tuple[str, TableSource | str]]:
    """index -> (name, source) for statements ``name = ibis.memtable/table(...)`` or a fetch."""
    found: dict[int, tuple[str, TableSource | str]] = {}
    for i, stmt in enumerate(stmts):
        node = stmt.node
        if not (isinstance(node, ast.Assign) and len(node.targets) == 1):
            continue
        target, value = node.targets[0], node.value
        if not (isinstance(target, ast.Name) and isinstance(value, ast.Call)):
            continue
        name = _call_name(value.func)
        if name in {"ibis.memtable", "ibis.table"} and loaded_names(value) <= {"ibis"}:
            found[i] = (target.id, TableSource(source=ast.unparse(value)))
        elif name.startswith("ibis.examples.") and name.endswith(".fetch"):
            found[i] = (target.id, name.split(".")[2])  # the dataset; schema from a header
    return found


_HEADER_ROW = re.compile(r"^\s*┃(.*)┃\s*$")
_TYPE_ROW = re.compile(r"^\s*│(.*)│\s*$")


def printed_schema(want: str) -> tuple[tuple[str, str], ...] | None:
    """Column names and types from a printed Ibis table header, when it shows every column."""
    lines = want.splitlines()
    for i, line in enumerate(lines):
        header = _HEADER_ROW.match(line)
        if header is None or i + 2 >= len(lines):
            continue
        types = _TYPE_ROW.match(lines[i + 2])
        if types is None or "…" in line or "…" in lines[i + 2]:
            return None
        names = [c.strip() for c in header.group(1).split("┃")]
        dtypes = [c.strip() for c in types.group(1).split("│")]
        if len(names) == len(dtypes) and all(names) and all(dtypes):
            return tuple(zip(names, dtypes, strict=True))
        return None
    return None


# -- doctests -----------------------------------------------------------------------------


def _doctest_programs(definition: Definition) -> Iterator[Program | HumanSql | Reject]:
    examples = [(e.source, e.line, e.want) for e in doctest_examples(definition)]
    yield from session_programs(examples, "doctest", definition.qualname)


def doc_programs(text: str, path: str) -> list[Program | HumanSql | Reject]:
    """Programs of a documentation page or notebook: its Python cells as one session, and
    its SQL cells as hand-written SQL."""
    cells = code_cells(text, path)
    python = [c for c in cells if c.lang in {"python", "py", "python3"}]
    sql = [t for c in cells if c.lang == "sql" and (t := sql_cell(c.source, c.line))]
    origin = "notebook" if path.endswith(".ipynb") else "docs"
    try:
        snippets = [(c.source, c.line, "") for c in python]
        return list(session_programs(snippets, origin, "", sql))
    except RecursionError:
        return [Reject("too_deeply_nested")]


def session_programs(
    snippets: list[tuple[str, int, str]],
    origin: str,
    symbol: str,
    sql_texts: list[SqlText] | None = None,
) -> Iterator[Program | HumanSql | Reject]:
    """Programs of a session of snippets run in turn (a doctest, the cells of a page), and
    the hand-written SQL of the session (``.sql("...")`` literals and ``sql_texts``).

    Each snippet is ``(source, first line in the file, printed output)``; a snippet that
    does not parse is left out of the session.
    """
    stmts: list[Stmt] = []
    wants: list[str] = []
    for source, line, want in snippets:
        try:
            tree = ast.parse(source)
        except (SyntaxError, ValueError):
            continue
        for node in tree.body:
            text = ast.get_source_segment(source, node) or ""
            first = line + node.lineno - 1
            stmts.append(Stmt(node, text, first, line + (node.end_lineno or 1) - 1))
            wants.append(want)
    defs = _table_defs(stmts)
    headers = _example_schemas(stmts, wants, defs)
    tables: dict[int, tuple[str, TableSource]] = {}
    for i, (name, source) in defs.items():
        if isinstance(source, TableSource):
            tables[i] = (name, source)
        elif name in headers:
            tables[i] = (name, TableSource(schema=headers[name]))
    built: list[Program] = []
    for i, stmt in enumerate(stmts):
        if i in defs or not _is_candidate(stmt.node):
            continue
        program = _build(stmts, i, tables, {}, origin, symbol)
        if isinstance(program, Program):
            built.append(program)
        yield program
    texts = sql_calls(stmts) + list(sql_texts or [])
    if texts:
        named = named_tables(stmts, tables)
        yield from human_sql_sites(texts, named, built, origin, symbol, session_dialect(stmts))


def session_dialect(stmts: list[Stmt]) -> str | None:
    """The dialect of SQL that states none: DuckDB (Ibis's default backend), unless the
    session connects to another backend (then unknown: None)."""
    for name in _calls([s.node for s in stmts]):
        parts = name.split(".")
        if len(parts) == 3 and parts[::2] == ["ibis", "connect"] and parts[1] != "duckdb":
            return None
    return "duckdb"


def _example_schemas(
    stmts: list[Stmt], wants: list[str], defs: dict[int, tuple[str, TableSource | str]]
) -> dict[str, tuple[tuple[str, str], ...]]:
    """Schemas of fetched example tables, read off a later ``>>> t`` that prints them whole."""
    fetched = {name for name, source in defs.values() if isinstance(source, str)}
    out: dict[str, tuple[tuple[str, str], ...]] = {}
    for stmt, want in zip(stmts, wants, strict=True):
        node = stmt.node
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Name):
            name = node.value.id
            if name in fetched and name not in out and (schema := printed_schema(want)):
                out[name] = schema
    return out


# -- test functions -----------------------------------------------------------------------


def _function_programs(
    unit: ModuleUnit,
    definition: Definition,
    fixtures: Mapping[str, tuple[tuple[str, str], ...]],
    module: Scope,
    origin: str,
) -> Iterator[Program | HumanSql | Reject]:
    """Programs of a function's body (a test, or plain code), on its own tables, the
    module's tables and the fixtures among its parameters."""
    node = definition.node
    assert isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    stmts = module.imports + [stmt_of(unit, s) for s in node.body]
    params = {a.arg for a in [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]}
    known = {name: TableSource(schema=fixtures[name]) for name in params if name in fixtures}
    for name, source in module.tables.values():
        if name not in params:
            known.setdefault(name, source)
    snapshots = _snapshot_files(stmts, unit.provenance.path, definition)
    outer = Scope({}, [t for t in module.named if t.var not in params], [])
    yield from _body_programs(
        stmts, len(module.imports), known, origin, definition.qualname, snapshots, outer
    )


def _body_programs(
    stmts: list[Stmt],
    skip: int,
    known: Mapping[str, TableSource],
    origin: str,
    symbol: str,
    snapshots: dict[int, str],
    outer: Scope,
) -> Iterator[Program | HumanSql | Reject]:
    """Programs of a body's statements (the first ``skip`` are its imports), then its
    hand-written SQL with the programs as candidates."""
    defs = _table_defs(stmts)
    tables = {i: d for i, d in defs.items() if isinstance(d[1], TableSource)}
    built: list[Program] = []
    for i, stmt in enumerate(stmts):
        if i < skip or i in tables or not _is_candidate(stmt.node):
            continue
        program = _build(stmts, i, tables, known, origin, symbol)
        if isinstance(program, Program):
            if i in snapshots:
                program = replace(program, snapshot=snapshots[i])
            built.append(program)
        yield program
    texts = sql_calls(stmts[skip:])
    if texts:
        named = outer.named + named_tables(stmts, tables)
        yield from human_sql_sites(texts, named, built, origin, symbol, session_dialect(stmts))


def _snapshot_files(stmts: list[Stmt], path: str, definition: Definition) -> dict[int, str]:
    """Candidate index -> snapshot file, for ``snapshot.assert_match(to_sql(x), "out.sql")``.

    ``x`` is the latest assignment before the check; the file is where pytest-snapshot
    keeps it: ``<test dir>/snapshots/<module>/<test>/<name>`` (a relative path that may not
    exist, e.g. for parametrized tests: the caller checks).
    """
    if definition.kind != "function":
        return {}
    folder, _, module = path.rpartition("/")
    base = posixpath.join(folder, "snapshots", module.removesuffix(".py"), definition.qualname)
    found: dict[int, str] = {}
    for k, stmt in enumerate(stmts):
        call = stmt.node.value if isinstance(stmt.node, ast.Expr) else None
        if not (isinstance(call, ast.Call) and _call_name(call.func).endswith("assert_match")):
            continue
        if len(call.args) != 2 or not isinstance(call.args[1], ast.Constant):
            continue
        compiled, name = call.args
        if not (isinstance(compiled, ast.Call) and _call_name(compiled.func) in TO_SQL):
            continue
        if len(compiled.args) != 1 or not isinstance(compiled.args[0], ast.Name):
            continue
        var = compiled.args[0].id
        for i in range(k - 1, -1, -1):
            if var in assigned_names(stmts[i].node):
                found[i] = f"{base}/{name.value}"
                break
    return found


# -- candidates and assembly --------------------------------------------------------------


def _is_candidate(node: ast.stmt) -> bool:
    if isinstance(node, ast.Expr | ast.Return):
        value = node.value
    elif isinstance(node, ast.Assign) and len(node.targets) == 1:
        if not isinstance(node.targets[0], ast.Name):
            return False
        value = node.value
    else:
        return False
    if isinstance(value, ast.Call) and _call_name(value.func).split(".")[-1].startswith(
        ("assert", "print")
    ):
        return False  # a check or an output, not an expression
    if isinstance(value, ast.Call) and _call_name(value.func) in {"ibis.table", "ibis.memtable"}:
        return False  # a bare table: nothing to translate
    return isinstance(value, ast.Call | ast.BinOp | ast.Compare | ast.Subscript | ast.UnaryOp)


def _calls(nodes: list[ast.stmt]) -> Iterator[str]:
    """Dotted names of every call in ``nodes``."""
    for root in nodes:
        for child in ast.walk(root):
            if isinstance(child, ast.Call):
                yield _call_name(child.func)


def _nondeterministic(name: str) -> bool:
    """Python-side calls whose value differs between runs. ``ibis.now()`` and the like pass
    here (their SQL is fixed) and are dropped later: their two sides never agree."""
    return not name.startswith("ibis.") and bool(NONDETERMINISTIC.search(name))


def _build(
    stmts: list[Stmt],
    index: int,
    tables: dict[int, tuple[str, TableSource]],
    known: Mapping[str, TableSource],
    origin: str,
    symbol: str,
) -> Program | Reject:
    sliced = backward_slice(stmts, index, {i: name for i, (name, _) in tables.items()})
    declared = dict(tables[i] for i in sliced.tables)
    unresolved = [n for n in sliced.unresolved if n not in known]
    if unresolved:
        return Reject("unresolved_name")
    declared.update({n: known[n] for n in sliced.unresolved})
    body = [s.node for s in sliced.stmts] + [stmts[index].node]
    calls = list(_calls(body))
    if any(name.rsplit(".", 1)[-1] in IO_METHODS for name in calls):
        return Reject("io_call")
    if any(_nondeterministic(name) for name in calls):
        return Reject("nondeterministic")
    imports = [n for n in body if isinstance(n, ast.Import | ast.ImportFrom)]
    if not all(is_safe_import(n) for n in imports):
        return Reject("unsafe_import")
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
        return Reject("not_ibis")
    if code.count("\n") > MAX_PROGRAM_LINES:
        return Reject("program_too_long")
    first = min([s.first for s in sliced.stmts if s.first >= candidate_floor] + [candidate.first])
    return Program(code, tuple(sorted(declared.items())), origin, symbol, (first, candidate.last))
