"""Result equality as in Spider's test-suite evaluation.

Results are bags (multisets) of rows, compared in order only when asked (the outermost
query orders). Columns are compared by position; names are ignored. Values are normalised
first: numpy scalars become Python values, pandas ``NA``/``NaT`` become None, pandas
timestamps become ``datetime``, arrays become lists, Arrow maps (lists of pairs) and dicts
become sorted pairs, ``uuid.UUID`` becomes its string.

Equality rules: numbers compare by value across int, float, Decimal and bool, floats with
``math.isclose(rel_tol, abs_tol)``; NaN equals NaN and also NULL (pandas writes NULL floats
as NaN); an aware datetime is compared as naive UTC; a date equals midnight of that day.

Bag comparison first counts canonical row keys in which every non-integral number is
rounded to ``1 + ceil(-log10(rel_tol))`` significant digits (7 for the default), so equal
keys imply values within ``rel_tol``. When the counts differ, results of at most
``GREEDY_LIMIT`` rows are matched greedily with the tolerance, so near-equal floats on
either side of a rounding boundary still match.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pyarrow as pa

from ibert_mine.execution.plain import PLAIN_TYPES, is_nan, plain

__all__ = ["GREEDY_LIMIT", "Result", "same_result"]

GREEDY_LIMIT = 2000
_NULL = ("null",)


@dataclass(frozen=True, slots=True)
class Result:
    """A query result: column names and rows of plain Python values."""

    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]

    @classmethod
    def from_arrow(cls, table: pa.Table | pa.RecordBatch) -> Result:
        """Rows of an Arrow table."""
        cols = [[plain(v) for v in table.column(i).to_pylist()] for i in range(table.num_columns)]
        return cls(tuple(map(str, table.column_names)), tuple(zip(*cols, strict=True)))

    @classmethod
    def from_pandas(cls, df: Any) -> Result:
        """Rows of a pandas DataFrame (NaN, NA and NaT become None); Series and scalars too."""
        import pandas as pd  # heavy: imported on first use

        if not isinstance(df, pd.DataFrame):
            return cls.from_value(df)
        rows = tuple(
            tuple(None if is_nan(x := plain(v)) else x for v in row)
            for row in df.itertuples(index=False, name=None)
        )
        return cls(tuple(map(str, df.columns)), rows)

    @classmethod
    def from_value(cls, value: Any) -> Result:
        """Any result: a table (Arrow, pandas), a column (Series, Arrow array) or a scalar."""
        if isinstance(value, pa.Table | pa.RecordBatch):
            return cls.from_arrow(value)
        if isinstance(value, pa.Array | pa.ChunkedArray):
            return cls.from_arrow(pa.table({"value": value}))
        if type(value).__module__.startswith("pandas"):
            import pandas as pd  # heavy: imported on first use

            if isinstance(value, pd.DataFrame):
                return cls.from_pandas(value)
            if isinstance(value, pd.Series):
                return cls.from_pandas(value.to_frame(name=str(value.name or "value")))
        return cls(("value",), ((plain(value),),))

    @property
    def empty(self) -> bool:
        """True when the result has no rows."""
        return not self.rows

    @property
    def informative(self) -> bool:
        """True when some row holds a value other than NULL, zero, false or ``""``.

        An aggregate over no rows still returns a row (``count(*)`` 0, ``sum`` NULL): two
        such results agree whatever the query, as two empty results do."""
        return any(not _blank(v) for row in self.rows for v in row)


def _blank(value: Any) -> bool:
    """NULL, a zero, false or the empty string."""
    if value is None or isinstance(value, str):
        return not value
    try:
        return bool(value == 0)
    except Exception:  # a value that does not compare with 0
        return False


def _canon(v: Any, digits: int | None, abs_tol: float) -> Any:
    """A hashable canonical form; ``digits`` rounds non-integral numbers (None: exact)."""
    if v is not None and type(v) not in PLAIN_TYPES:
        v = plain(v)
    if v is None or is_nan(v):
        return _NULL
    if isinstance(v, Decimal) and not v.is_finite():
        v = float(v)
    if is_nan(v):
        return _NULL
    if isinstance(v, bool | int | float | Decimal):
        return _canon_number(v, digits, abs_tol)
    if isinstance(v, str):
        return ("s", v)
    if isinstance(v, bytes):
        return ("b", v)
    if isinstance(v, dt.date | dt.time | dt.timedelta):
        return _canon_temporal(v)
    if isinstance(v, dict):
        v = list(v.items())
    if isinstance(v, list | tuple):
        items = [_canon(x, digits, abs_tol) for x in v]
        if v and all(isinstance(x, tuple) for x in v):  # map pairs: order does not matter
            items.sort(key=repr)
        return ("l", tuple(items))
    return ("o", repr(v))


def _canon_number(v: bool | int | float | Decimal, digits: int | None, abs_tol: float) -> tuple:
    """Numbers compare by value: integral ones exactly, others rounded to ``digits``."""
    if isinstance(v, float) and math.isinf(v):
        return ("n", v)
    if v == int(v) and abs(v) < 2**53:
        return ("n", int(v))
    f = float(v)
    if abs(f) <= abs_tol:
        return ("n", 0)
    if digits is not None:
        f = round(f, digits - 1 - math.floor(math.log10(abs(f))))
    return ("n", f)


def _canon_temporal(v: dt.date | dt.time | dt.timedelta) -> tuple:
    """An aware datetime as naive UTC, a date as midnight of that day."""
    if isinstance(v, dt.datetime):
        if v.tzinfo is not None:
            v = v.astimezone(dt.UTC).replace(tzinfo=None)
        return ("t", v)
    if isinstance(v, dt.date):
        return ("t", dt.datetime(v.year, v.month, v.day))
    return ("d", v)


def _close(a: Any, b: Any, rel_tol: float, abs_tol: float) -> bool:
    """Compare two exact canonical forms with float tolerance."""
    if a[0] != b[0]:
        return False
    if a[0] == "n":
        return a[1] == b[1] or math.isclose(a[1], b[1], rel_tol=rel_tol, abs_tol=abs_tol)
    if a[0] == "l":
        return len(a[1]) == len(b[1]) and all(
            _close(x, y, rel_tol, abs_tol) for x, y in zip(a[1], b[1], strict=True)
        )
    return a == b


def _rows_close(a: tuple, b: tuple, rel_tol: float, abs_tol: float | Sequence[float]) -> bool:
    tols = [abs_tol] * len(a) if isinstance(abs_tol, int | float) else abs_tol
    return all(_close(x, y, rel_tol, t) for x, y, t in zip(a, b, tols, strict=True))


def decimal_tolerances(a: Result, b: Result, abs_tol: float) -> list[float]:
    """Per column: half a unit of the coarsest Decimal scale when the sides differ in scale
    (or one side is a float: the SQL's ``avg`` of a decimal is a DOUBLE).

    A DECIMAL(p, 2) result and the same sum computed at scale 4 agree to the cent, not to
    ``rel_tol``: Ibis rounds to the scale its type system gives the column.
    """
    tols = []
    for i in range(len(a.columns)):
        exps = {
            row[i].as_tuple().exponent
            for rows in (a.rows, b.rows)
            for row in rows
            if isinstance(row[i], Decimal) and row[i].is_finite()
        }
        floats = any(isinstance(row[i], float) for rows in (a.rows, b.rows) for row in rows)
        coarse = max(exps) if len(exps) > 1 or (exps and floats) else None
        tols.append(0.5 * 10.0**coarse + 1e-12 if isinstance(coarse, int) else abs_tol)
    return tols


def _show(row: tuple) -> str:
    text = repr(row)
    return text if len(text) <= 120 else text[:117] + "..."


def same_result(
    a: Result,
    b: Result,
    ordered: bool = False,
    rel_tol: float = 1e-6,
    abs_tol: float = 1e-9,
    order_keys: Sequence[int] | None = None,
) -> tuple[bool, str]:
    """Whether ``a`` and ``b`` hold the same rows; ``(True, "")`` or ``(False, reason)``.

    With ``ordered`` and ``order_keys`` (the result columns the query sorts by), rows that
    tie on those keys may come in any order: the bags must be equal and the key columns
    must run in the same order. Without ``order_keys``, ordered means row by row.
    """
    if len(a.columns) != len(b.columns):
        return False, f"column count {len(a.columns)} != {len(b.columns)}"
    if len(a.rows) != len(b.rows):
        return False, f"row count {len(a.rows)} != {len(b.rows)}"
    if ordered and order_keys:
        same, why = same_result(a, b, False, rel_tol, abs_tol)
        if not same:
            return same, why
        names = tuple(a.columns[k] for k in order_keys)
        keys_a = Result(names, tuple(tuple(r[k] for k in order_keys) for r in a.rows))
        keys_b = Result(names, tuple(tuple(r[k] for k in order_keys) for r in b.rows))
        return same_result(keys_a, keys_b, True, rel_tol, abs_tol)
    exact_a = [tuple(_canon(v, None, abs_tol) for v in row) for row in a.rows]
    exact_b = [tuple(_canon(v, None, abs_tol) for v in row) for row in b.rows]
    tols = decimal_tolerances(a, b, abs_tol)
    if ordered:
        for i, (x, y) in enumerate(zip(exact_a, exact_b, strict=True)):
            if not _rows_close(x, y, rel_tol, tols):
                return False, f"rows differ: first mismatch at row {i}: {_show(a.rows[i])} != " + (
                    _show(b.rows[i])
                )
        return True, ""
    digits = 1 + max(0, math.ceil(-math.log10(rel_tol))) if rel_tol > 0 else None
    count_a = Counter(tuple(_canon(v, digits, abs_tol) for v in row) for row in a.rows)
    count_b = Counter(tuple(_canon(v, digits, abs_tol) for v in row) for row in b.rows)
    if count_a == count_b:
        return True, ""
    if len(a.rows) > GREEDY_LIMIT:
        only = next(iter(count_a - count_b))
        return False, f"rows differ: {_show(only)} only in the first result"
    return _greedy(a, exact_a, exact_b, rel_tol, tols)


def _greedy(
    a: Result,
    exact_a: list[tuple],
    exact_b: list[tuple],
    rel_tol: float,
    abs_tol: Sequence[float],
) -> tuple[bool, str]:
    """Match rows of ``a`` to rows of ``b`` in sorted order, first close unmatched row wins."""
    order_a = sorted(range(len(exact_a)), key=lambda i: repr(exact_a[i]))
    left = sorted(exact_b, key=repr)
    for i in order_a:
        for j, candidate in enumerate(left):
            if _rows_close(exact_a[i], candidate, rel_tol, abs_tol):
                del left[j]
                break
        else:
            return False, f"rows differ: first mismatch {_show(a.rows[i])} only in the first result"
    return True, ""
