"""Mistake rules: wrong names, wrong types, wrong tables, and Python where Ibis is meant.

Each rule is a small function named for the mistake; it looks at one node of the program
(:class:`~ibert_mine.execution.mistakes.site.Site`) and yields the broken text with a
sentence on why it fails and why the original works. Each rule's examples call
:func:`~ibert_mine.execution.mistakes.site.demo` (the tests run them with it in scope).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from ibert_mine.execution.mistakes.site import JOINS, Found, Site, method_of

_REDUCTIONS = frozenset(["sum", "mean", "min", "max", "count", "nunique", "median", "std", "var"])
_TABLE_METHODS = frozenset(
    ["filter", "select", "mutate", "order_by", "group_by", "aggregate", "agg"]
)
_ORDERING = (ast.Gt, ast.GtE, ast.Lt, ast.LtE, ast.Eq, ast.NotEq)


def typo(name: str) -> str:
    """A misspelling a person makes: two letters near the middle swapped, else the last
    one doubled.

    >>> [typo(n) for n in ("amount", "id", "c_name")]
    ['amuont', 'idd', 'c_anme']
    """
    middle = len(name) // 2 - 1
    for i in sorted(range(1, len(name) - 2), key=lambda i: (abs(i - middle), i)):
        a, b = name[i], name[i + 1]
        if a != b and a.isalpha() and b.isalpha():
            return name[:i] + b + a + name[i + 2 :]
    return name + name[-1]


def misspelled_column(node: ast.AST, site: Site) -> Iterator[Found]:
    """A column name misspelt: ``t.amount`` as ``t.amuont``.

    >>> demo(misspelled_column, "t.select(t.amount)", {"t": {"amount": "int8"}})
    ['t.select(t.amuont)']
    """
    col = site.column(node)
    if col and len(col[1]) >= 4:  # "a" as "aa" is no slip of the fingers
        table, name = col
        wrong = typo(name)
        if wrong not in site.schemas[table]:
            yield Found(
                (site.rename(node, wrong),),  # type: ignore[arg-type]
                f"`{table}` has no column `{wrong}` ({{error_type}}): the name is misspelt;"
                f" the column is `{name}`, as in the fixed code.",
                expect=f"'{wrong}'",
            )


def column_of_other_table(node: ast.AST, site: Site) -> Iterator[Found]:
    """A column looked up on another declared table that does not have it.

    >>> demo(column_of_other_table, "t.filter(t.a > 1)")
    ['t.filter(s.a > 1)']
    """
    col = site.column(node)
    if col:
        table, name = col
        other = next((o for o in site.schemas if o != table and name not in site.schemas[o]), None)
        if other is not None:
            yield Found(
                (site.replace(node.value, other),),  # type: ignore[attr-defined]
                f"`{name}` is a column of `{table}`, not of `{other}`, so `{other}.{name}`"
                f" raises {{error_type}}; the fixed code reads it from `{table}`.",
                expect=f"has no attribute '{name}'",
            )


def mixed_tables(node: ast.AST, site: Site) -> Iterator[Found]:
    """A column of an unrelated table used in a method of this one.

    >>> demo(mixed_tables, "t.filter(t.a > 1)")
    ['t.filter(s.k > 1)']
    """
    col = site.column(node)
    parent = site.parent(node)
    while parent is not None and not isinstance(parent, ast.Call):
        parent = site.parent(parent)
    if not col or method_of(parent) not in _TABLE_METHODS:
        return
    recv = parent.func.value  # type: ignore[union-attr]
    table, name = col
    if not (isinstance(recv, ast.Name) and recv.id == table):
        return
    family = site.family(table, name)
    for other, cols in site.schemas.items():
        alike = next((c for c in cols if other != table and site.family(other, c) == family), None)
        if alike:
            yield Found(
                (site.replace(node, f"{other}.{alike}"),),
                f"`{other}.{alike}` belongs to table `{other}`, which `{table}` is not joined"
                f" with, so Ibis raises {{error_type}}; an expression of `{table}` may only"
                f" use its own columns, such as `{table}.{name}` in the fixed code.",
                expect="belong to another relation",
            )
            return


def incompatible_comparison(node: ast.AST, site: Site) -> Iterator[Found]:
    """A comparison between a string column and a number, or a date and a string column.

    >>> demo(incompatible_comparison, "t.filter(t.a > 10)")
    ['t.filter(t.g > 10)']
    """
    if isinstance(node, ast.Compare) and len(node.ops) == 1:
        if not isinstance(node.ops[0], _ORDERING) or site.in_join_condition(node):
            return
        col = site.column(node.left)
        wanted = ("string", "numeric", "date", "timestamp")
        other = site.other_family(*col, wanted) if col else None
        if col and other:
            table, name = col
            yield Found(
                (site.replace(node.left, f"{table}.{other}"),),
                f"`{table}.{other}` is {site.schemas[table][other]}, which cannot be compared"
                f" with `{site.text(node.comparators[0])}` ({{error_type}}); the fixed code"
                f" compares the {site.schemas[table][name]} column `{name}`.",
                expect="not comparable",
            )


def wrong_literal_type(node: ast.AST, site: Site) -> Iterator[Found]:
    """A number written as a string literal in a comparison with a numeric column.

    >>> demo(wrong_literal_type, "t.filter(t.a >= 10)")
    ["t.filter(t.a >= '10')"]
    """
    if isinstance(node, ast.Compare) and len(node.ops) == 1:
        col, value = site.column(node.left), node.comparators[0]
        number = isinstance(value, ast.Constant) and type(value.value) in (int, float)
        if col and number and site.family(*col) == "numeric":
            text = site.text(value)
            yield Found(
                (site.replace(value, repr(text)),),
                f"`{site.text(node.left)}` is {site.schemas[col[0]][col[1]]} but `{text!r}` is a"
                f" string, and Ibis does not compare the two ({{error_type}}); the fixed code"
                f" writes the number {text} without quotes.",
                expect="not comparable",
            )


def incompatible_arithmetic(node: ast.AST, site: Site) -> Iterator[Found]:
    """Arithmetic on a string column where a number was meant.

    >>> demo(incompatible_arithmetic, "t.mutate(c=t.a - 2)")
    ['t.mutate(c=t.g - 2)']
    """
    # not + or *: Ibis reads a string + a number, and a string * a number, as text
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Sub | ast.Div):
        col = site.column(node.left)
        if col and site.family(*col) == "numeric":
            other = site.other_family(*col, ("string",))
            if other:
                table, name = col
                yield Found(
                    (site.replace(node.left, f"{table}.{other}"),),
                    f"`{table}.{other}` is a string column: Ibis has no arithmetic between it"
                    f" and a number ({{error_type}}); the fixed code computes with the numeric"
                    f" column `{name}`.",
                    expect="unsupported operand",
                )


def reduction_missing(node: ast.AST, site: Site) -> Iterator[Found]:
    """A metric of ``aggregate`` given as a plain column, its reduction left out.

    >>> demo(reduction_missing, "t.group_by('g').aggregate(total=t.a.sum())")
    ["t.group_by('g').aggregate(total=t.a)"]
    """
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and not node.args:
        col = site.column(node.func.value)
        if (
            col
            and node.func.attr in _REDUCTIONS
            and site.called_method(node) in ("aggregate", "agg")
        ):
            yield Found(
                (site.replace(node, site.text(node.func.value)),),
                f"`aggregate` needs one value per group, but `{site.text(node.func.value)}`"
                f" is a column with a value per row ({{error_type}}); the fixed code reduces"
                f" it with `.{node.func.attr}()`.",
                expect="metrics",
            )


def wrong_join_key(node: ast.AST, site: Site) -> Iterator[Found]:
    """A join condition on a column of the other table whose type does not match.

    >>> demo(wrong_join_key, "t.join(s, t.a == s.k)")
    ['t.join(s, t.a == s.v)']
    """
    if isinstance(node, ast.Compare) and isinstance(node.ops[0], ast.Eq) and len(node.ops) == 1:
        left, right = site.column(node.left), site.column(node.comparators[0])
        parent = site.parent(node)
        while isinstance(parent, ast.List | ast.Tuple | ast.keyword):
            parent = site.parent(parent)
        if left and right and method_of(parent) in JOINS and left[0] != right[0]:
            other = site.other_family(*right, ("string", "numeric", "date", "timestamp"))
            if other:
                yield Found(
                    (site.rename(node.comparators[0], other),),  # type: ignore[arg-type]
                    f"The join key `{right[0]}.{other}` is {site.schemas[right[0]][other]} while"
                    f" `{left[0]}.{left[1]}` is {site.schemas[left[0]][left[1]]}, so the"
                    f" condition cannot be built ({{error_type}}); the tables match on"
                    f" `{right[0]}.{right[1]}`, as in the fixed code.",
                    expect="not comparable",
                )


def calling_column(node: ast.AST, site: Site) -> Iterator[Found]:
    """A column called as if it were a method: ``t.a()``.

    >>> demo(calling_column, "t.select(t.a, t.g)")
    ['t.select(t.a(), t.g)', 't.select(t.a, t.g())']
    """
    parent = site.parent(node)
    called = isinstance(parent, ast.Call) and parent.func is node
    if site.column(node) and not called and not isinstance(parent, ast.Attribute):
        yield Found(
            (site.replace(node, f"{site.text(node)}()"),),
            f"`{site.text(node)}` is a column, not a method, so calling it raises"
            " {error_type}; the fixed code uses the column without parentheses.",
            expect="object is not callable",
        )


RULES = (
    misspelled_column,
    column_of_other_table,
    mixed_tables,
    incompatible_comparison,
    wrong_literal_type,
    incompatible_arithmetic,
    reduction_missing,
    wrong_join_key,
    calling_column,
)
