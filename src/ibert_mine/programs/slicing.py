"""Backward slicing of a statement sequence: the statements a candidate expression needs.

Given the statements of a doctest session or a function body, the slice of statement
``i`` is the earlier statements that define the names it reads (transitively), with
statements that *define tables* left out: those names become the program's declared
tables instead. Only static facts are used; nothing here runs code.
"""

from __future__ import annotations

import ast
import builtins
from dataclasses import dataclass

BUILTIN_NAMES = frozenset(dir(builtins))
# Modules a program may import: pure computation, no I/O of their own. Of Ibis, the
# expression API only: backends need drivers and test helpers need test fixtures.
SAFE_MODULES = frozenset(
    {"ibis", "datetime", "decimal", "math", "operator", "functools", "itertools",
     "collections", "string", "re", "json", "numpy", "pandas", "pyarrow", "calendar",
     "dateutil"}
)  # fmt: skip
SAFE_IBIS_MODULES = ("ibis.expr", "ibis.selectors", "ibis.common", "ibis.util")


@dataclass(frozen=True, slots=True)
class Stmt:
    """One statement with its exact source text and file lines."""

    node: ast.stmt
    text: str
    first: int
    last: int


def loaded_names(node: ast.AST) -> set[str]:
    """Names read by ``node`` from outside it. A name bound by a lambda or a comprehension
    is not read from outside within that lambda or comprehension only: in
    ``f(lambda s: s.x).order_by(s.all())`` the second ``s`` is read. ``t = t.filter(...)``
    reads ``t``: assignment targets are not subtracted."""
    loaded: set[str] = set()
    _visit(node, frozenset(), loaded)
    return loaded - BUILTIN_NAMES


_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)


def _visit(node: ast.AST, bound: frozenset[str], loaded: set[str]) -> None:
    """Add to ``loaded`` the names ``node`` reads that are not in ``bound``."""
    if isinstance(node, ast.Lambda | ast.FunctionDef | ast.AsyncFunctionDef):
        args = node.args
        outside = [*args.defaults, *(d for d in args.kw_defaults if d is not None)]
        if not isinstance(node, ast.Lambda):  # decorators and annotations are read outside
            every = [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
            outside += [*node.decorator_list, *(a.annotation for a in every if a and a.annotation)]
            outside += [node.returns] if node.returns is not None else []
        for default in outside:
            _visit(default, bound, loaded)
        params = {a.arg for a in [*args.posonlyargs, *args.args, *args.kwonlyargs]}
        params |= {a.arg for a in (args.vararg, args.kwarg) if a is not None}
        body = [node.body] if isinstance(node, ast.Lambda) else node.body
        for child in body:
            _visit(child, bound | params, loaded)
        return
    if isinstance(node, _COMPREHENSIONS):
        inner = bound
        for generator in node.generators:
            _visit(generator.iter, inner, loaded)
            inner = inner | {n.id for n in ast.walk(generator.target) if isinstance(n, ast.Name)}
            for condition in generator.ifs:
                _visit(condition, inner, loaded)
        parts = [node.key, node.value] if isinstance(node, ast.DictComp) else [node.elt]
        for part in parts:
            _visit(part, inner, loaded)
        return
    if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id not in bound:
        loaded.add(node.id)
    for child in ast.iter_child_nodes(node):
        _visit(child, bound, loaded)


def assigned_names(node: ast.stmt) -> set[str]:
    """Plain names a statement binds (assignment targets, imports)."""
    if isinstance(node, ast.Assign):
        targets = node.targets
    elif isinstance(node, ast.AnnAssign | ast.AugAssign):
        targets = [node.target]
    elif isinstance(node, ast.Import | ast.ImportFrom):
        return {(a.asname or a.name).split(".")[0] for a in node.names}
    else:
        return set()
    names: set[str] = set()
    for target in targets:
        for child in ast.walk(target):
            if isinstance(child, ast.Name) and isinstance(child.ctx, ast.Store):
                names.add(child.id)
    return names


def is_safe_import(node: ast.stmt) -> bool:
    """True for ``import``/``from`` statements of :data:`SAFE_MODULES` only."""
    if isinstance(node, ast.Import):
        return all(_safe_module(a.name) for a in node.names)
    if isinstance(node, ast.ImportFrom):
        return node.level == 0 and _safe_module(node.module or "")
    return False


def _safe_module(name: str) -> bool:
    if name == "ibis" or name.startswith(SAFE_IBIS_MODULES):
        return True
    return name.split(".")[0] in SAFE_MODULES - {"ibis"}


@dataclass(frozen=True, slots=True)
class Slice:
    """The statements a candidate needs, the table names it reads, and what stayed unresolved."""

    stmts: tuple[Stmt, ...]
    tables: tuple[int, ...]  # indices of the table-defining statements used
    unresolved: tuple[str, ...]


def backward_slice(stmts: list[Stmt], index: int, table_defs: dict[int, str]) -> Slice:
    """Slice of ``stmts[index]``; ``table_defs`` maps statement index -> table name it defines."""
    needed = loaded_names(stmts[index].node)
    kept: list[Stmt] = []
    tables: set[int] = set()
    for j in range(index - 1, -1, -1):
        stmt = stmts[j]
        defines = assigned_names(stmt.node) & needed
        if not defines:
            continue
        if j in table_defs and table_defs[j] in defines:
            tables.add(j)  # the definition in force at the candidate, not a later one
            needed.discard(table_defs[j])
            continue
        if isinstance(stmt.node, ast.Import | ast.ImportFrom):
            needed -= defines
            if not (
                isinstance(stmt.node, ast.Import) and {a.name for a in stmt.node.names} == {"ibis"}
            ):
                kept.append(stmt)
            continue
        kept.append(stmt)
        if not isinstance(stmt.node, ast.AugAssign):
            needed -= defines
        needed |= loaded_names(stmt.node)
    needed.discard("ibis")
    return Slice(tuple(reversed(kept)), tuple(sorted(tables)), tuple(sorted(needed)))
