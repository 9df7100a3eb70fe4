"""Mistake rules: pandas habits, the names and idioms a pandas user reaches for first.

Each rule is a small function named for the mistake; it looks at one node of the program
(:class:`~ibert_mine.execution.mistakes.site.Site`) and yields what a pandas user would
have written there, with a sentence on why Ibis rejects it. Each rule's examples call
:func:`~ibert_mine.execution.mistakes.site.demo` (the tests run them with it in scope).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from ibert_mine.execution.mistakes.site import JOINS, Found, Site, method_of

_STRING_METHODS = frozenset(
    ["upper", "lower", "strip", "lstrip", "rstrip", "length", "contains", "startswith",
     "endswith", "replace", "capitalize", "find", "split", "re_search", "re_extract",
     "re_replace", "left", "right", "lpad", "rpad"]
)  # fmt: skip
_TEMPORAL_METHODS = frozenset(
    ["year", "month", "day", "hour", "minute", "second", "quarter", "day_of_week",
     "day_of_year", "week_of_year", "date", "time", "truncate", "strftime", "epoch_seconds",
     "millisecond"]
)  # fmt: skip
_ELEMENTWISE = _STRING_METHODS | frozenset(
    ["abs", "ceil", "floor", "exp", "ln", "log10", "sqrt", "sign", "negate", "year", "month",
     "day", "hour", "date", "isnull", "notnull"]
)  # fmt: skip
_REDUCTIONS = frozenset(
    ["sum", "mean", "min", "max", "count", "nunique", "median", "std", "var", "first", "last"]
)
_PANDAS_NAMES = {"isnull": "isna", "notnull": "notna", "distinct": "drop_duplicates"}


def _method(node: ast.AST, name: str) -> ast.Attribute | None:
    return node.func if method_of(node) == name else None  # type: ignore[attr-defined, return-value]


def pandas_groupby(node: ast.AST, site: Site) -> Iterator[Found]:
    """``group_by`` spelt as pandas does, ``groupby``.

    >>> demo(pandas_groupby, "t.group_by('g').aggregate(n=t.a.sum())")
    ["t.groupby('g').aggregate(n=t.a.sum())"]
    """
    if attr := _method(node, "group_by"):
        yield Found(
            (site.rename(attr, "groupby"),),
            "Ibis tables have no pandas-style `groupby` method, hence the {error_type}; the"
            " Ibis method is `group_by`, which the fixed code calls.",
            expect="'groupby'",
        )


def pandas_sort_values(node: ast.AST, site: Site) -> Iterator[Found]:
    """``order_by`` spelt as pandas sorts, ``sort_values``.

    >>> demo(pandas_sort_values, "t.order_by(t.a.desc())")
    ['t.sort_values(t.a.desc())']
    """
    if attr := _method(node, "order_by"):
        yield Found(
            (site.rename(attr, "sort_values"),),
            "`sort_values` is the pandas name; an Ibis table sorts with `order_by`, so the"
            " call raises {error_type} and the fixed code uses `order_by`.",
            expect="'Table' object has no attribute 'sort_values'",
        )


def pandas_loc(node: ast.AST, site: Site) -> Iterator[Found]:
    """``t.filter(predicate)`` written as pandas' ``t.loc[predicate]``.

    >>> demo(pandas_loc, "t.filter(t.a > 1)")
    ['t.loc[t.a > 1]']
    """
    if (attr := _method(node, "filter")) and len(node.args) == 1 and not node.keywords:  # type: ignore[attr-defined]
        recv, pred = site.text(attr.value), site.text(node.args[0])  # type: ignore[attr-defined]
        yield Found(
            (site.replace(node, f"{recv}.loc[{pred}]"),),
            "Ibis tables have no `.loc` indexer ({error_type}); rows are kept with"
            " `.filter(predicate)`, as in the fixed code.",
            expect="'Table' object has no attribute 'loc'",
        )


def pandas_astype(node: ast.AST, site: Site) -> Iterator[Found]:
    """``cast`` spelt as pandas converts types, ``astype``.

    >>> demo(pandas_astype, "t.a.cast('float64')")
    ["t.a.astype('float64')"]
    """
    if attr := _method(node, "cast"):
        yield Found(
            (site.rename(attr, "astype"),),
            "Ibis values have no pandas `astype` method ({error_type}); a type conversion is"
            " `.cast(type)`, which the fixed code calls.",
            expect="has no attribute 'astype'",
        )


def pandas_apply(node: ast.AST, site: Site) -> Iterator[Found]:
    """A column method called element by element through pandas' ``.apply``.

    >>> demo(pandas_apply, "t.g.upper()")
    ['t.g.apply(lambda v: v.upper())']
    """
    if isinstance(node, ast.Call) and not node.args and not node.keywords:
        attr = node.func
        if (
            isinstance(attr, ast.Attribute)
            and attr.attr in _ELEMENTWISE
            and site.column(attr.value)
        ):
            col = site.text(attr.value)
            yield Found(
                (site.replace(node, f"{col}.apply(lambda v: v.{attr.attr}())"),),
                f"An Ibis column is not a pandas Series: it has no `.apply` ({{error_type}})."
                f" Ibis expressions are vectorised, so `{col}.{attr.attr}()` is called on the"
                " whole column directly, as in the fixed code.",
                expect="has no attribute 'apply'",
            )


def pandas_str_accessor(node: ast.AST, site: Site) -> Iterator[Found]:
    """A string method called through pandas' ``.str`` accessor.

    >>> demo(pandas_str_accessor, "t.g.upper()")
    ['t.g.str.upper()']
    """
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        col = site.column(node.func.value)
        if col and node.func.attr in _STRING_METHODS and site.family(*col) == "string":
            start, _ = site.span(node.func)
            end = start + len(site.text(node.func.value))
            yield Found(
                ((end, end, ".str"),),
                f"Ibis string columns have no pandas `.str` accessor ({{error_type}}); string"
                f" methods such as `{node.func.attr}` are called on the column itself.",
                expect="has no attribute 'str'",
            )


def pandas_dt_accessor(node: ast.AST, site: Site) -> Iterator[Found]:
    """A date or time method called through pandas' ``.dt`` accessor.

    >>> demo(pandas_dt_accessor, "t.ts.year()")
    ['t.ts.dt.year()']
    """
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        col = site.column(node.func.value)
        temporal = col and site.family(*col) in ("date", "timestamp", "time")
        if temporal and node.func.attr in _TEMPORAL_METHODS:
            end = site.span(node.func.value)[1]
            yield Found(
                ((end, end, ".dt"),),
                f"Ibis temporal columns have no pandas `.dt` accessor ({{error_type}});"
                f" `{node.func.attr}` is a method of the column itself.",
                expect="has no attribute 'dt'",
            )


def pandas_merge(node: ast.AST, site: Site) -> Iterator[Found]:
    """A join written as pandas' ``merge``.

    >>> demo(pandas_merge, "t.join(s, t.a == s.k)")
    ['t.merge(s, t.a == s.k)']
    >>> demo(pandas_merge, "ibis.literal(',').join(t.g)")  # a string's join: no table here
    []
    """
    name = method_of(node)
    if name not in JOINS - {"cross_join", "asof_join"}:
        return
    # ``sep.join(strings)`` takes one argument; a table's join takes the other table and
    # its predicates
    predicates = len(node.args) >= 2 or any(k.arg == "predicates" for k in node.keywords)  # type: ignore[attr-defined]
    if name != "join" or predicates:
        attr = node.func  # type: ignore[attr-defined]
        yield Found(
            (site.rename(attr, "merge"),),
            f"`merge` is how pandas joins; an Ibis table has no `merge` ({{error_type}}) and"
            f" joins with `{attr.attr}`, as in the fixed code.",
            expect="'Table' object has no attribute 'merge'",
        )


def pandas_agg_dict(node: ast.AST, site: Site) -> Iterator[Found]:
    """An aggregation given as pandas' ``{column: "function"}`` mapping.

    >>> demo(pandas_agg_dict, "t.group_by('g').aggregate(total=t.a.sum())")
    ["t.group_by('g').aggregate({'a': 'sum'})"]
    """
    if method_of(node) in ("aggregate", "agg") and not node.args and len(node.keywords) == 1:  # type: ignore[attr-defined]
        metric = node.keywords[0].value  # type: ignore[attr-defined]
        if isinstance(metric, ast.Call) and not metric.args and not metric.keywords:
            func = metric.func
            col = site.column(func.value) if isinstance(func, ast.Attribute) else None
            if col and func.attr in _REDUCTIONS:  # type: ignore[union-attr]
                recv = site.text(node.func.value)  # type: ignore[attr-defined]
                call = f"{recv}.{node.func.attr}({{{col[1]!r}: {func.attr!r}}})"  # type: ignore[attr-defined, union-attr]
                yield Found(
                    (site.replace(node, call),),
                    f"Ibis does not read a pandas `{{column: function}}` mapping: it takes the"
                    f" dictionary's values as columns, hence the {{error_type}}. The metric is"
                    f" an expression, `{site.text(metric)}`, passed by name as in the fixed code.",
                    expect="is not found in table",
                )


def pandas_ascending(node: ast.AST, site: Site) -> Iterator[Found]:
    """A descending sort asked for with pandas' ``ascending=False``.

    >>> demo(pandas_ascending, "t.order_by(t.a.desc())")
    ['t.order_by(t.a, ascending=False)']
    >>> demo(pandas_ascending, "t.order_by(ibis.desc('a'))")
    ["t.order_by('a', ascending=False)"]
    """
    if method_of(node) != "order_by" or len(node.args) != 1 or node.keywords:  # type: ignore[attr-defined]
        return
    key = node.args[0]  # type: ignore[attr-defined]
    inner = None
    if method_of(key) == "desc" and not key.args:
        inner = key.func.value
    elif isinstance(key, ast.Call) and site.text(key.func) == "ibis.desc" and len(key.args) == 1:
        inner = key.args[0]
    if inner is not None:
        yield Found(
            (site.replace(key, f"{site.text(inner)}, ascending=False"),),
            "`order_by` has no pandas `ascending` keyword ({error_type}); a descending key is"
            f" written `{site.text(key)}`, as in the fixed code.",
            expect="unexpected keyword argument 'ascending'",
        )


def pandas_method_name(node: ast.AST, site: Site) -> Iterator[Found]:
    """``isnull``/``notnull``/``distinct`` spelt with pandas' ``isna``/``notna``/
    ``drop_duplicates``.

    >>> demo(pandas_method_name, "t.filter(t.a.notnull()).distinct()")
    ['t.filter(t.a.notnull()).drop_duplicates()', 't.filter(t.a.notna()).distinct()']
    """
    name = method_of(node)
    if name in _PANDAS_NAMES:
        yield Found(
            (site.rename(node.func, _PANDAS_NAMES[name]),),  # type: ignore[attr-defined]
            f"`{_PANDAS_NAMES[name]}` is the pandas name and Ibis has no such method"
            f" ({{error_type}}); the Ibis method is `{name}`, which the fixed code calls.",
            expect=f"has no attribute '{_PANDAS_NAMES[name]}'",
        )


PANDAS_RULES = (
    pandas_groupby,
    pandas_sort_values,
    pandas_loc,
    pandas_astype,
    pandas_apply,
    pandas_str_accessor,
    pandas_dt_accessor,
    pandas_merge,
    pandas_agg_dict,
    pandas_ascending,
    pandas_method_name,
)
