"""Candidate values of one Ibis type for synthetic tables: edge cases first, then random ones.

Magnitudes stay small so that sums and products do not overflow: integers lie within
``±min(1000, isqrt(type max))``, floats within ±1000 with at most two decimals, decimals
below 1000. NaN and infinities are never generated. Types that DuckDB (or Ibis creating a
DuckDB table) cannot hold raise :class:`UnsupportedType`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import random
import re
import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import ibis.expr.datatypes as idt
import pyarrow as pa

INT_LIMIT = 1000
FLOAT_LIMIT = 1000.0

_INTS = (0, 1, -1, 2, 7, -7, 10, 42, 100, -100, 999)
_FLOATS = (0.0, 1.0, -1.5, 0.1, 2.25, 3.14159, -42.75, 100.5, 0.001)
_STRINGS = ("", "ünïcode", "日本", "O'Brien", 'say "hi"', "with space", "Alice", "alice")
_STRINGS += ("NULL", " padded ", "émoji 🎉", "a,b;c")
_WORDS = ("red", "green", "blue", "north", "south", "alpha", "beta", "gamma", "delta", "Zoë")
_DATES = (dt.date(1970, 1, 1), dt.date(2000, 2, 29), dt.date(1999, 12, 31), dt.date(2038, 1, 19))
_STAMPS = "1970-01-01|2000-02-29 12:34:56.789|1999-12-31 23:59:59|2038-01-19 03:14:07|"
_STAMPS += "2024-06-15 08:30:00.5"
_TIMESTAMPS = tuple(map(dt.datetime.fromisoformat, _STAMPS.split("|")))
_TIMES = (dt.time(0, 0), dt.time(23, 59, 59), dt.time(12, 0), dt.time(6, 30, 15, 250000))
_BYTES = (b"", b"\x00", b"\xff\xfe", b"abc", b"hello world")
_JSON = ("{}", "[]", "null", "1", '"text"', '{"a": 1, "b": [1, 2]}', '{"name": "ünï"}')
_INET = ("127.0.0.1", "10.0.0.1", "192.168.1.255", "::1", "2001:db8::1")
_MACADDR = ("00:00:00:00:00:00", "00:1a:2b:3c:4d:5e", "ff:ff:ff:ff:ff:ff")
_UUIDS = ("00000000-0000-0000-0000-000000000000",)
# Interval units Arrow durations can hold: unit -> (Arrow unit, seconds per unit or None).
_DURATION = {u: ("s", n) for u, n in zip("smhDW", (1, 60, 3600, 86400, 604800), strict=True)}
_DURATION |= {"ms": ("ms", None), "us": ("us", None), "ns": ("us", None)}  # DuckDB has no ns
_SIMPLE = (idt.Boolean, idt.Integer, idt.Floating, idt.Decimal, idt.String, idt.Binary)
_TEMPORAL = (idt.Date, idt.Time, idt.Timestamp)
_CAMEL_KEY = re.compile(r"[a-z0-9](Id|ID|Key)$")


class UnsupportedType(ValueError):
    """A column type that cannot be synthesised or loaded into DuckDB (message names it)."""


def stable_hash(*parts: object) -> int:
    """A 64-bit hash of ``parts`` that is the same in every process (unlike ``hash``)."""
    text = "\x1f".join(str(p) for p in parts)
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big")


def rng_for(*parts: object) -> random.Random:
    """A random generator seeded by a stable hash of ``parts``."""
    return random.Random(stable_hash(*parts))


def is_key(column: str) -> bool:
    """True for key-like column names: ``id``, ``*_id``, ``*key``, ``*_key``, ``customerId``,
    and TPC-DS's surrogate keys ``*_sk``."""
    low = column.lower()
    return low == "id" or low.endswith(("_id", "key", "_sk")) or bool(_CAMEL_KEY.search(column))


def arrow_type(t: idt.DataType) -> pa.DataType:
    """The Arrow type used for Ibis type ``t``; raise :class:`UnsupportedType` if none fits."""
    if t.is_interval():
        if t.unit.short not in _DURATION:
            raise UnsupportedType(f"{t}: month-based intervals cannot be loaded through Ibis")
        return pa.duration(_DURATION[t.unit.short][0])
    if t.is_uuid() or t.is_json() or t.is_inet() or t.is_macaddr():
        return pa.string()  # DuckDB casts these strings implicitly where needed
    if t.is_array():
        vt = t.value_type
        return pa.list_(pa.field("item", arrow_type(vt), nullable=vt.nullable))
    if t.is_struct():
        return pa.struct([pa.field(n, arrow_type(f), nullable=f.nullable) for n, f in t.items()])
    if t.is_map():
        vt = t.value_type
        return pa.map_(arrow_type(t.key_type), pa.field("value", arrow_type(vt), vt.nullable))
    if t.is_decimal() and (t.precision or 38) > 38:
        raise UnsupportedType(f"{t}: DuckDB decimals hold at most 38 digits")
    if t.is_null():
        raise UnsupportedType(f"{t}: Ibis cannot create DuckDB tables with NULL-typed columns")
    if t.is_float16():
        raise UnsupportedType(f"{t}: DuckDB cannot load Arrow half floats")
    if not isinstance(t, _SIMPLE + _TEMPORAL):
        raise UnsupportedType(f"{t}: no synthetic data for this type")
    return t.to_pyarrow()


def int_range(t: idt.DataType) -> tuple[int, int]:
    """The integer range synthetic values of ``t`` are drawn from (small, never overflowing)."""
    lower, upper = t.bounds
    lim = min(INT_LIMIT, math.isqrt(upper))
    return max(lower, -lim), lim


def _mix(rng: random.Random, edges: tuple | list, gen: Callable[[], Any], k: int) -> list:
    """About ``k`` distinct values: the first two thirds of them edges, the rest from ``gen``."""
    out = list(edges[: max(1, math.ceil(2 * k / 3))])
    seen = {repr(v) for v in out}
    for _ in range(8 * k):
        if len(out) >= k:
            break
        v = gen()
        if repr(v) not in seen:
            seen.add(repr(v))
            out.append(v)
    return out


def timestamp_value(t: idt.Timestamp, v: dt.datetime) -> dt.datetime:
    """``v`` at the precision and time zone of timestamp type ``t``."""
    keep = 10 ** (6 - min(6, t.scale if t.scale is not None else 6))
    v = v.replace(microsecond=v.microsecond // keep * keep)
    return v.replace(tzinfo=dt.UTC) if t.timezone else v


def candidates(t: idt.DataType, rng: random.Random, k: int) -> list:
    """About ``k`` distinct non-null values of type ``t``, edge cases first."""
    arrow_type(t)  # raise early for unsupported types
    for kind in (_numbers_and_text, _temporal, _encoded):
        found = kind(t, rng, k)
        if found is not None:
            return found
    return _nested(t, rng, k)


def _numbers_and_text(t: idt.DataType, r: random.Random, k: int) -> list | None:
    """Booleans, integers, floats, decimals and strings (None for other types)."""
    if t.is_boolean():
        return [True, False]
    if t.is_integer():
        lo, hi = int_range(t)
        return _mix(r, [v for v in _INTS if lo <= v <= hi], lambda: r.randint(lo, hi), k)
    if t.is_floating():
        return _mix(r, _FLOATS, lambda: round(r.uniform(-FLOAT_LIMIT, FLOAT_LIMIT), 2), k)
    if t.is_decimal():
        p, s = t.precision or 38, t.scale if t.scale is not None else 9
        top = 10 ** min(p, s + 3) - 1  # unscaled bound: integer part below 1000
        units = [0, 10**s, -(10**s), 1, -1, 15 * 10**s // 10, top]
        edges = [Decimal(u).scaleb(-s) for u in units if abs(u) <= top]
        return _mix(r, edges, lambda: Decimal(r.randint(-top, top)).scaleb(-s), k)
    if t.is_string():
        return _mix(r, _STRINGS, lambda: r.choice(_WORDS) + str(r.randint(0, 99)), k)
    return None


def _temporal(t: idt.DataType, r: random.Random, k: int) -> list | None:
    """Dates, timestamps, times and intervals (None for other types)."""
    if t.is_date():
        start = dt.date(1990, 1, 1)
        return _mix(r, _DATES, lambda: start + dt.timedelta(days=r.randint(0, 14600)), k)
    if t.is_timestamp():
        start = dt.datetime(1990, 1, 1)

        def gen_ts() -> dt.datetime:
            micro = r.choice((0, 0, r.randint(0, 999_999)))
            return start + dt.timedelta(seconds=r.randint(0, 14600 * 86400), microseconds=micro)

        return [timestamp_value(t, v) for v in _mix(r, _TIMESTAMPS, gen_ts, k)]
    if t.is_time():
        return _mix(r, _TIMES, lambda: dt.time(r.randint(0, 23), r.randint(0, 59)), k)
    if t.is_interval():
        per = _DURATION[t.unit.short][1]
        tick = {"ms": dt.timedelta(milliseconds=1)}.get(t.unit.short, dt.timedelta(microseconds=1))
        step = dt.timedelta(seconds=per) if per else tick
        return [n * step for n in _mix(r, [0, 1, -1, 2, 90, 3600], lambda: r.randint(-999, 999), k)]
    return None


def _encoded(t: idt.DataType, r: random.Random, k: int) -> list | None:
    """Bytes, and the types stored as text: UUIDs, JSON, IP and MAC addresses."""
    if t.is_binary():
        return _mix(r, _BYTES, lambda: r.randbytes(r.randint(1, 6)), k)
    if t.is_uuid():
        return _mix(r, _UUIDS, lambda: str(uuid.UUID(int=r.getrandbits(128), version=4)), k)
    if t.is_json():
        return _mix(r, _JSON, lambda: json.dumps({r.choice(_WORDS): r.randint(-9, 99)}), k)
    if t.is_inet():
        return _mix(r, _INET, lambda: f"10.{r.randint(0, 255)}.{r.randint(0, 255)}.1", k)
    if t.is_macaddr():
        return _mix(r, _MACADDR, lambda: ":".join(f"{r.randint(0, 255):02x}" for _ in range(6)), k)
    return None


def _nested(t: idt.DataType, r: random.Random, k: int) -> list:
    sub = max(4, k // 2)

    def pick(pool: list, vt: idt.DataType) -> Any:
        return None if vt.nullable and r.random() < 0.1 else r.choice(pool)

    if t.is_array():
        vt = t.value_type
        pool = candidates(vt, r, sub)
        return _mix(r, [[]], lambda: [pick(pool, vt) for _ in range(r.randint(1, 3))], k)
    if t.is_struct():
        pools = {n: (candidates(f, r, sub), f) for n, f in t.items()}
        return _mix(r, [], lambda: {n: pick(p, f) for n, (p, f) in pools.items()}, k)
    if t.is_map():
        keys = list({repr(x): x for x in candidates(t.key_type, r, sub)}.values())
        vt = t.value_type
        vals = candidates(vt, r, sub)

        def gen_map() -> list[tuple[Any, Any]]:
            chosen = r.sample(keys, r.randint(1, min(3, len(keys))))
            return [(key, pick(vals, vt)) for key in chosen]

        return _mix(r, [[]], gen_map, k)
    raise UnsupportedType(f"{t}: no synthetic data for this type")
