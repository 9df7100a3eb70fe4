"""The public Ibis API, read off the installed package: names to tag code that uses it, and
where each top-level ``ibis.<name>`` is defined, to name definitions as users call them."""

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


def ibis_exports() -> frozenset[tuple[str, str]]:
    """``(name, module)`` for each public ``ibis.<name>`` defined in an Ibis module:
    ``("schema", "ibis.expr.api")``, as ``ibis.schema`` is ``ibis.expr.api.schema``.

    Read from the module's namespace, so nothing is imported (a backend, say) to answer."""
    import ibis  # heavy: imported on first use

    found = set()
    for name, value in vars(ibis).items():
        module = getattr(value, "__module__", None)
        if not name.startswith("_") and isinstance(module, str) and module.startswith("ibis."):
            found.add((name, module))
    return frozenset(found)
