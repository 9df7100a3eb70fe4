"""Which definitions are Ibis's public API, and how a user names them in a question.

A definition is public when its module is one a user imports from (the expression types,
``ibis``'s top-level API, schemas and data types, selectors, UDFs, the backends), no part
of its name is private, and it is not nested in a function. It is named as a user writes
it: ``ibis.memtable`` for the top-level API, ``Table.pivot_longer`` for a method, and a
backend's method with its backend (``read_csv`` of the DuckDB backend). A function or
method is shown with its signature as the API reference shows it (:func:`signature`).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from ibert_mine.sources.python import Definition, ModuleUnit

# modules whose functions users call by the module's name (``ibis.selectors.cols``); a
# function of another module is public only as the ``ibis.<name>`` Ibis exports it as
CALLED_BY_MODULE = frozenset({"ibis/selectors.py"})
# the base class's side of what users call per backend: ``ibis.<backend>.connect`` is asked
# about from each backend's ``do_connect``, which documents its parameters
GENERIC = frozenset({"BaseBackend.connect"})
PUBLIC_MODULE = re.compile(
    r"^ibis/(expr/types/[a-z]\w*\.py|expr/(api|schema|sql|udf|decompile)\.py"
    r"|expr/datatypes/core\.py|selectors\.py|config\.py|examples/__init__\.py"
    r"|backends/__init__\.py|backends/sql/__init__\.py|backends/(?P<backend>[a-z]\w*)/__init__\.py)$"
)
BACKEND_NAMES = {
    "athena": "Athena", "bigquery": "BigQuery", "clickhouse": "ClickHouse",
    "databricks": "Databricks", "datafusion": "DataFusion", "druid": "Druid",
    "duckdb": "DuckDB", "exasol": "Exasol", "flink": "Flink", "impala": "Impala",
    "materialize": "Materialize", "mssql": "MSSQL", "mysql": "MySQL", "oracle": "Oracle",
    "polars": "Polars", "postgres": "PostgreSQL", "pyspark": "PySpark",
    "risingwave": "RisingWave", "singlestoredb": "SingleStoreDB", "snowflake": "Snowflake",
    "sqlite": "SQLite", "trino": "Trino",
}  # fmt: skip
# decorators that make a method an attribute, read without a call, or whose function's
# parameters are not those callers pass (a dispatcher's registered variants differ)
_NO_SIGNATURE = frozenset(
    {"property", "cached_property", "attribute", "setter", "singledispatch", "dispatch"}
)


@dataclass(frozen=True, slots=True)
class Subject:
    """A public definition as a question names it."""

    name: str  # `Table.pivot_longer`, `ibis.memtable`
    kind: str  # "class" | "function" | "method"
    backend: str | None = None  # "DuckDB" for a method of a backend

    def where(self) -> str:
        """`` in the DuckDB backend`` for a backend's method, else ``""``."""
        return f" in the {self.backend} backend" if self.backend else ""


def subject(
    path: str, d: Definition, exports: frozenset[tuple[str, str]] = frozenset()
) -> Subject | None:
    """How a user names definition ``d`` of module ``path``, or None when it is not public.

    ``exports`` holds ``(name, module)`` for each ``ibis.<name>`` of the installed Ibis: a
    module's function is asked about as the ``ibis.<name>`` it is (``ibis.expr.api.schema``
    is ``ibis.schema``; ``ibis.expr.schema.schema`` is not), or by its module's name in
    :data:`CALLED_BY_MODULE`, else not at all (a helper). A backend's ``do_connect`` is
    asked about as ``ibis.<backend>.connect``, which users call, and its class methods as
    ``ibis.<backend>.<name>``.
    """
    match = PUBLIC_MODULE.match(path)
    if match is None or d.kind == "module":
        return None
    parts = d.qualname.split(".")
    if any(p.startswith("_") for p in parts) or len(parts) > 2:
        return None
    if len(parts) == 2 and d.kind != "method":  # nested in a function, or a class in a class
        return None
    folder = match.group("backend")
    if folder is not None and folder not in BACKEND_NAMES:
        return None
    backend = BACKEND_NAMES.get(folder or "")
    if d.kind == "function":
        module = path.removesuffix(".py").removesuffix("/__init__").replace("/", ".")
        if (d.qualname, module) in exports:
            return Subject(f"ibis.{d.qualname}", d.kind, backend)
        if path in CALLED_BY_MODULE:
            return Subject(f"{module}.{d.qualname}", d.kind, backend)
        return None
    if d.qualname in GENERIC:
        return None
    if folder is not None and d.qualname == "Backend.do_connect":
        return Subject(f"ibis.{folder}.connect", "function", backend)
    if folder is not None and parts[0] == "Backend" and decorated(d, "classmethod"):
        return Subject(f"ibis.{folder}.{parts[1]}", "function", backend)
    return Subject(d.qualname, d.kind, backend)


def decorated(d: Definition, name: str) -> bool:
    """True when a decorator of ``d`` is ``name`` (``@classmethod``, ``@util.deprecated(...)``)."""
    decorators = getattr(d.node, "decorator_list", [])
    return any(_last_name(dec) == name for dec in decorators)


def signature(unit: ModuleUnit, d: Definition) -> str | None:
    """The parameters of function or method ``d`` as a caller passes them, defaults as
    written and without annotations or ``self``: ``table_name, /, *, database=None``.

    None for what is not called (a class, a property), for a dispatcher, and for a default
    the lead could not hold (spread over lines, or holding a backtick)."""
    node = d.node
    if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        return None
    decorators = {_last_name(dec) for dec in node.decorator_list}
    if decorators & _NO_SIGNATURE:
        return None
    args = node.args
    positional = [*args.posonlyargs, *args.args]
    defaults = parameter_defaults(args)
    drop = 1 if d.kind == "method" and "staticmethod" not in decorators else 0
    parts: list[str] = []
    for i, a in enumerate(positional):
        if i >= drop:
            parts.append(_parameter(unit, a.arg, defaults.get(a.arg)))
        if args.posonlyargs and a is args.posonlyargs[-1] and i >= drop:
            parts.append("/")
    if args.vararg is not None:
        parts.append(f"*{args.vararg.arg}")
    elif args.kwonlyargs:
        parts.append("*")
    parts += [_parameter(unit, a.arg, defaults.get(a.arg)) for a in args.kwonlyargs]
    if args.kwarg is not None:
        parts.append(f"**{args.kwarg.arg}")
    text = ", ".join(parts)
    return None if "\n" in text or "`" in text else text


def parameter_defaults(args: ast.arguments) -> dict[str, ast.expr]:
    """Parameter name -> its default's expression, for the parameters that have one."""
    positional = [*args.posonlyargs, *args.args]
    names = [a.arg for a in positional][len(positional) - len(args.defaults) :]
    defaults = dict(zip(names, args.defaults, strict=True))
    defaults.update({a.arg: v for a, v in zip(args.kwonlyargs, args.kw_defaults, strict=True) if v})
    return defaults


def _parameter(unit: ModuleUnit, name: str, default: ast.expr | None) -> str:
    return f"{name}={unit.node_text(default)}" if default is not None else name


def _last_name(decorator: ast.expr) -> str:
    """A decorator's last name: ``property``, ``setter`` for ``@x.setter``."""
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    if isinstance(target, ast.Attribute):
        return target.attr
    return target.id if isinstance(target, ast.Name) else ""
