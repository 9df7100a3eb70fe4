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

An *aimed* draw (``aim=True``) is made to tell a query from its near misses
(:mod:`ibert_mine.execution.kill`): half of the rows hold the query's literals and their
neighbours (one below and one above, a day before and after; in a shared column, they
are half of its pool), a quarter of each nullable column is NULL, values repeat (ties for
every sort key) and so do whole rows (an eighth more rows: copies of the first), and each
table draws its keys with repeats from a pool of half as many keys as rows, so most keys
match across a join and some do not.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import ibis
import ibis.expr.datatypes as idt
import pyarrow as pa

from ibert_mine.execution.mutants.rules import next_string
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
AIMED_NULL_FRACTION = 0.25

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
        aim: bool = False,
    ):
        self.seed, self.size, self.shared = seed, size, frozenset(shared)
        self._pools: dict[tuple[str, str], list] = {}
        self.aim = aim
        self._aimed_at = list(hints) if aim else []  # an aimed draw: every pool holds them
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
                hinted = hinted_values(t, self._aimed_at, full_range=True)[: self.size // 2]
                drawn = candidates(t, rng, self.size)  # arrays, maps, structs: unhashable
                self._pools[key] = (
                    list(dict.fromkeys(hinted + drawn))[: self.size] if hinted else drawn
                )
        pool = self._pools[key]
        if t.is_integer():
            lo, hi = t.bounds if self.aim else int_range(t)
            pool = [v for v in pool if lo <= v <= hi] or list(range(1, min(hi, self.size) + 1))
        return pool


def _schema(schema: Mapping[str, str] | ibis.Schema) -> ibis.Schema:
    if isinstance(schema, ibis.Schema):
        return schema
    try:
        return ibis.schema(dict(schema))
    except Exception as exc:
        raise UnsupportedType(f"cannot parse schema {dict(schema)!r}: {exc}") from exc


def hinted_values(t: idt.DataType, hints: Sequence[Any], full_range: bool = False) -> list:
    """The hint values (literals of a query) that fit type ``t``, converted to it; integers
    within the small range of :func:`int_range`, or (``full_range``: an aimed draw, whose
    literals must be there, ``int8`` ``a < 20`` too) within the type's bounds."""
    out: list = []
    for value in hints:
        try:
            if t.is_string() and isinstance(value, str):
                out.append(value)
            elif t.is_integer() and isinstance(value, int) and not isinstance(value, bool):
                lo, hi = t.bounds if full_range else int_range(t)
                if lo <= value <= hi:
                    out.append(value)
            elif t.is_floating() and isinstance(value, int | float) and abs(value) < 1e9:
                out.append(float(value))
            elif t.is_decimal() and isinstance(value, int | float) and abs(value) < 1000:
                scale = t.scale if t.scale is not None else 9
                out.append(Decimal(str(value)).quantize(Decimal(1).scaleb(-scale)))
            elif t.is_temporal() and (moment := _temporal_hint(t, value)) is not None:
                out.append(moment)
        except (ValueError, ArithmeticError):
            continue
    return list(dict.fromkeys(out))


def _temporal_hint(t: idt.DataType, value: Any) -> Any:
    """``value`` (an ISO string, a date or a timestamp) as a value of date or timestamp
    type ``t``, or None: a timestamp's neighbours are for timestamp columns only."""
    if t.is_date() and isinstance(value, dt.datetime):
        return None
    if t.is_date() and isinstance(value, str | dt.date):
        return value if isinstance(value, dt.date) else dt.date.fromisoformat(value[:10])
    if t.is_timestamp() and isinstance(value, dt.datetime):
        return timestamp_value(t, value.replace(tzinfo=None))
    if t.is_timestamp() and isinstance(value, dt.date):
        return timestamp_value(t, dt.datetime(value.year, value.month, value.day))
    if t.is_timestamp() and isinstance(value, str):
        return timestamp_value(t, dt.datetime.fromisoformat(value))
    return None


def boundary_hints(hints: Sequence[Any]) -> list[Any]:
    """Each literal with its neighbours, what an off-by-one mutant of the query would
    compare with: a number one below and above; a string itself and the next string
    (:func:`~ibert_mine.execution.mutants.rules.next_string`); an ISO date also as a date a
    day before and after, an ISO timestamp also as a timestamp a second before and after
    (for date and timestamp columns).

    >>> boundary_hints([10, "ab", "1998-09-02"])[:5]
    [9, 10, 11, 'ab', 'ac']
    """
    out: list[Any] = []
    for value in hints:
        if isinstance(value, int | float) and not isinstance(value, bool):
            out += [value - 1, value, value + 1]
            continue
        if not isinstance(value, str):
            out.append(value)
            continue
        out += [value, next_string(value)]
        try:
            day = dt.date.fromisoformat(value[:10])
        except ValueError:
            continue
        out += [day + dt.timedelta(days=d) for d in (-1, 0, 1)]
        try:
            moment = dt.datetime.fromisoformat(value) if len(value) > 10 else None
        except ValueError:
            moment = None
        if moment is not None:
            out += [moment + dt.timedelta(seconds=s) for s in (-1, 0, 1)]
    return list(dict.fromkeys(out))


def synthetic_table(
    schema: Mapping[str, str] | ibis.Schema,
    seed: int = 0,
    rows: int = 24,
    pools: KeyPools | None = None,
    *,
    name: str = "",
    hints: Sequence[Any] = (),
    aim: bool = False,
) -> pa.Table:
    """Deterministic rows for ``schema``; ``name`` (the table's) varies non-shared columns.

    ``hints`` (literals of the query that will run, as in Spider's test-suite databases)
    are put among the values of the columns whose type they fit, so that filters match.
    ``aim`` makes the draw aimed (see the module's doc).
    """
    sch = _schema(schema)
    pools = pools if pools is not None else KeyPools(seed)
    share = 2 if aim else 3  # the hinted rows: half of an aimed draw, a third of another
    fields, arrays = [], []
    for col, t in sch.items():
        atype = arrow_type(t)
        rng = rng_for(seed, name, col, t, "aim") if aim else rng_for(seed, name, col, t)
        cands = pools.values(col, t) or candidates(t, rng, max(2, rows // 2))
        pooled = pools.pool_key(col, t) is not None
        hinted = hinted_values(t, hints, full_range=aim) if hints and (aim or not pooled) else []
        if pooled:  # an aimed draw: each literal of the pool once, then drawn as any key
            hinted = [v for v in hinted if v in cands]
        elif hinted:  # each of the query's literals several times
            hinted = (hinted * max(1, (rows // share) // len(hinted)))[: rows // share]
        fraction = AIMED_NULL_FRACTION if aim else NULL_FRACTION
        n_null = max(1, round(rows * fraction)) if t.nullable and rows >= 2 else 0
        n = rows - n_null
        if aim:  # drawn with repeats: ties, and keys only some tables hold
            vals = hinted[:n] + [rng.choice(cands) for _ in range(n - len(hinted[:n]))]
        else:
            cands = hinted + cands
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
    aim: bool = False,
) -> dict[str, pa.Table]:
    """Tables for ``{name: {"schema": {col: type}}}`` (or ``{name: {col: type}}``).

    Key-like columns and columns sharing a name across tables draw from shared pools.
    ``aim`` makes the draw aimed at the query whose literals are ``hints``.
    """
    schemas = {n: _schema(spec.get("schema", spec)) for n, spec in tables.items()}
    counts: dict[str, int] = {}
    for sch in schemas.values():
        for col in sch.names:
            counts[col] = counts.get(col, 0) + 1
    shared = frozenset(c for c, n in counts.items() if n > 1)
    if aim:
        hints = boundary_hints(hints)
        pools = KeyPools(seed, size=max(12, rows // 2), shared=shared, hints=hints, aim=True)
    else:
        pools = KeyPools(seed, shared=shared, hints=hints)
    tables = {
        n: synthetic_table(s, seed, rows, pools, name=n, hints=hints, aim=aim)
        for n, s in schemas.items()
    }
    if aim:  # whole rows repeated: count(*) and count(distinct) differ, as a distinct does
        repeat = max(1, rows // 8)
        tables = {n: pa.concat_tables([t, t.slice(0, repeat)]) for n, t in tables.items()}
    return tables


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
