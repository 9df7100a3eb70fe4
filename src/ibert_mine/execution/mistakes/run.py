"""Run broken programs in the sandbox worker: keep those that fail, with the user's error.

:func:`run_mistakes` builds each candidate of a verified program on the program's tables
and compiles it to DuckDB SQL, each under its own time limit. A candidate that builds and
compiles is no mistake (Ibis accepts it) and is counted, as are those that run past the
limit or exhaust memory. The error of one that fails is what the user sees
(:func:`user_error`): the exception's type and full message, with memory addresses and
machine paths taken out. ``validate --execute`` re-runs records with
:func:`~ibert_mine.execution.verify.check_mistakes`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from ibert_mine.execution.limits import DeadlinePassed, deadline, user_error
from ibert_mine.execution.mistakes import candidates
from ibert_mine.execution.mistakes.migrations import BUILT_IN, Migration
from ibert_mine.execution.tables import fixed_names, run_on_tables

SECONDS = 2.0  # wall-clock seconds one broken program may take to build and compile
MAX_ERROR = 4000  # characters: a longer message is not something to learn from


def try_program(code: str, schemas: Mapping[str, Mapping[str, str]]) -> BaseException | None:
    """Build ``code`` on the tables and compile it to DuckDB SQL; the exception it raises,
    or None when it works."""
    import ibis  # heavy: imported on first use

    try:
        with fixed_names(code):
            expr = run_on_tables(code, {k: dict(v) for k, v in schemas.items()})
            if isinstance(expr, ibis.Expr):
                ibis.to_sql(expr, dialect="duckdb")
    except Exception as exc:  # the mistake's own error: what the user sees
        return exc
    return None


def broken_error(code: str, schemas: Mapping[str, Mapping[str, str]]) -> str | None:
    """The error ``code`` raises as the user sees it (None when it builds), under the time
    limit of one broken program (``DeadlinePassed`` past it)."""
    with deadline(SECONDS):
        exc = try_program(code, schemas)
    return None if exc is None else user_error(exc)


def run_mistakes(
    code: str,
    schemas: Mapping[str, Mapping[str, str]],
    migrations: tuple[Migration, ...] = BUILT_IN,
) -> dict[str, Any]:
    """The broken programs of ``code`` that fail, with their errors; and how many of the
    others were dropped, by reason (``builds``, ``timeout``, ``memory``, ``long_error``,
    ``other_error``)."""
    kept: list[dict[str, Any]] = []
    dropped: Counter[str] = Counter()
    for candidate in candidates(code, schemas, migrations):
        try:
            with deadline(SECONDS):
                exc = try_program(candidate.code, schemas)
        except DeadlinePassed:
            dropped["timeout"] += 1
            continue
        # try_program returns the program's MemoryError or RecursionError like any other
        if exc is None or isinstance(exc, MemoryError | RecursionError):
            dropped["builds" if exc is None else "memory"] += 1
            continue
        error = user_error(exc)
        if len(error) > MAX_ERROR:
            dropped["long_error"] += 1
            continue
        if candidate.expect not in error:  # it fails, but not as the explanation says
            dropped["other_error"] += 1
            continue
        kept.append(
            {
                "kind": candidate.kind,
                "code": candidate.code,
                "error": error,
                "error_type": type(exc).__name__,
                "explanation": candidate.explanation.replace("{error_type}", type(exc).__name__),
                "since": candidate.since,
            }
        )
    return {"kept": kept, "dropped": dict(sorted(dropped.items()))}
