"""Find Ibis expressions in a parsed module and turn each into a self-contained program.

Where programs come from (``Program.origin``):

- ``doctest``: the ``>>>`` session of a docstring. ``t = ibis.memtable({...})`` and
  ``t = ibis.table(...)`` become declared tables (their schema is inferred when the
  program runs in the sandbox); ``t = ibis.examples.X.fetch()`` gets a schema only from a
  complete table header printed in the same docstring, else the program is dropped.
- ``docs`` / ``notebook``: the Python cells of a page (``.qmd``, ``.md``) or notebook
  (``.ipynb``), read as one session like a doctest (:mod:`ibert_mine.sources.pages`).
- ``test``: statements of test functions; tables come from ``ibis.table(...)`` in the
  function or module, and from pytest fixtures whose schema can be read statically
  (see :mod:`ibert_mine.programs.fixtures`).
- ``code``: plain (non-test) code: a module's top level read as a script, and functions,
  when the module or the function defines tables with ``ibis.table`` / ``ibis.memtable``.

Doctest and page sessions are read in :mod:`ibert_mine.programs.sessions`; test and plain
functions and scripts here. Every session also yields its hand-written SQL (``.sql("...")``
literals, SQL cells of a page) with the session's programs as candidates
(:mod:`ibert_mine.programs.human_sql`).

Each candidate (an expression statement, a ``return``, or an assignment whose value is a
call) is backward-sliced into a program (:mod:`ibert_mine.programs.program`): the
statements it needs plus the candidate, its free names are declared tables, and the value
of its last expression is the result. Candidates that do I/O, read names that cannot be
resolved, or import anything but pure-computation modules are rejected with a reason.
"""

from __future__ import annotations

import ast
import posixpath
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace

from ibert_mine.core.reasons import Reject
from ibert_mine.programs.human_sql import (
    HumanSql,
    NamedTable,
    human_sql_sites,
    named_tables,
    sql_calls,
)
from ibert_mine.programs.program import (
    Program,
    TableSource,
    build_program,
    call_name,
    is_candidate,
    session_dialect,
    stmt_of,
    table_defs,
)
from ibert_mine.programs.sessions import doctest_programs
from ibert_mine.programs.slicing import Stmt, assigned_names, is_safe_import
from ibert_mine.sources.python import Definition, ModuleUnit

TO_SQL = frozenset({"to_sql", "ibis.to_sql"})  # snapshot checks of compiled SQL


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
            yield from doctest_programs(definition)
    module_stmts = _module_stmts(unit)
    # tables with a known schema (a fetched example has none at module level)
    module_tables = {
        i: d for i, d in table_defs(module_stmts).items() if isinstance(d[1], TableSource)
    }
    module = Scope(module_tables, named_tables(module_stmts, module_tables), _module_imports(unit))
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
        and call_name(n.value.func) in {"ibis.table", "ibis.memtable"}
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
    known = {
        name: TableSource(schema=fixtures[name], from_fixture=True)
        for name in params
        if name in fixtures
    }
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
    defs = table_defs(stmts)
    tables = {i: d for i, d in defs.items() if isinstance(d[1], TableSource)}
    built: list[Program] = []
    for i, stmt in enumerate(stmts):
        if i < skip or i in tables or not is_candidate(stmt.node):
            continue
        program = build_program(stmts, i, tables, known, origin, symbol)
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
        if not (isinstance(call, ast.Call) and call_name(call.func).endswith("assert_match")):
            continue
        if len(call.args) != 2 or not isinstance(call.args[1], ast.Constant):
            continue
        compiled, name = call.args
        if not (isinstance(compiled, ast.Call) and call_name(compiled.func) in TO_SQL):
            continue
        if len(compiled.args) != 1 or not isinstance(compiled.args[0], ast.Name):
            continue
        var = compiled.args[0].id
        for i in range(k - 1, -1, -1):
            if var in assigned_names(stmts[i].node):
                found[i] = f"{base}/{name.value}"
                break
    return found
