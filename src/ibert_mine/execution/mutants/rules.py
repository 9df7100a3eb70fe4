"""The mutation rules: each a small function named for the mistake it makes, in order.

A rule looks at one node (with :class:`~ibert_mine.execution.mutants.site.Where` telling
its parent and the declared columns) and yields the nodes that could stand in its place.
Names given to results (``.name("x")``), type strings (``.cast("int64")``) and join kinds
(``how="left"``) are not literals to move: a renamed column returns the same rows, and a
misspelt type or kind does not build.

Each rule's examples call :func:`~ibert_mine.execution.mutants.site.demo` (the tests run
them with it in scope).
"""

from __future__ import annotations

import ast
import datetime as dt
from collections.abc import Iterator

from ibert_mine.execution.mutants.site import Rule, Where, method_of, renamed, with_fields

_FLIP = {ast.Gt: (ast.GtE, ast.Lt), ast.GtE: (ast.Gt,), ast.Lt: (ast.LtE, ast.Gt),
         ast.LtE: (ast.Lt,), ast.Eq: (ast.NotEq,), ast.NotEq: (ast.Eq,)}  # fmt: skip
_METHOD_FLIP = {"isin": "notin", "notin": "isin"}
_AGGREGATES = {"sum": "mean", "mean": "sum", "min": "max", "max": "min", "count": "nunique",
               "nunique": "count"}  # fmt: skip
_JOIN_METHODS = {"inner_join": "left_join", "left_join": "inner_join",
                 "outer_join": "inner_join", "right_join": "inner_join",
                 "semi_join": "anti_join", "anti_join": "semi_join"}  # fmt: skip
_JOIN_KINDS = {"inner": "left", "left": "inner", "outer": "inner", "right": "inner",
               "semi": "anti", "anti": "semi"}  # fmt: skip
_NAMING = {"name", "alias", "cast", "try_cast", "rename", "as_table", "relabel"}
_LIMITS = {"limit", "head"}


def comparison(node: ast.AST, where: Where) -> Iterator[ast.AST]:
    """``>`` to ``>=`` or ``<``, ``<`` to ``<=`` or ``>``, ``==`` and ``!=``, isin and notin;
    not in a join's condition (``!=`` there joins nearly every row with every row).

    >>> demo(comparison, "t.filter(t.a > 10)")
    ['t.filter(t.a >= 10)', 't.filter(t.a < 10)']
    >>> demo(comparison, "p = t.a == s.a; t.join(s, p)")
    []
    """
    if isinstance(node, ast.Compare) and len(node.ops) == 1 and not where.in_join_condition(node):
        for op in _FLIP.get(type(node.ops[0]), ()):
            yield with_fields(node, ops=[op()])
    if method_of(node) in _METHOD_FLIP:
        yield renamed(node, _METHOD_FLIP[method_of(node)])


def literal(node: ast.AST, where: Where) -> Iterator[ast.AST]:
    """A number one up or down, the next string, a date a day later, a flag flipped.

    >>> demo(literal, "t.filter((t.a > 10) & (t.s == 'x'))")
    ["t.filter((t.a > 11) & (t.s == 'x'))", "t.filter((t.a > 9) & (t.s == 'x'))", \
"t.filter((t.a > 10) & (t.s == 'y'))"]
    >>> demo(literal, 't.filter(t.d < "2024-01-31")')
    ["t.filter(t.d < '2024-02-01')"]
    """
    if not isinstance(node, ast.Constant) or where.called_method(node) in _NAMING | _LIMITS:
        return
    if isinstance(where.parent(node), ast.arguments):  # a default: the callers pass their own
        return
    value = node.value
    if isinstance(value, bool):
        yield with_fields(node, value=not value)
    elif isinstance(value, int | float):
        yield with_fields(node, value=value + 1)
        yield with_fields(node, value=value - 1)
    elif isinstance(value, str) and value not in where.types and not _keyword_of(node, where):
        yield with_fields(node, value=next_string(value))


def _keyword_of(node: ast.AST, where: Where) -> str | None:
    parent = where.parent(node)
    return parent.arg if isinstance(parent, ast.keyword) else None


def next_string(text: str) -> str:
    """A date a day later, else the string with its last character moved up one.

    >>> next_string("1995-03-15"), next_string("abc"), next_string("")
    ('1995-03-16', 'abd', 'a')
    """
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        return text[:-1] + chr(ord(text[-1]) + 1) if text else "a"
    return (day + dt.timedelta(days=1)).isoformat()


def bool_op(node: ast.AST, where: Where) -> Iterator[ast.AST]:
    """``&`` and ``|`` swapped, a negation ``~`` dropped.

    >>> demo(bool_op, "t.filter((t.a > 1) & ~t.b)")
    ['t.filter((t.a > 1) | ~t.b)', 't.filter((t.a > 1) & t.b)']
    """
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitAnd | ast.BitOr):
        yield with_fields(node, op=ast.BitOr() if isinstance(node.op, ast.BitAnd) else ast.BitAnd())
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Invert):
        yield node.operand


def drop_predicate(node: ast.AST, where: Where) -> Iterator[ast.AST]:
    """One predicate of a filter left out (the whole filter when it has one).

    >>> demo(drop_predicate, "t.filter(t.a > 1, t.b)")
    ['t.filter(t.b)', 't.filter(t.a > 1)']
    >>> demo(drop_predicate, "t.filter((t.a > 1) & t.b).count()")
    ['t.count()', 't.filter(t.b).count()', 't.filter(t.a > 1).count()']
    """
    if method_of(node) == "filter" and not node.keywords:
        if len(node.args) == 1:
            yield node.func.value
        for i in range(len(node.args) if len(node.args) > 1 else 0):
            yield with_fields(node, args=node.args[:i] + node.args[i + 1 :])
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitAnd):
        yield node.right
        yield node.left


def aggregate(node: ast.AST, where: Where) -> Iterator[ast.AST]:
    """``sum`` and ``mean``, ``min`` and ``max``, ``count`` and ``nunique`` swapped.

    >>> demo(aggregate, "t.group_by('g').agg(s=t.a.sum())")
    ["t.group_by('g').agg(s=t.a.mean())"]
    """
    if method_of(node) in _AGGREGATES:
        yield renamed(node, _AGGREGATES[method_of(node)])


def sort_direction(node: ast.AST, where: Where) -> Iterator[ast.AST]:
    """``desc`` and ``asc`` swapped; a plain sort key made descending.

    >>> demo(sort_direction, "t.order_by('a', t.b.desc())")
    ["t.order_by(ibis.desc('a'), t.b.desc())", "t.order_by('a', t.b.asc())"]
    """
    if method_of(node) in ("desc", "asc"):
        yield renamed(node, "asc" if method_of(node) == "desc" else "desc")
    parent = where.parent(node)
    sort_arg = where.called_method(node) == "order_by" and not isinstance(parent, ast.keyword)
    if isinstance(parent, ast.List | ast.Tuple):
        sort_arg = where.called_method(parent) == "order_by"
    if sort_arg and isinstance(node, ast.Constant | ast.Attribute | ast.Name | ast.Subscript):
        desc = ast.Attribute(value=ast.Name(id="ibis", ctx=ast.Load()), attr="desc")
        yield ast.Call(func=desc, args=[node], keywords=[])


def join_kind(node: ast.AST, where: Where) -> Iterator[ast.AST]:
    """An inner join made left (and the other kinds made inner), semi and anti swapped.

    >>> demo(join_kind, "a.join(b, 'k')")
    ["a.join(b, 'k', how='left')"]
    >>> demo(join_kind, "a.left_join(b, 'k')")
    ["a.inner_join(b, 'k')"]
    """
    attr = method_of(node)
    if attr in _JOIN_METHODS:
        yield renamed(node, _JOIN_METHODS[attr])
    elif attr == "join" and node.args:
        how = next((k for k in node.keywords if k.arg == "how"), None)
        if how is None:
            left = ast.keyword(arg="how", value=ast.Constant("left"))
            yield with_fields(node, keywords=[*node.keywords, left])
        elif isinstance(how.value, ast.Constant) and how.value.value in _JOIN_KINDS:
            other = ast.keyword(arg="how", value=ast.Constant(_JOIN_KINDS[how.value.value]))
            yield with_fields(node, keywords=[other if k is how else k for k in node.keywords])


def limit(node: ast.AST, where: Where) -> Iterator[ast.AST]:
    """A ``limit`` (or ``head``) one row longer or shorter.

    >>> demo(limit, "t.order_by('a').limit(5)")
    ["t.order_by('a').limit(6)", "t.order_by('a').limit(4)"]
    """
    value = node.value if isinstance(node, ast.Constant) else None
    if where.called_method(node) in _LIMITS and type(value) is int:
        yield with_fields(node, value=value + 1)
        if value > 0:
            yield with_fields(node, value=value - 1)


def column(node: ast.AST, where: Where) -> Iterator[ast.AST]:
    """A column replaced by the next declared column of the same type family (numbers count
    as one: ``int8`` for ``float64`` is a mistake a person makes).

    >>> demo(column, "t.select(t.a, 'c')", {"t": {"a": "int64", "b": "string", "c": "float64"}})
    ["t.select(t.c, 'c')", "t.select(t.a, 'a')"]
    """
    parent = where.parent(node)
    method = isinstance(parent, ast.Call) and parent.func is node  # ``t.count()``: no column
    if isinstance(node, ast.Attribute) and node.attr in where.same_type and not method:
        yield with_fields(node, attr=where.same_type[node.attr])
    value = node.value if isinstance(node, ast.Constant) else None
    named = where.called_method(node) in _NAMING  # a result's name, not a column
    if isinstance(value, str) and value in where.same_type and not named:
        yield with_fields(node, value=where.same_type[value])


RULES: tuple[Rule, ...] = (
    comparison,
    literal,
    bool_op,
    drop_predicate,
    aggregate,
    sort_direction,
    join_kind,
    limit,
    column,
)
