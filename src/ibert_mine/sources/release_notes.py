"""Renamed and removed names, as a checkout's release notes record them.

Ibis's ``docs/release_notes*.qmd`` list every release's breaking changes and deprecations
under a ``## [version]`` heading. :func:`renames` reads the entries that name an old name
and the current one to use instead::

    * **api:** `String.to_date` is removed in favor of `String.as_date`.
    * **api:** `ibis.case()` is removed. Use `ibis.cases()` instead.
    * **api:** deprecate `Table.relabel` in favor of `Table.rename` (...)

of the API users call (the ``**api:**`` scope and its kin, or a name of a user-facing
class such as ``Table.``, ``String.`` or ``ibis.``) into ``(old, new, since, module)``
with the bare names (``to_date``, ``as_date``), the release, and ``"ibis"`` when the names
are top-level functions (``ibis.case``), else "".
The same old name keeps its first (newest) entry. :func:`renames_of` reads every release
notes file of a source's folder.
"""

from __future__ import annotations

import re
from pathlib import Path

_HEADING = re.compile(r"^#{1,3}\s*\[?v?(\d+\.\d+(?:\.\d+)?)\]?")
_NAME = r"`(?P<{0}>[A-Za-z_][\w.]*)(?:\(\))?`"
_AFTER = re.compile(  # `old` is removed in favor of `new` / `old` is removed. Use `new` instead
    _NAME.format("old")
    + r"(?:\s+(?:method|function|property))?\s+(?:is|has been|was)\s+"
    + r"(?:removed|deprecated|renamed)[.;,]?\s+(?:in favor of|[Uu]se|to)\s+"
    + _NAME.format("new"),
)
_BEFORE = re.compile(  # deprecate / remove / rename `old` in favor of / to `new`
    r"\b(?:[Dd]eprecate|[Rr]emove|[Rr]ename)[ds]?\s+(?:the\s+)?(?:deprecated\s+)?"
    + r"(?:top-level\s+)?"
    + _NAME.format("old")
    + r"(?:\s+(?:method|function|alias))?\s+(?:in favor of|to)\s+(?:the\s+\w+\s+)?"
    + _NAME.format("new"),
)
MAX_BYTES = 4 << 20
_SCOPE = re.compile(r"\*\*([\w, -]+):\*\*")
# entries of these scopes are about the API users call; other scopes (a backend, the IR,
# the compiler) rename internals
USER_SCOPES = frozenset({"api", "expr-api", "value", "selectors", "strings", "temporal"})
# an old name qualified by one of these (or by ``ibis.``) is user API whatever the scope
USER_CLASSES = frozenset(
    ["Table", "Value", "Column", "Scalar", "String", "StringValue", "IntegerValue",
     "NumericValue", "FloatingValue", "TimestampValue", "DateValue", "TimeValue",
     "IntervalValue", "Struct", "StructValue", "ArrayValue", "MapValue", "BooleanValue",
     "GroupedTable", "Deferred"]
)  # fmt: skip


def renames(text: str) -> list[tuple[str, str, str, str]]:
    """The ``(old, new, since, module)`` entries of one release notes text, newest first.

    >>> renames("## [11.0.0](x)\\n* **api:** `ibis.case()` is removed. Use `ibis.cases()`"
    ...         " instead.\\n## 9.1.0\\n* deprecate `Table.relabel` in favor of `Table.rename`"
    ...         "\\n* **ir:** rename `ops.Where` to `ops.IfElse`")
    [('case', 'cases', '11.0.0', 'ibis'), ('relabel', 'rename', '9.1.0', '')]
    """
    found: dict[str, tuple[str, str, str, str]] = {}
    since = None
    for line in text.splitlines():
        heading = _HEADING.match(line)
        if heading:
            since = heading.group(1)
            continue
        if since is None or not line.lstrip().startswith(("*", "-")):
            continue
        scope = _SCOPE.search(line)
        user_scope = scope is not None and scope.group(1).strip() in USER_SCOPES
        for pattern in (_AFTER, _BEFORE):
            for match in pattern.finditer(line):
                old = match.group("old")
                qualifier, _, rest = old.partition(".")
                top_level = qualifier == "ibis" and "." not in rest  # ibis.case, not ibis.x.y
                if not (user_scope or qualifier in USER_CLASSES or top_level):
                    continue
                entry = _entry(old, match.group("new"), since)
                if entry and entry[0] not in found:
                    found[entry[0]] = entry
    return list(found.values())


def _entry(old: str, new: str, since: str) -> tuple[str, str, str, str] | None:
    module = "ibis" if old.startswith("ibis.") or new.startswith("ibis.") else ""
    old_name, new_name = old.rsplit(".", 1)[-1], new.rsplit(".", 1)[-1]
    if old_name == new_name or old_name.startswith("_") or new_name.startswith("_"):
        return None
    return old_name, new_name, since, module


def renames_of(base: Path) -> list[tuple[str, str, str, str]]:
    """The entries of every ``docs/release_notes*.qmd`` of the folder ``base``, in file
    order (the first entry of an old name wins); none when there is no such file."""
    found: dict[str, tuple[str, str, str, str]] = {}
    for path in sorted((base / "docs").glob("release_notes*.qmd")):
        try:
            if path.stat().st_size > MAX_BYTES:
                continue
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        for entry in renames(text):
            found.setdefault(entry[0], entry)
    return list(found.values())
