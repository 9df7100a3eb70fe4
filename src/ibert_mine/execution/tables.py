"""What a program runs on: its declared tables, a locked-down DuckDB, fixed generated names.

Everything here runs inside a sandbox worker. Ibis and DuckDB are imported inside the
functions: the worker has preloaded them, and the parent process never needs them here.
"""

from __future__ import annotations

import ast
import hashlib
import itertools
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

# DuckDB's own C++ code is not seen by the sandbox's audit hook: close its doors itself.
# One thread: rows that tie under an ORDER BY come out in the same order on every run.
DUCKDB_CONFIG = {
    "threads": 1,
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "temp_directory": "",  # nothing spilled to disk: past its memory a query fails
}


def duckdb_connection() -> Any:
    """An in-memory DuckDB connection that can read no file and load no extension."""
    import ibis  # heavy: imported on first use

    return ibis.duckdb.connect(**DUCKDB_CONFIG)


def raw_duckdb() -> Any:
    """A plain DuckDB connection, as locked down, for running SQL text alone (cheaper to
    open than an Ibis backend); a query past 512 MB fails instead of growing."""
    import duckdb  # heavy: imported on first use

    return duckdb.connect(config={**DUCKDB_CONFIG, "memory_limit": "512MB"})


class ProgramError(Exception):
    """The program does not give an Ibis expression (or its tables cannot be built)."""


class UndeclaredTable(ProgramError):
    """The program reads a table that is not one of its declared tables."""


class TrivialProgram(ProgramError):
    """The program is a bare literal on no table: nothing to translate."""


def table_schemas(tables: list[tuple[str, dict[str, Any]]]) -> dict[str, dict[str, str]]:
    """Column -> Ibis type of each declared table: given, or from evaluating its Ibis call."""
    import ibis  # heavy: imported on first use

    out: dict[str, dict[str, str]] = {}
    for name, spec in tables:
        if spec.get("schema") is not None:
            schema = ibis.schema(dict(spec["schema"]))
        else:
            obj = eval(spec["source"], {"ibis": ibis})  # sandboxed: no I/O, no network
            if not isinstance(obj, ibis.Table):
                raise ProgramError(f"table {name!r} is not an Ibis table")
            schema = obj.schema()
        out[name] = {col: str(dtype) for col, dtype in schema.items()}
    return out


def run_program(code: str, namespace: dict[str, Any]) -> Any:
    """Execute ``code`` and return the value of its last expression."""
    tree = ast.parse(code)
    if not tree.body or not isinstance(tree.body[-1], ast.Expr):
        raise ProgramError("the program does not end with an expression")
    last = ast.Expression(tree.body.pop().value)
    exec(compile(tree, "<program>", "exec"), namespace)
    return eval(compile(last, "<program>", "eval"), namespace)


def run_on_tables(code: str, schemas: dict[str, dict[str, str]]) -> Any:
    """Run ``code`` with ``ibis`` and one unbound table per declared schema; its last value."""
    import ibis  # heavy: imported on first use

    namespace: dict[str, Any] = {"ibis": ibis}
    namespace.update({name: ibis.table(cols, name=name) for name, cols in schemas.items()})
    return run_program(code, namespace)


def undeclared_tables(expr: Any, schemas: dict[str, dict[str, str]]) -> list[str]:
    """Names of the tables ``expr`` reads that are not unbound tables declared in ``schemas``
    (inline memtables, unnamed tables: their SQL names a generated table)."""
    import ibis.expr.operations as ops  # heavy: imported on first use

    return sorted(
        t.name
        for t in expr.op().find(ops.PhysicalTable)
        if not (isinstance(t, ops.UnboundTable) and t.name in schemas)
    )


@contextmanager
def fixed_names(code: str) -> Iterator[None]:
    """Make Ibis's generated names (``ibis_table_unnest_<uuid>``...) a function of ``code``.

    Ibis draws them from ``uuid.uuid4``; while a program runs, that yields UUIDs hashed from
    the program and a counter, so its SQL is the same on every run (and in ``validate``).
    """
    import ibis.util  # heavy: imported on first use

    seed = hashlib.sha256(code.encode()).digest()
    counter = itertools.count()

    def fake_uuid4() -> uuid.UUID:
        raw = hashlib.sha256(seed + next(counter).to_bytes(8, "big")).digest()[:16]
        return uuid.UUID(bytes=raw, version=4)

    saved = uuid.uuid4, ibis.util.uuid4
    uuid.uuid4 = ibis.util.uuid4 = fake_uuid4  # type: ignore[assignment]
    try:
        yield
    finally:
        uuid.uuid4, ibis.util.uuid4 = saved  # type: ignore[assignment]
