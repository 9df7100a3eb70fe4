"""The public Ibis API, read off the installed package, to tag code that uses it."""

from __future__ import annotations

import inspect


def ibis_api_names() -> frozenset[str]:
    """Public method names of Ibis expression types, plus ``ibis.<name>`` for top-level names.

    Names that are also common Python or pandas vocabulary (``copy``, ``get``, ...) are kept:
    callers combine this set with evidence that the code is Ibis code.
    """
    import ibis  # heavy: imported on first use
    import ibis.expr.types as ir

    names: set[str] = set()
    for _, cls in inspect.getmembers(ir, inspect.isclass):
        if issubclass(cls, ir.Expr) or cls.__name__ in {"GroupedTable"}:
            names.update(n for n in dir(cls) if not n.startswith("_"))
    names.update(f"ibis.{n}" for n in dir(ibis) if not n.startswith("_"))
    return frozenset(names)
