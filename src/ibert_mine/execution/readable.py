"""Make compiler SQL read like SQL a person writes, with sqlglot.

The optimizer merges the compiler's nested subqueries; then the ``t0``-style aliases
go (a table is called by its name when it appears once), columns lose their qualifier
where one table is in scope, ``x AS x`` loses its alias, a name Ibis made up for an
unnamed column (``"Sum(a)"``) goes from the outermost SELECT where nothing refers to it
(the column stays unnamed, as in the program) and becomes a short snake_case name a person
would write elsewhere (``sum_a``), and identifiers lose their quotes where the dialect does
not need them. The caller keeps the result only when it
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
# Ibis names an unnamed column after its operation: ``Sum(a)``, ``IfElse(True, 1, 2)``
_GENERATED = re.compile(r"^([A-Z][A-Za-z0-9]*)\((.*)\)(_[a-z0-9_]+)?$", re.DOTALL)  # + "_count"
GENERATED_ALIAS = re.compile(r"AS [\"`\[][A-Z][A-Za-z0-9]*\(")  # such a name in SQL text
_FIRST_ARG = re.compile(r"^\(?\s*([a-z_][a-z0-9_]*)\s*(?:[,)]|$)")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
MAX_NAME = 30
_IBIS_PARAM = re.compile(r"^__ibis_param_(\w*)__$")
_PLAIN_WORDS = {"CountStar": "count", "CountDistinctStar": "count_distinct"}
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
        _drop_generated_output_aliases(tree)
        _rename_generated(tree, dialect)
        _rename_lambda_params(tree)
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


def is_generated_name(name: str) -> bool:
    """True for a column name Ibis made up for an unnamed expression (``Sum(a)``)."""
    return bool(_GENERATED.match(name))


def snake_name(name: str) -> str:
    """A short snake_case name for a made-up one: ``Sum(a)`` -> ``sum_a``,
    ``IfElse(True, 1, 2)`` -> ``if_else``."""
    match = _GENERATED.match(name)
    if match is None:
        return name
    suffix = match.group(3) or ""
    if match.group(1) in _PLAIN_WORDS:
        return _PLAIN_WORDS[match.group(1)] + suffix
    words = _CAMEL.sub("_", match.group(1)).lower()
    first = _FIRST_ARG.match(match.group(2))
    out = f"{words}_{first.group(1)}" if first and first.group(1) != "true" else words
    return out[: MAX_NAME - len(suffix)].rstrip("_") + suffix


def _drop_generated_output_aliases(tree: exp.Expression) -> None:
    """``SELECT NULLIF(a, 0) AS "NullIf(a, 0)"`` -> ``SELECT NULLIF(a, 0)``: a column the
    program leaves unnamed stays unnamed in the SQL, where nothing else refers to it."""
    select = tree
    while isinstance(select, exp.Subquery | exp.Paren):
        select = select.this
    if not isinstance(select, exp.Select):
        return
    uses: dict[str, int] = {}
    for ident in tree.find_all(exp.Identifier):
        if isinstance(ident.this, str):
            uses[ident.this] = uses.get(ident.this, 0) + 1
    for projection in list(select.expressions):
        generated = isinstance(projection, exp.Alias) and is_generated_name(projection.alias)
        if generated and uses.get(projection.alias, 0) == 1:  # the alias itself, no other use
            projection.replace(projection.this)


def _rename_generated(tree: exp.Expression, dialect: str) -> None:
    """Give every made-up column name left a snake_case one, the same everywhere it is used
    (never a keyword: ``And(...)`` is ``and_value``)."""
    keywords = sqlglot.Dialect.get_or_raise(dialect).tokenizer_class.KEYWORDS
    taken = {i.this for i in tree.find_all(exp.Identifier) if isinstance(i.this, str)}
    renames: dict[str, str] = {}
    for name in sorted(n for n in taken if is_generated_name(n)):
        base = snake_name(name)
        if base.upper() in keywords:
            base = f"{base}_value"
        new, k = base, 2
        while new in taken or new in renames.values():
            new, k = f"{base}_{k}", k + 1
        renames[name] = new
    for ident in tree.find_all(exp.Identifier):
        if ident.this in renames:
            ident.set("this", renames[ident.this])


def _rename_lambda_params(tree: exp.Expression) -> None:
    """``LAMBDA __ibis_param_x__ : ...`` -> ``LAMBDA x : ...`` (``x`` for Ibis's ``_``)."""
    taken = {i.this for i in tree.find_all(exp.Identifier) if isinstance(i.this, str)}
    for ident in list(tree.find_all(exp.Identifier)):
        match = _IBIS_PARAM.match(ident.this) if isinstance(ident.this, str) else None
        if match is None:
            continue
        inner = match.group(1).strip("_")
        new = inner if inner.isidentifier() and inner not in taken else "x"
        for same in tree.find_all(exp.Identifier):
            if same.this == ident.this:
                same.set("this", new)


def _unquote(tree: exp.Expression, dialect: str) -> None:
    keywords = sqlglot.Dialect.get_or_raise(dialect).tokenizer_class.KEYWORDS
    for ident in tree.find_all(exp.Identifier):
        name = ident.this
        if isinstance(name, str) and _PLAIN_NAME.match(name) and name.upper() not in keywords:
            ident.set("quoted", False)
