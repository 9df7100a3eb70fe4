"""Limits inside a sandbox worker: a wall-clock deadline for one piece of code, and the
error a user sees when it fails.

The sandbox bounds a whole job (time, memory, no network); a job that runs many small
programs (a verified program's mistakes, a qa code example) bounds each of them here, so
one slow program costs its own result, not the job's.
"""

from __future__ import annotations

import re
import signal
from collections.abc import Iterator
from contextlib import contextmanager

_ADDRESS = re.compile(r" object at 0x[0-9a-fA-F]+")
_PATH = re.compile(r"(?:/[\w.+-]+)+/(?=[\w.+-]+\.py\b)")


class DeadlinePassed(BaseException):
    """Code ran past its own time limit (not an ``Exception``: no ``except Exception`` in
    the code it runs can swallow it)."""


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Raise :class:`DeadlinePassed` in the block once ``seconds`` of wall-clock time pass."""

    def expire(signum: int, frame: object) -> None:
        raise DeadlinePassed

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def user_error(exc: BaseException) -> str:
    """``Type: message`` as a user sees it, without memory addresses or machine paths.

    >>> user_error(ValueError("<Foo object at 0x7f3c19> in /home/me/lib/ibis/expr.py"))
    'ValueError: <Foo object> in expr.py'
    """
    message = _PATH.sub("", _ADDRESS.sub(" object", str(exc))).rstrip()
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__
