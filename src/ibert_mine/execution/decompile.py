"""Ibis recovered from SQL: ``ibis.parse_sql`` then ``ibis.decompile``, made a program.

The decompiled source declares its own tables (``t = ibis.table(name='t', ...)``) and
imports ibis; as a program of this project those lines go (the tables are the example's
declared tables) and the final ``result = ...`` is followed by ``result``. The caller keeps
it only when it executes to the same rows as the program the SQL came from.
"""

from __future__ import annotations

import ast


def _declares_table(node: ast.stmt, tables: set[str]) -> bool:
    """``name = ibis.table(name='name', ...)`` for one of the declared tables."""
    if not (isinstance(node, ast.Assign) and len(node.targets) == 1):
        return False
    target, value = node.targets[0], node.value
    if not (isinstance(target, ast.Name) and isinstance(value, ast.Call)):
        return False
    func = value.func
    if not (isinstance(func, ast.Attribute) and func.attr == "table"):
        return False
    names = [k.value for k in value.keywords if k.arg == "name"]
    return (
        target.id in tables
        and names
        and isinstance(names[0], ast.Constant)
        and (names[0].value == target.id)
    )


def recovered_program(sql: str, schemas: dict[str, dict[str, str]]) -> str | None:
    """The decompiled program for ``sql`` over the declared tables, or None."""
    import ibis  # heavy: imported on first use

    try:
        catalog = {name: ibis.schema(cols) for name, cols in schemas.items()}
        source = ibis.decompile(ibis.parse_sql(sql, catalog=catalog, dialect="duckdb"))
        tree = ast.parse(source)
    except Exception:  # parse_sql covers a subset of SQL: no recovery, no example
        return None
    kept = []
    for node in tree.body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            if not all(a.name == "ibis" for a in node.names):
                return None
        elif _declares_table(node, set(schemas)):
            continue
        else:
            kept.append(ast.get_source_segment(source, node) or "")
    last = tree.body[-1] if tree.body else None
    if not (isinstance(last, ast.Assign) and isinstance(last.targets[0], ast.Name)):
        return None
    return "\n".join([*kept, last.targets[0].id]) + "\n"
