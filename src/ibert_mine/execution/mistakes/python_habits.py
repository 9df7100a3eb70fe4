"""Mistake rules: Python's own operators and values where Ibis needs its expressions.

Each rule is a small function named for the mistake; it looks at one node of the program
(:class:`~ibert_mine.execution.mistakes.site.Site`) and yields the broken text with a
sentence on why it fails and why the original works. Each rule's examples call
:func:`~ibert_mine.execution.mistakes.site.demo` (the tests run them with it in scope).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from ibert_mine.execution.mistakes.site import Found, Site, method_of

_REDUCTIONS = frozenset(["sum", "mean", "min", "max", "count", "nunique", "median", "std", "var"])
_FLOAT_RESULT = frozenset(["mean", "median", "std", "var"])
_TABLE_METHODS = frozenset(
    ["filter", "select", "mutate", "order_by", "aggregate", "agg", "join", "inner_join",
     "left_join", "distinct", "limit", "head", "union", "drop", "rename", "sql"]
)  # fmt: skip


def missing_execute(node: ast.AST, site: Site) -> Iterator[Found]:
    """An Ibis scalar used as a Python number (``int(...)``, ``len(t)``) without executing.

    >>> demo(missing_execute, "n = t.a.mean()")
    ['n = float(t.a.mean())']
    >>> demo(missing_execute, "t.filter(t.a > 1).count()")
    ['len(t.filter(t.a > 1))']
    >>> demo(missing_execute, "n = t.d.max()")  # the latest date is no number
    []
    """
    name = method_of(node)
    if (
        name not in _REDUCTIONS
        or node.args
        or not isinstance(site.parent(node), ast.Assign | ast.Expr)
    ):  # type: ignore[attr-defined]
        return
    recv = node.func.value  # type: ignore[attr-defined]
    table_like = (isinstance(recv, ast.Name) and recv.id in site.schemas) or method_of(
        recv
    ) in _TABLE_METHODS
    if name == "count" and table_like:
        yield Found(
            (site.replace(node, f"len({site.text(recv)})"),),
            "An Ibis table is a lazy expression with no length ({error_type}); its number of"
            f" rows is the expression `{site.text(node)}`, executed when a value is needed.",
            expect="Use .count() instead",
        )
        return
    col = site.column(recv)
    if not col or (site.family(*col) != "numeric" and name not in ("count", "nunique")):
        return  # the max of a date is no number either
    convert = "float" if name in _FLOAT_RESULT else "int"
    yield Found(
        (site.replace(node, f"{convert}({site.text(node)})"),),
        f"`{site.text(node)}` is a lazy Ibis scalar, not a Python number, so `{convert}()`"
        " raises {error_type}; keep it an expression, as the fixed code does, and call"
        " `.execute()` on it when the value itself is needed.",
        expect="argument must be",
    )


def python_boolean_operator(node: ast.AST, site: Site) -> Iterator[Found]:
    """``&``/``|`` written as Python's ``and``/``or``.

    >>> demo(python_boolean_operator, "t.filter((t.a > 1) & (t.g == 'x'))")
    ["t.filter(t.a > 1 and t.g == 'x')"]
    """
    both = isinstance(node, ast.BinOp) and all(
        isinstance(side, ast.Compare) for side in (node.left, node.right)
    )
    if both and isinstance(node.op, ast.BitAnd | ast.BitOr):  # type: ignore[attr-defined]
        word, sign = ("and", "&") if isinstance(node.op, ast.BitAnd) else ("or", "|")
        new = f"{site.text(node.left)} {word} {site.text(node.right)}"
        yield Found(
            (site.replace(node, new),),
            f"Python's `{word}` asks each side for its truth value, which an Ibis expression"
            f" does not have ({{error_type}}); Ibis combines conditions with `{sign}`, each"
            " comparison in parentheses, as in the fixed code.",
            expect="truth value",
        )


def python_in_operator(node: ast.AST, site: Site) -> Iterator[Found]:
    """``x.isin(values)`` written as Python's ``x in values``.

    >>> demo(python_in_operator, "t.filter(t.g.isin(['a', 'b']))")
    ["t.filter(t.g in ['a', 'b'])"]
    """
    name = method_of(node)
    options = node.args[0] if name in ("isin", "notin") and len(node.args) == 1 else None  # type: ignore[attr-defined]
    if isinstance(options, ast.List | ast.Tuple | ast.Set) and not node.keywords:  # type: ignore[attr-defined]
        word = "in" if name == "isin" else "not in"
        value, options = site.text(node.func.value), site.text(node.args[0])  # type: ignore[attr-defined]
        yield Found(
            (site.replace(node, f"{value} {word} {options}"),),
            f"Python's `{word}` compares `{value}` with each option and needs a truth value,"
            f" which an Ibis expression does not have ({{error_type}}); the Ibis method is"
            f" `.{name}(...)`, as in the fixed code.",
            expect="truth value",
        )


def operator_precedence(node: ast.AST, site: Site) -> Iterator[Found]:
    """Two comparisons joined by ``&``/``|`` without their parentheses.

    >>> demo(operator_precedence, "t.filter((t.a > 1) & (t.b < 2.5))")
    ['t.filter(t.a > 1 & t.b < 2.5)']
    """
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitAnd | ast.BitOr):
        left, right = node.left, node.right
        if isinstance(left, ast.Compare) and isinstance(right, ast.Compare):
            sign = "&" if isinstance(node.op, ast.BitAnd) else "|"
            new = f"{site.text(left)} {sign} {site.text(right)}"
            yield Found(
                (site.replace(node, new),),
                f"`{sign}` binds tighter than a comparison in Python, so without parentheses"
                f" the condition reads as a chained comparison around"
                f" `{site.text(left.comparators[0])} {sign} {site.text(right.left)}` and fails"
                " ({error_type}); each comparison needs its own parentheses, as in the fixed code.",
            )


PYTHON_RULES = (
    missing_execute,
    python_boolean_operator,
    python_in_operator,
    operator_precedence,
)
