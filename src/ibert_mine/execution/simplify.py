"""The decompiler's artifacts, simplified to Ibis a person writes (a pure AST rewrite).

``ibis.decompile`` writes what Ibis can read back, not what a person writes:

- ``a.inner_join(b, [(a.x == b.x), ibis.literal(True)])``: a join predicate list padded
  with ``ibis.literal(True)`` becomes ``a.inner_join(b, a.x == b.x)``;
- ``t.select(t.a, (t.b + 1).name('c'))``: trailing ``.name()`` arguments become keywords,
  ``t.select(t.a, c=t.b + 1)`` (only trailing ones, so the column order stays);
- ``t.aggregate([t.count().name('n')], by=[t.b])``: list-form aggregates of named metrics
  become ``t.group_by(t.b).aggregate(n=t.count())``.

The caller keeps the simplified program only when it still returns the same rows.
"""

from __future__ import annotations

import ast


def simplify(code: str) -> str:
    """``code`` with the decompiler's artifacts rewritten, as ``ast.unparse`` writes it
    (redundant parentheses gone)."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return code
    _Simplify().visit(tree)
    return ast.unparse(ast.fix_missing_locations(tree)) + "\n"


def _is_literal_true(node: ast.expr) -> bool:
    """``ibis.literal(True)``."""
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "literal"
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "ibis"
        and len(node.args) == 1
        and isinstance(node.args[0], ast.Constant)
        and node.args[0].value is True
    )


def _named(node: ast.expr) -> tuple[str, ast.expr] | None:
    """(name, expression) of ``expression.name('name')`` with an identifier name."""
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "name"
        and len(node.args) == 1
        and not node.keywords
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
        and node.args[0].value.isidentifier()
    ):
        return node.args[0].value, node.func.value
    return None


class _Simplify(ast.NodeTransformer):
    def visit_Call(self, node: ast.Call) -> ast.AST:
        self.generic_visit(node)
        if not isinstance(node.func, ast.Attribute):
            return node
        method = node.func.attr
        if method.endswith("join") and len(node.args) == 2:
            _join_predicates(node)
        elif method == "select":
            _trailing_names(node)
        elif method == "aggregate":
            return _aggregate(node) or node
        return node


def _join_predicates(node: ast.Call) -> None:
    """Drop ``ibis.literal(True)`` from a join's predicate list; one left: no list."""
    preds = node.args[1]
    if not isinstance(preds, ast.List):
        return
    kept = [p for p in preds.elts if not _is_literal_true(p)]
    if kept and len(kept) < len(preds.elts):
        node.args[1] = kept[0] if len(kept) == 1 else ast.List(elts=kept, ctx=ast.Load())


def _trailing_names(node: ast.Call) -> None:
    """Turn the trailing ``x.name('n')`` arguments of a call into ``n=x`` keywords."""
    taken = {k.arg for k in node.keywords}
    split = len(node.args)
    while split and (found := _named(node.args[split - 1])) and found[0] not in taken:
        taken.add(found[0])
        split -= 1
    if node.keywords or split == len(node.args):
        return  # existing keywords come first in the output: reordering would change it
    named = [_named(a) for a in node.args[split:]]
    node.keywords = [ast.keyword(arg=n, value=v) for n, v in named if n is not None]
    node.args = node.args[:split]


def _aggregate(node: ast.Call) -> ast.Call | None:
    """``x.aggregate([m.name('a'), ...], by=[k, ...])`` -> ``x.group_by(k, ...).aggregate(a=m)``."""
    if len(node.args) != 1 or not isinstance(node.args[0], ast.List):
        return None
    metrics = [_named(m) for m in node.args[0].elts]
    if not metrics or any(m is None for m in metrics):
        return None
    if len({m[0] for m in metrics if m}) != len(metrics):
        return None
    by = [k for k in node.keywords if k.arg == "by"]
    if len(node.keywords) != len(by):
        return None  # having=... or other options: left as written
    owner = node.func.value  # type: ignore[attr-defined]
    if by:
        keys = by[0].value.elts if isinstance(by[0].value, ast.List) else [by[0].value]
        owner = ast.Call(func=ast.Attribute(value=owner, attr="group_by", ctx=ast.Load()),
                         args=list(keys), keywords=[])  # fmt: skip
    keywords = [ast.keyword(arg=n, value=v) for n, v in metrics if n]  # type: ignore[misc]
    return ast.Call(func=ast.Attribute(value=owner, attr="aggregate", ctx=ast.Load()),
                    args=[], keywords=keywords)  # fmt: skip
