"""Run a ``qa`` code example in the sandbox worker, as the user would type it.

Each top-level statement runs in turn and the value of each expression statement is
``repr``-ed, as the interactive session that printed the example's output did (an
interactive Ibis expression executes when shown). The example runs under its own time
limit (and one that swallows the deadline's exception is still timed out); every Ibis
option is put back afterwards, so one example does not change what the next one sees.
Modules an example imports stay imported: that is all a worker keeps.
"""

from __future__ import annotations

import ast
import contextlib
import io
import time
from typing import Any

import ibis
from ibis.config import Config

from ibert_mine.execution.limits import DeadlinePassed, deadline, user_error

SECONDS = 5.0  # wall-clock seconds one example may take
ENVIRONMENT_ERRORS = (MemoryError,)  # this machine's limits, not the code's mistakes


def run_example(payload: dict[str, Any]) -> dict[str, Any]:
    """``{"runs": True}``, ``{"runs": False, "error": "Type: message"}``, or ``{"runs": None,
    "why": ...}`` when there is no code or what stopped it is not the code's fault."""
    code = payload.get("code")
    if code is None:
        return {"runs": None, "why": "no_code"}
    saved = _options(ibis.options)
    start = time.monotonic()
    try:
        with deadline(SECONDS), contextlib.redirect_stdout(io.StringIO()):
            _run(code)
    except DeadlinePassed:
        return {"runs": None, "why": "timeout"}
    except (Exception, SystemExit) as exc:  # the code's own error is the result
        if _environment(exc):
            return {"runs": None, "why": type(exc).__name__}
        return {"runs": False, "error": user_error(exc).split("\n", 1)[0][:500]}
    finally:
        _restore(ibis.options, saved)
    if time.monotonic() - start > SECONDS:  # the code caught the deadline and went on
        return {"runs": None, "why": "timeout"}
    return {"runs": True}


def _options(config: Config) -> dict[str, Any]:
    """Every option of ``config``, nested ones as dicts (``ibis.options.sql.default_limit``)."""
    return {
        name: _options(value) if isinstance(value, Config) else value
        for name in config.__argnames__
        if not isinstance(value := getattr(config, name), type)
    }


def _restore(config: Config, saved: dict[str, Any]) -> None:
    for name, value in saved.items():
        if isinstance(value, dict):
            _restore(getattr(config, name), value)
        else:
            setattr(config, name, value)


def _environment(exc: BaseException) -> bool:
    """True when what stopped the code is this machine, not the code: a module that is not
    Ibis's and not installed (a backend's dependency), memory, the network the sandbox
    blocks. A missing ``ibis.*`` module is the code's: Ibis removed it."""
    for cause in (exc, exc.__cause__, exc.__context__):
        if isinstance(cause, ModuleNotFoundError):
            return (cause.name or "").split(".")[0] != "ibis"
        if isinstance(cause, ENVIRONMENT_ERRORS):
            return True
    return isinstance(exc, PermissionError) or "failed to download" in str(exc).lower()


def _run(code: str) -> None:
    namespace: dict[str, Any] = {"__name__": "__example__"}
    for stmt in ast.parse(code).body:
        if isinstance(stmt, ast.Expr):
            value = eval(compile(ast.Expression(stmt.value), "<example>", "eval"), namespace)
            if value is not None:
                repr(value)
        else:
            exec(compile(ast.Module([stmt], []), "<example>", "exec"), namespace)
