"""Run a ``qa`` code example in the sandbox worker, as the user would type it.

Each top-level statement runs in turn and the value of each expression statement is
``repr``-ed, as the interactive session that printed the example's output did (an
interactive Ibis expression executes when shown). The example runs under its own time
limit; Ibis's options and default backend are put back afterwards, so one example never
changes the next.
"""

from __future__ import annotations

import ast
import contextlib
import io
from typing import Any

import ibis

from ibert_mine.execution.mistakes.run import DeadlinePassed, deadline, user_error

SECONDS = 5.0  # wall-clock seconds one example may take
# not the code's fault: what this machine lacks, not what the code gets wrong
ENVIRONMENT_ERRORS = (ModuleNotFoundError, MemoryError, RecursionError)
OPTIONS = ("interactive", "verbose", "default_backend")


def run_example(payload: dict[str, Any]) -> dict[str, Any]:
    """``{"runs": True}``, ``{"runs": False, "error": "Type: message"}``, or ``{"runs": None,
    "why": ...}`` when there is no code or what stopped it is not the code's fault."""
    code = payload.get("code")
    if code is None:
        return {"runs": None, "why": "no_code"}
    saved = {name: getattr(ibis.options, name) for name in OPTIONS}
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
        for name, value in saved.items():
            setattr(ibis.options, name, value)
    return {"runs": True}


def _environment(exc: BaseException) -> bool:
    """True when what stopped the code is this machine, not the code: a module (or a
    backend's dependency) not installed, memory, the network the sandbox blocks."""
    causes = [exc, exc.__cause__, exc.__context__]
    if any(isinstance(c, ENVIRONMENT_ERRORS) for c in causes):
        return True
    message = str(exc).lower()
    return isinstance(exc, PermissionError) or "failed to download" in message


def _run(code: str) -> None:
    namespace: dict[str, Any] = {"__name__": "__example__"}
    for stmt in ast.parse(code).body:
        if isinstance(stmt, ast.Expr):
            value = eval(compile(ast.Expression(stmt.value), "<example>", "eval"), namespace)
            if value is not None:
                repr(value)
        else:
            exec(compile(ast.Module([stmt], []), "<example>", "exec"), namespace)
