"""Deterministic synthetic tables for an Ibis schema.

Rows are a pure function of (schema, seed, rows, table name): the same inputs give
byte-identical Arrow tables. Values cover the edge cases of Spider's test-suite
evaluation: NULLs (12.5% of the rows of nullable columns), duplicates (each column draws
``rows`` values from about ``rows / 2`` candidates), zero and negatives, empty and
non-ASCII strings, leap days and epoch edges, empty arrays and maps.

Values of each type come from :mod:`ibert_mine.execution.values` (small magnitudes, no
NaN or infinities).

Columns that look like keys (``id``, ``*_id``, ``*key``, ``customerId``) and columns that
share a name across the tables of one call draw from shared :class:`KeyPools`, so joins
return rows. Types that DuckDB (or Ibis creating a DuckDB table) cannot hold raise
:class:`UnsupportedType`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import ibis
import ibis.expr.datatypes as idt
import pyarrow as pa

from ibert_mine.execution.values import (
    UnsupportedType,
    arrow_type,
    candidates,
    int_range,
    is_key,
    rng_for,
    stable_hash,
    timestamp_value,
)

NULL_FRACTION = 0.125

__all__ = [
    "KeyPools",
    "UnsupportedType",
    "is_key",
    "load_into",
    "stable_hash",
    "synthetic_table",
    "synthetic_tables",
]


class KeyPools:
    """Shared value pools, so key-like and same-named columns of different tables overlap.

    A pool is keyed by (normalised column name, type): every key-like column of an integer
    type shares the ``("<key>", "integer")`` pool; other shared columns are keyed by their
    own name and type. Pools are a pure function of (seed, key), so tables built one at a
    time with the same seed overlap too.
    """

    def __init__(
        self,
        seed: int = 0,
        size: int = 12,
        shared: frozenset[str] = frozenset(),
        hints: Sequence[Any] = (),
    ):
        self.seed, self.size, self.shared = seed, size, frozenset(shared)
        self._pools: dict[tuple[str, str], list] = {}
        # the query's positive integers join the integer key pool (``i_manufact_id = 128``)
        self._hinted = [
            h for h in hints if isinstance(h, int) and not isinstance(h, bool) and 0 < h < 2**31
        ][: size // 2]

    def pool_key(self, column: str, t: idt.DataType) -> tuple[str, str] | None:
        """The pool a column draws from, or None when it has its own values."""
        if is_key(column):
            return ("<key>", "integer" if t.is_integer() else str(t.copy(nullable=True)))
        if column in self.shared:
            return (column, str(t.copy(nullable=True)))
        return None

    def values(self, column: str, t: idt.DataType) -> list | None:
        """The pool values usable by column ``column`` of type ``t`` (None: not pooled)."""
        key = self.pool_key(column, t)
        if key is None:
            return None
        if key not in self._pools:
            rng = rng_for(self.seed, "pool", *key)
            if key[1] == "integer":
                drawn = rng.sample(range(1, 3 * self.size + 1), self.size)
                self._pools[key] = list(dict.fromkeys(self._hinted + drawn))[: self.size]
            else:
                self._pools[key] = candidates(t, rng, self.size)
        pool = self._pools[key]
        if t.is_integer():
            lo, hi = int_range(t)
            pool = [v for v in pool if lo <= v <= hi] or list(range(1, min(hi, self.size) + 1))
        return pool


def _schema(schema: Mapping[str, str] | ibis.Schema) -> ibis.Schema:
    if isinstance(schema, ibis.Schema):
        return schema
    try:
        return ibis.schema(dict(schema))
    except Exception as exc:
        raise UnsupportedType(f"cannot parse schema {dict(schema)!r}: {exc}") from exc


def hinted_values(t: idt.DataType, hints: Sequence[Any]) -> list:
    """The hint values (literals of a query) that fit type ``t``, converted to it."""
    out: list = []
    for value in hints:
        try:
            if t.is_string() and isinstance(value, str):
                out.append(value)
            elif t.is_integer() and isinstance(value, int) and not isinstance(value, bool):
                lo, hi = int_range(t)
                if lo <= value <= hi:
                    out.append(value)
            elif t.is_floating() and isinstance(value, int | float) and abs(value) < 1e9:
                out.append(float(value))
            elif t.is_decimal() and isinstance(value, int | float) and abs(value) < 1000:
                scale = t.scale if t.scale is not None else 9
                out.append(Decimal(str(value)).quantize(Decimal(1).scaleb(-scale)))
            elif t.is_date() and isinstance(value, str):
                out.append(dt.date.fromisoformat(value[:10]))
            elif t.is_timestamp() and isinstance(value, str):
                out.append(timestamp_value(t, dt.datetime.fromisoformat(value)))
        except (ValueError, ArithmeticError):
            continue
    return list(dict.fromkeys(out))


def synthetic_table(
    schema: Mapping[str, str] | ibis.Schema,
    seed: int = 0,
    rows: int = 24,
    pools: KeyPools | None = None,
    *,
    name: str = "",
    hints: Sequence[Any] = (),
) -> pa.Table:
    """Deterministic rows for ``schema``; ``name`` (the table's) varies non-shared columns.

    ``hints`` (literals of the query that will run, as in Spider's test-suite databases)
    are put among the values of the columns whose type they fit, so that filters match.
    """
    sch = _schema(schema)
    pools = pools if pools is not None else KeyPools(seed)
    fields, arrays = [], []
    for col, t in sch.items():
        atype = arrow_type(t)
        rng = rng_for(seed, name, col, t)
        cands = pools.values(col, t) or candidates(t, rng, max(2, rows // 2))
        if hints and pools.pool_key(col, t) is None and (hinted := hinted_values(t, hints)):
            # about a third of the rows take the query's literals, each one several times
            cands = (hinted * max(1, (rows // 3) // len(hinted)))[: rows // 3] + cands
        n_null = max(1, round(rows * NULL_FRACTION)) if t.nullable and rows >= 2 else 0
        n = rows - n_null
        vals = cands[:n] + [rng.choice(cands) for _ in range(n - len(cands[:n]))]
        rng.shuffle(vals)
        for pos in sorted(rng.sample(range(rows), n_null)):
            vals.insert(pos, None)
        fields.append(pa.field(col, atype, nullable=t.nullable))
        arrays.append(pa.array(vals, type=atype))
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields))


def synthetic_tables(
    tables: Mapping[str, Mapping[str, Any]],
    seed: int = 0,
    rows: int = 24,
    hints: Sequence[Any] = (),
) -> dict[str, pa.Table]:
    """Tables for ``{name: {"schema": {col: type}}}`` (or ``{name: {col: type}}``).

    Key-like columns and columns sharing a name across tables draw from shared pools.
    """
    schemas = {n: _schema(spec.get("schema", spec)) for n, spec in tables.items()}
    counts: dict[str, int] = {}
    for sch in schemas.values():
        for col in sch.names:
            counts[col] = counts.get(col, 0) + 1
    pools = KeyPools(seed, shared=frozenset(c for c, n in counts.items() if n > 1), hints=hints)
    return {
        n: synthetic_table(s, seed, rows, pools, name=n, hints=hints) for n, s in schemas.items()
    }


def load_into(con: Any, tables: Mapping[str, pa.Table]) -> None:
    """Create ``tables`` in an Ibis DuckDB backend, or register them on a raw duckdb connection.

    Ibis goes through ``ibis.memtable``: ``create_table(name, pa_table)`` trips on
    sqlglot >= 30 (it renders ``DROP VIEW IF EXISTS`` without a name).
    """
    for name, table in tables.items():
        if hasattr(con, "create_table"):
            con.create_table(name, ibis.memtable(table))
        else:
            con.register(name, table)
