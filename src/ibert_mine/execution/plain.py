"""Plain Python values of what a query returns: Arrow, pandas and numpy scalars unwrapped."""

from __future__ import annotations

import datetime as dt
import math
import uuid
from decimal import Decimal
from typing import Any

import pyarrow as pa

PLAIN_TYPES = frozenset(
    {str, bytes, bool, int, float, Decimal, dt.date, dt.datetime, dt.time, dt.timedelta}
)


def plain(v: Any) -> Any:
    """A plain Python value for ``v`` (numpy, pandas and Arrow scalars unwrapped)."""
    if v is None or type(v) in PLAIN_TYPES:
        return v
    if isinstance(v, pa.Scalar):
        return plain(v.as_py())
    if isinstance(v, pa.MonthDayNano):  # DuckDB intervals read through Arrow
        if v.months == 0:
            return dt.timedelta(days=v.days, microseconds=v.nanoseconds // 1000)
        return ("interval", v.months, v.days, v.nanoseconds)
    if isinstance(v, dict):
        return {k: plain(x) for k, x in v.items()}
    if isinstance(v, list | tuple):
        return (list if isinstance(v, list) else tuple)(plain(x) for x in v)
    if isinstance(v, bytearray | memoryview):
        return bytes(v)
    if isinstance(v, uuid.UUID):
        return str(v)
    if type(v).__module__.startswith(("pandas", "numpy")):
        return _plain_numpy(v)
    return v


def _plain_numpy(v: Any) -> Any:
    """A plain value for a numpy or pandas scalar (or array); ``v`` itself when none fits."""
    import numpy as np  # only when a result holds numpy or pandas values
    import pandas as pd

    if isinstance(v, np.ndarray):
        return [plain(x) for x in v]
    if v is pd.NaT or v is pd.NA or (isinstance(v, np.generic) and pd.isna(v)):
        return None
    if isinstance(v, np.datetime64):
        v = pd.Timestamp(v)
    elif isinstance(v, np.timedelta64):
        v = pd.Timedelta(v)
    if isinstance(v, pd.Timestamp):
        return v.to_pydatetime(warn=False)
    if isinstance(v, pd.Timedelta):
        return v.to_pytimedelta()
    if isinstance(v, np.generic):
        return plain(v.item())
    return v


def is_nan(v: Any) -> bool:
    """True for a float NaN."""
    return isinstance(v, float) and math.isnan(v)
