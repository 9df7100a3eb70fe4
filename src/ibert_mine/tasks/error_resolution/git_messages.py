"""Commit messages of fix commits: is it a fix, and what does it say once cleaned.

- :func:`kind_of` sorts a subject: ``fix``, ``revert``, ``deps`` or ``other``. Ibis marks
  fixes with conventional commits (``fix(duckdb): ...``, ``fix!: ...``); older commits say
  ``BUG: ...`` or begin with ``Fix``/``Fixes``/``Fixed``. ``fix(deps)``/``fix(deps-dev)``
  and renovate's ``update dependency`` subjects are dependency bumps.
- :func:`clean` keeps what a reader of the bug needs: the subject without its type (the
  scope stays, ``duckdb: ...``), then the body without trailers (``Co-authored-by:``,
  ``Signed-off-by:``, ...), pull-request and issue numbers (``(#1234)``, ``closes #123``),
  the old merge-bot lines (``Author:``, ``Closes #1 from ... and squashes ...`` and the
  squashed commit list), PR-template headings and check lists, and ``---`` rules.
  ``BREAKING CHANGE:`` footers are kept: they say what behaviour the fix changes.
"""

from __future__ import annotations

import re

_CONVENTIONAL = re.compile(
    r"^(?P<type>[A-Za-z]+)(?:\((?P<scope>[^)]*)\))?(?P<bang>!)?:\s*(?P<text>.*)$"
)
_OLD_FIX = re.compile(
    r"^(?:BUG\b[/\w]*:?\s*|(?:fix|fixes|fixed|fixing)\b[\s:]*)(?P<text>.*)$", re.I
)
_REVERT = re.compile(r'^(?:revert\b|Revert ")', re.I)
_DEPS = re.compile(
    r"\b(?:update|bump|pin|unpin)\b.*\b(?:dependency|dependencies|deps|version)\b", re.I
)
_TRAILER = re.compile(
    r"^(?:co-authored-by|signed-off-by|assisted-by|reviewed-by|acked-by|tested-by|"
    r"reported-by|suggested-by|helped-by|author|release-as|change-id)\s*:",
    re.I,
)
_ISSUE_REFS = re.compile(
    r"\s*\(#\d+\)|\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?|xref|refs?|see)\s*:?\s*"
    r"(?:#\d+|https://github\.com/\S+/(?:issues|pull)/\d+)(?:\s*(?:,|and)\s*#\d+)*\.?",
    re.I,
)
_MERGE_BOT = re.compile(r"^closes #\d+ from \S+ and squashes the following commits:", re.I)
_SQUASHED = re.compile(r"^[0-9a-f]{7,40} \[[^\]]+\] ")
_HEADING = re.compile(r"^#{1,6}\s")
_CHECKBOX = re.compile(r"^\s*[-*]\s*\[[ xX]\]")
_RULE = re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,}|={3,})\s*$")
_DROPPED_SECTIONS = re.compile(r"^#{1,6}\s*(?:issues? closed|checklist|related issues?)\b", re.I)
_BOT_LINE = re.compile(
    r"^\s*[-*]?\s*\[pre-commit\.ci\]|^\s*[-*]\s*(?:fix|feat|chore|test|refactor|docs|style)\b[^:]*:",
    re.I,
)

_QUOTED = re.compile(r"`([^`]+)`")
_NAME = re.compile(r"[A-Za-z_]\w{2,}")

FIX, REVERT, DEPS, OTHER = "fix", "revert", "deps", "other"


def kind_of(subject: str) -> str:
    """``fix``, ``revert``, ``deps`` (a dependency bump) or ``other``."""
    if _REVERT.match(subject):
        return REVERT
    match = _CONVENTIONAL.match(subject)
    if match and not subject.upper().startswith("BUG"):
        kind = match["type"].lower()
        scope = (match["scope"] or "").lower()
        if kind == "revert":
            return REVERT
        if kind != "fix":
            return OTHER
        return DEPS if scope.startswith("deps") or _DEPS.search(match["text"]) else FIX
    if _OLD_FIX.match(subject):
        return DEPS if _DEPS.search(subject) else FIX
    return OTHER


def subject_text(subject: str) -> str:
    """The subject without its type and without issue numbers: ``duckdb: handle nulls``."""
    match = _CONVENTIONAL.match(subject)
    if match and not subject.upper().startswith("BUG"):
        text = match["text"]
        scope = match["scope"]
        text = f"{scope}: {text}" if scope and scope.strip() not in ("", "*") else text
    else:
        old = re.match(r"^BUG\b[/\w]*:\s*(.*)$", subject)
        text = old.group(1) if old else subject
    return _strip_refs(text)


def _strip_refs(text: str) -> str:
    return re.sub(r"\s{2,}", " ", _ISSUE_REFS.sub("", text)).strip(" .;,")


def body(message: str) -> str:
    """The body (the subject left out), cleaned as the module says ('' when nothing is left)."""
    lines = message.split("\n")[1:]
    out: list[str] = []
    dropping = False  # inside a dropped section (issues closed, a check list)
    for line in lines:
        if _MERGE_BOT.match(line.strip()):
            break  # the old merge bot's tail: the squashed commit list follows
        if _HEADING.match(line):
            dropping = bool(_DROPPED_SECTIONS.match(line))
            continue
        if _RULE.match(line) or line.startswith("BREAKING CHANGE"):
            dropping = False  # a rule or a footer ends a dropped section
        if dropping or _TRAILER.match(line.strip()) or _SQUASHED.match(line.strip()):
            continue
        if _CHECKBOX.match(line) or _RULE.match(line) or _BOT_LINE.match(line):
            continue
        cleaned = _ISSUE_REFS.sub("", line).rstrip()
        if line.strip() and not cleaned.strip(" *-.,;:"):
            continue  # a line that only named issues ("Closes #12.")
        out.append(cleaned)
    while out and not out[-1].strip():
        out.pop()
    while out and not out[0].strip():
        out.pop(0)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip()


def clean(message: str) -> str:
    """The whole message, cleaned: the subject's text, a blank line, the cleaned body."""
    subject = subject_text(message.split("\n", 1)[0].strip())
    rest = body(message)
    return f"{subject}\n\n{rest}" if rest else subject


def _norm(text: str) -> str:
    return text.lower().replace("_", "")


def names_other_code(subject: str, qualname: str, code: str) -> bool:
    """True when ``subject`` quotes code in backticks (`` `list_tables` ``) and none of the
    names quoted (3 letters or more) is in the function's name or code, case and
    underscores aside (``GroupConcat`` is in ``execute_group_concat``)."""
    words = {_norm(w) for span in _QUOTED.findall(subject) for w in _NAME.findall(span)}
    if not words:
        return False
    haystack = _norm(f"{qualname}\n{code}")
    return not any(word in haystack for word in words)


# Ibis's backends, as commit scopes name them (``fix(duckdb): ...``)
BACKENDS = frozenset(
    ["athena", "bigquery", "clickhouse", "dask", "databricks", "datafusion", "druid",
     "duckdb", "exasol", "flink", "impala", "materialize", "mssql", "mysql", "oracle",
     "pandas", "polars", "postgres", "pyspark", "risingwave", "singlestoredb", "snowflake",
     "sqlite", "trino"]
)  # fmt: skip
_BACKEND_PATH = re.compile(r"(?:^|/)backends/(\w+)/")


def other_backend(subject: str, path: str) -> bool:
    """True when the subject's scope names backends and the file belongs to another one.

    >>> other_backend("fix(mssql): quote names", "ibis/backends/oracle/compiler.py")
    True
    >>> other_backend("fix(mssql,oracle): quote names", "ibis/backends/oracle/compiler.py")
    False
    """
    match = _CONVENTIONAL.match(subject)
    where = _BACKEND_PATH.search(path)
    if not match or not match["scope"] or not where:
        return False
    named = {w.strip().lower() for w in re.split(r"[,/ ]+", match["scope"])} & BACKENDS
    return bool(named) and where.group(1) not in named
