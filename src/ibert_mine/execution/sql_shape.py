"""What a query's text says about its result's shape: the outermost ORDER BY and LIMIT."""

from __future__ import annotations

from collections.abc import Sequence

import sqlglot
from sqlglot import exp


def _outermost(sql: str, dialect: str, arg: str) -> exp.Expression | None:
    """The outermost query of the last statement of ``sql``, looking through parentheses
    and subqueries that do not carry ``arg`` themselves (None: no statement parses)."""
    try:
        statements = [s for s in sqlglot.parse(sql, read=dialect) if s is not None]
    except sqlglot.errors.ParseError:
        return None
    if not statements:
        return None
    node = statements[-1]
    while isinstance(node, exp.Subquery | exp.Paren) and not node.args.get(arg):
        node = node.this
    return node


def query_orders(sql: str, dialect: str = "duckdb") -> bool:
    """True when the outermost query of the last statement in ``sql`` has an ORDER BY.

    SQL that sqlglot cannot parse counts as unordered.
    """
    node = _outermost(sql, dialect, "order")
    return node is not None and bool(node.args.get("order"))


def outer_limit(sql: str, dialect: str = "duckdb") -> str | None:
    """The LIMIT of the outermost query of ``sql`` as written (``"100"``), or None."""
    node = _outermost(sql, dialect, "limit")
    limit = node.args.get("limit") if node is not None else None
    if limit is None:
        return None
    value = limit.args.get("expression") or limit.this
    return value.sql(dialect="duckdb") if isinstance(value, exp.Expression) else str(value)


def order_keys(sql: str, columns: Sequence[str], dialect: str = "duckdb") -> list[int] | None:
    """Positions in ``columns`` of the outermost ORDER BY keys, or None when one of them is
    not an output column (an expression, or a column that is not selected)."""
    try:
        tree = sqlglot.parse_one(sql, read=dialect)
    except sqlglot.errors.ParseError:
        return None
    while isinstance(tree, exp.Subquery | exp.Paren) and not tree.args.get("order"):
        tree = tree.this
    order = tree.args.get("order") if tree is not None else None
    if order is None:
        return None
    out = []
    for ordered in order.expressions:
        key = ordered.this
        if isinstance(key, exp.Literal) and key.is_int and 0 < int(key.this) <= len(columns):
            out.append(int(key.this) - 1)
        elif isinstance(key, exp.Column) and key.name in columns:
            out.append(list(columns).index(key.name))
        else:
            return None
    return out
