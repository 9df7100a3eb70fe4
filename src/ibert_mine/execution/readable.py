"""Make compiler SQL read like SQL a person writes, with sqlglot.

The optimizer merges the compiler's nested subqueries; then the ``t0``-style aliases
go (a table is called by its name when it appears once), columns lose their qualifier
where one table is in scope, ``x AS x`` loses its alias, and identifiers lose their
quotes where the dialect does not need them. The caller keeps the result only when it
returns the same rows as the original, so a wrong rewrite can only drop an example.
"""

from __future__ import annotations

import re

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError
from sqlglot.optimizer import (
    eliminate_ctes,
    eliminate_subqueries,
    merge_subqueries,
    pushdown_projections,
    qualify,
)
from sqlglot.optimizer import optimize as sqlglot_optimize

_COMPILER_ALIAS = re.compile(r"^t\d+$")
_PLAIN_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")
RULES = (
    qualify.qualify,
    pushdown_projections.pushdown_projections,
    merge_subqueries.merge_subqueries,
    eliminate_subqueries.eliminate_subqueries,
    eliminate_ctes.eliminate_ctes,
)


def readable_sql(
    sql: str, schema: dict[str, dict[str, str]], dialect: str = "duckdb"
) -> str | None:
    """A human-style rewrite of ``sql``, or None when sqlglot cannot rewrite it.

    Names keep their case: the rewrite reads the dialect as case-sensitive, so that
    ``"Total"`` is not folded to ``total`` (DuckDB would fold it; Ibis's names must stay).
    """
    exact = f"{dialect}, normalization_strategy = case_sensitive"
    try:
        tree = sqlglot.parse_one(sql, read=exact)
        tree = sqlglot_optimize(tree, schema=schema, dialect=exact, rules=RULES)
        tree = _drop_compiler_aliases(tree)
        tree = _drop_redundant_aliases(tree)
        _unquote(tree, dialect)
        return tree.sql(dialect=dialect, pretty=True)
    except (SqlglotError, ValueError, KeyError, AttributeError, TypeError, RecursionError):
        return None


def _drop_compiler_aliases(tree: exp.Expression) -> exp.Expression:
    """``FROM "t" AS "t0"`` -> ``FROM t`` when ``t`` appears once; qualifiers follow."""
    tables = list(tree.find_all(exp.Table))
    counts: dict[str, int] = {}
    for table in tables:
        counts[table.name] = counts.get(table.name, 0) + 1
    renames: dict[str, str] = {}
    for table in tables:
        alias = table.alias
        if alias and _COMPILER_ALIAS.match(alias) and counts[table.name] == 1:
            renames[alias] = table.name
            table.set("alias", None)
    for column in tree.find_all(exp.Column):
        if column.table in renames:
            column.set("table", exp.to_identifier(renames[column.table]))
    for select in tree.find_all(exp.Select):
        sources = select.args.get("from_") or select.args.get("from")
        if (
            isinstance(sources, exp.From)
            and isinstance(sources.this, exp.Table)
            and not (select.args.get("joins"))
        ):
            for column in select.find_all(exp.Column):
                if column.find_ancestor(exp.Select) is select:
                    column.set("table", None)
    return tree


def _drop_redundant_aliases(tree: exp.Expression) -> exp.Expression:
    """``col AS col`` -> ``col``."""
    for alias in list(tree.find_all(exp.Alias)):
        inner = alias.this
        if isinstance(inner, exp.Column) and inner.name == alias.alias:
            alias.replace(inner)
    return tree


def _unquote(tree: exp.Expression, dialect: str) -> None:
    keywords = sqlglot.Dialect.get_or_raise(dialect).tokenizer_class.KEYWORDS
    for ident in tree.find_all(exp.Identifier):
        name = ident.this
        if isinstance(name, str) and _PLAIN_NAME.match(name) and name.upper() not in keywords:
            ident.set("quoted", False)
