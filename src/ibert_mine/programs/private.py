"""Private Ibis API in a program: what a user of Ibis's public API never writes.

A program uses private API when it imports or names ``ibis.expr.operations`` (the
operation classes, ``ops.DummyTable``), calls ``.op()`` (an expression's operation), or
reaches an attribute whose name starts with one underscore (``_finish()``, ``t._arg``);
dunder names and the deferred ``_`` are public.
"""

from __future__ import annotations

import ast

from ibert_mine.core.reasons import Reason

PRIVATE_API = Reason("private_api", "the program uses private Ibis API (operations, .op(), _x)")


def _private_name(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__") and name != "_"


def uses_private_api(code: str) -> bool:
    """True when ``code`` touches private Ibis API (see the module docstring)."""
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError, RecursionError):
        return False
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            module = node.module or "" if isinstance(node, ast.ImportFrom) else ""
            names = [module, *(a.name for a in node.names)]
            if any("ibis.expr.operations" in f"{module}.{n}" or "operations" in n.split(".")
                   for n in names):  # fmt: skip
                return True
        elif isinstance(node, ast.Attribute) and (
            node.attr == "op" or node.attr == "operations" or _private_name(node.attr)
        ):
            return True
    return False
