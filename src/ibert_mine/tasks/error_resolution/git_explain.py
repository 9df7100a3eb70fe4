"""The texts of a fix-commit example: ``input.error`` and ``target.explanation``.

:func:`error_text` is the failure the subject names and the errors the regression tests
expect; :func:`explanation` is the cleaned message, then what the fix changed.

The commit's message says why; :func:`change_sentence` says what, from the two sides of
the function (so that an explanation whose message is a subject only still says more than
``input.error``): the line it replaces, adds or removes when there is one, else how many.
"""

from __future__ import annotations

import difflib

from ibert_mine.tasks.error_resolution import git_messages
from ibert_mine.tasks.error_resolution.git_functions import FunctionChange

MAX_QUOTED = 90  # characters: a longer line is counted, not quoted


def _code_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _quote(line: str) -> str | None:
    return f"`{line}`" if len(line) <= MAX_QUOTED and "`" not in line else None


def _lines(n: int) -> str:
    return "a line" if n == 1 else f"{n} lines"


def change_sentence(broken: str, fixed: str, symbol: str, path: str) -> str:
    """One sentence on how ``fixed`` differs from ``broken`` (lines compared stripped).

    >>> change_sentence("x = 1\\nreturn x", "x = 2\\nreturn x", "f", "m.py")
    'In `f` (m.py), the fix replaces `x = 1` with `x = 2`.'
    >>> change_sentence("return x", "if x is None:\\n    return 0\\nreturn x", "f", "m.py")
    'In `f` (m.py), the fix adds 2 lines.'
    >>> change_sentence("a()\\nb()\\nc()", "c()", "f", "m.py")
    'In `f` (m.py), the fix removes 2 lines.'
    """
    old, new = _code_lines(broken), _code_lines(fixed)
    removed: list[str] = []
    added: list[str] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(
        None, old, new, autojunk=False
    ).get_opcodes():
        if tag != "equal":
            removed += old[i1:i2]
            added += new[j1:j2]
    where = f"In `{symbol}` ({path}), the fix"
    if len(removed) == 1 and len(added) == 1 and _quote(removed[0]) and _quote(added[0]):
        return f"{where} replaces {_quote(removed[0])} with {_quote(added[0])}."
    if not removed and added:
        one = _quote(added[0]) if len(added) == 1 else None
        return f"{where} adds {one or _lines(len(added))}."
    if removed and not added:
        one = _quote(removed[0]) if len(removed) == 1 else None
        return f"{where} removes {one or _lines(len(removed))}."
    return f"{where} rewrites {_lines(len(removed))} as {_lines(len(added))}."


def error_text(subject: str, raises: list[str]) -> str:
    """The failure as the commit names it, then what its regression tests expect."""
    text = git_messages.subject_text(subject)
    if raises:
        text += "\n\nThe regression test expects: " + "; ".join(raises)
    return text


def explanation(message: str, path: str, function: FunctionChange) -> str:
    """The cleaned message (why), then what the fix changed in the function."""
    what = change_sentence(function.broken.code, function.fixed.code, function.qualname, path)
    return f"{git_messages.clean(message)}\n\n{what}"
