"""error_resolution from fix commits: a function at the parent -> the function at the commit.

For each commit of a checkout's history (a ``commit`` unit) whose subject marks a fix
(:mod:`.git_messages`), each function it changes by a few lines (:mod:`.git_functions`)
in a Python source file gives one example:

- ``input.broken_code``: the function at the parent, dedented; ``input.error``: the
  failure the commit names (its subject, cleaned), then the errors its regression tests
  newly expect (``pytest.raises(X, match=...)``);
- ``target.fixed_code``: the function at the commit, dedented; ``target.explanation``: the
  cleaned message (subject and body; ``meta.explained_by`` says whether a body explains
  more than the subject does), then a sentence on the lines the fix changes
  (:mod:`.git_explain`).

Whole commits are skipped, each under its reason: ``revert``, ``not_a_fix``,
``dependency_bump`` (also a ``fix(deps)`` commit that adapts code to the new version),
``docs_only``, ``test_only``, ``no_source_change`` (CI, data),
``huge_diff``, ``deleted_file`` and ``renamed_file`` (a source module went away: the code
moved), ``formatting_only`` (every function it changes keeps its AST; counted once),
``too_many_functions`` and ``no_function_changed``. A function is left out as
``other_backend`` when the subject's scope names another backend than the file's, and
``names_other_code`` when the subject quotes code in backticks and none of the quoted
names is in the function (the commit fixes other code; this one only follows); each
function left out is counted
under its reason (:mod:`.git_functions`). A file whose blob is missing, binary, too large
or not UTF-8 is skipped under the file walk's reason. The examples are ``origin: "git"``:
described by the commit, not executed.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from ibert_mine.core import meta as keys
from ibert_mine.core.config import Config
from ibert_mine.core.example import Example
from ibert_mine.core.meta import MetaKey
from ibert_mine.core.meta import build as build_meta
from ibert_mine.core.reasons import Reason, Reject
from ibert_mine.sources import blobs
from ibert_mine.sources.files import BINARY, ENCODING_ERROR, NOT_UTF8, TOO_LARGE
from ibert_mine.sources.history import Change, CommitUnit
from ibert_mine.tasks.contract import Direct
from ibert_mine.tasks.error_resolution import git_changes, git_explain, git_functions, git_messages
from ibert_mine.tasks.error_resolution.git_functions import FunctionChange

NAME = "error_resolution"
ORIGIN = "git"
MAX_CHANGED_FILES = 40  # a commit touching more files is a sweep, not a fix
MAX_SOURCE_FILES = 8
MAX_FUNCTIONS = 3  # a fix spread over more functions is not one function's fix

REVERT = Reason("revert", "a revert: it undoes a commit rather than fixing code")
NOT_A_FIX = Reason("not_a_fix", "the subject does not mark a fix (fix:, BUG:, Fix ...)")
DEPENDENCY_BUMP = Reason("dependency_bump", "changes dependency pins or lock files only")
DOCS_ONLY = Reason("docs_only", "changes documentation only")
TEST_ONLY = Reason("test_only", "changes tests only (and perhaps docs or data)")
NO_SOURCE_CHANGE = Reason("no_source_change", "changes no Python source (CI, data, snapshots)")
HUGE_DIFF = Reason(
    "huge_diff",
    f"over {MAX_CHANGED_FILES} files or {MAX_SOURCE_FILES} Python source files changed",
)
DELETED_FILE = Reason("deleted_file", "deletes a Python source module: the code moved or went")
RENAMED_FILE = Reason("renamed_file", "renames a Python source module: no same-path parent")
TOO_MANY_FUNCTIONS = Reason("too_many_functions", f"the fix changes over {MAX_FUNCTIONS} functions")
NO_FUNCTION_CHANGED = Reason(
    "no_function_changed", "no function changed by a few lines (module-level code, new code)"
)
OTHER_BACKEND = Reason(
    "other_backend", "the subject's scope names a backend the function does not belong to"
)
NAMES_OTHER_CODE = Reason(
    "names_other_code", "the subject names code (in backticks) that the function does not hold"
)
MISSING_BLOB = blobs.MISSING_BLOB
FORMATTING_ONLY = git_functions.FORMATTING_ONLY
REASONS: tuple[Reason, ...] = (
    REVERT,
    NOT_A_FIX,
    DEPENDENCY_BUMP,
    DOCS_ONLY,
    TEST_ONLY,
    NO_SOURCE_CHANGE,
    HUGE_DIFF,
    DELETED_FILE,
    RENAMED_FILE,
    TOO_MANY_FUNCTIONS,
    NO_FUNCTION_CHANGED,
    NAMES_OTHER_CODE,
    OTHER_BACKEND,
    MISSING_BLOB,
    BINARY,
    NOT_UTF8,
    ENCODING_ERROR,
    TOO_LARGE,
    *git_functions.REASONS,
)

PARENT = MetaKey(
    "parent", "string", "the fix commit's parent (40 hex digits): broken_code is its text"
)
BROKEN_LINES = MetaKey("broken_lines", "lines", "the lines of broken_code in path at parent")
FIXED_LINES = MetaKey("fixed_lines", "lines", "the lines of fixed_code in path at commit")
EXPLAINED_BY = MetaKey(
    "explained_by",
    "string",
    "what target.explanation holds beyond the commit's subject and a sentence on the"
    " lines the fix changes:",
    values=(
        ("body", "the commit message's body explains the fix"),
        ("subject", "nothing: the message is a subject only, repeated from input.error"),
    ),
)
TEST_RAISES = MetaKey(
    "test_raises", "strings", "the errors the fix's regression tests newly expect"
)
OWN_KEYS: tuple[MetaKey, ...] = (PARENT, BROKEN_LINES, FIXED_LINES, EXPLAINED_BY, TEST_RAISES)
META_KEYS: tuple[MetaKey, ...] = (
    keys.PATH,
    keys.REPO,
    keys.COMMIT,  # the fix commit: fixed_code is its text
    PARENT,
    replace(keys.ORIGIN, values=(("git", "a fix commit of a git history (not executed)"),)),
    keys.SYMBOL,  # the function, or Class.method, the fix changes
    BROKEN_LINES,
    FIXED_LINES,
    EXPLAINED_BY,
    TEST_RAISES,
)


def mine(unit: CommitUnit, config: Config) -> Iterator[Example | Reject]:
    """The examples of one commit, or why it gives none."""
    kind = git_messages.kind_of(unit.subject)
    if kind == git_messages.REVERT:
        yield REVERT()
        return
    if kind == git_messages.OTHER:
        yield NOT_A_FIX()
        return
    if kind == git_messages.DEPS:  # fix(deps): the code it changes adapts to the new version
        yield DEPENDENCY_BUMP()
        return
    changes = git_changes.sort_changes(c for c in unit.changes if c.is_file)
    reason = _commit_reason(unit, kind, changes)
    if reason is not None:
        yield reason()
        return
    found, rejects = _functions(unit, changes.source, config)
    if rejects and not found and all(r.reason is FORMATTING_ONLY for r in rejects):
        yield FORMATTING_ONLY()  # the whole commit is formatting: counted once
        return
    yield from rejects
    if not found:
        if not rejects:  # else the rejects say why
            yield NO_FUNCTION_CHANGED()
        return
    if len(found) > MAX_FUNCTIONS:
        yield TOO_MANY_FUNCTIONS()
        return
    # the errors new tests expect belong to the fix when it changes one function
    tests = changes.tests if len(found) == 1 else []
    raises = git_changes.expected_errors(_test_texts(unit, tests, config))
    for path, function in found:
        if git_messages.other_backend(unit.subject, path):
            yield OTHER_BACKEND()
        elif git_messages.names_other_code(unit.subject, function.qualname, _code(function)):
            yield NAMES_OTHER_CODE()
        else:
            yield _example(unit, path, function, raises)


def _functions(
    unit: CommitUnit, source: list[Change], config: Config
) -> tuple[list[tuple[str, FunctionChange]], list[Reject]]:
    """The candidate functions of the commit's source files (with their paths), and the
    rejects of the others."""
    found: list[tuple[str, FunctionChange]] = []
    rejects: list[Reject] = []
    for change in source:
        for item in _file_functions(unit, change, config):
            if isinstance(item, FunctionChange):
                found.append((change.path, item))
            else:
                rejects.append(item)
    return found, rejects


def _code(function: FunctionChange) -> str:
    return function.broken.code + function.fixed.code


def _commit_reason(unit: CommitUnit, kind: str, changes: git_changes.Sorted) -> Reason | None:
    """Why the whole commit gives nothing, judged by its files alone."""
    if len(unit.changes) > MAX_CHANGED_FILES or len(changes.source) > MAX_SOURCE_FILES:
        return HUGE_DIFF
    if not changes.source:
        if changes.deps and not changes.tests:
            return DEPENDENCY_BUMP
        if changes.tests:
            return TEST_ONLY
        if changes.docs and not changes.other:
            return DOCS_ONLY
        return DEPENDENCY_BUMP if kind == git_messages.DEPS else NO_SOURCE_CHANGE
    gone = [c for c in changes.source if c.status == "D"]
    if gone:
        added = {c.path.rsplit("/", 1)[-1] for c in unit.changes if c.status == "A"}
        blobs_added = {c.new_blob for c in unit.changes if c.status == "A"}
        moved = any(c.old_blob in blobs_added or c.path.rsplit("/", 1)[-1] in added for c in gone)
        return RENAMED_FILE if moved else DELETED_FILE
    return None


def _text(unit: CommitUnit, sha: str, path: str, config: Config) -> str | Reject:
    text = blobs.read_text(unit.git_dir, sha, path, config.rules.max_bytes)
    return text() if isinstance(text, Reason) else text


def _file_functions(unit: CommitUnit, change: Change, config: Config) -> Iterator[Any]:
    """The changed functions of one modified source file, or the rejects of its reading."""
    if change.status != "M" or change.old_blob is None or change.new_blob is None:
        return  # added here (nothing broken before it) or changed in type
    old = _text(unit, change.old_blob, change.path, config)
    if isinstance(old, Reject):
        yield old
        return
    new = _text(unit, change.new_blob, change.path, config)
    if isinstance(new, Reject):
        yield new
        return
    yield from git_functions.changed_functions(old, new)


def _test_texts(unit: CommitUnit, tests: list[Change], config: Config) -> Iterator[tuple]:
    """(text at the parent or None, text at the commit) of each test file the commit changed."""
    for change in tests:
        if change.new_blob is None:
            continue
        new = _text(unit, change.new_blob, change.path, config)
        old = None if change.old_blob is None else _text(unit, change.old_blob, change.path, config)
        if isinstance(new, str) and not isinstance(old, Reject):
            yield old, new


def _example(unit: CommitUnit, path: str, f: FunctionChange, raises: list[str]) -> Example:
    body = git_messages.body(unit.message)
    values = {
        "path": path,
        "repo": unit.provenance.repo,
        "commit": unit.sha,
        "parent": unit.parent,
        "origin": ORIGIN,
        "symbol": f.qualname,
        "broken_lines": [f.broken.first, f.broken.last],
        "fixed_lines": [f.fixed.first, f.fixed.last],
        "explained_by": "body" if body else "subject",
        "test_raises": raises or None,
    }
    return Example.create(
        NAME,
        unit.provenance.source,
        {"broken_code": f.broken.code, "error": git_explain.error_text(unit.subject, raises)},
        {"fixed_code": f.fixed.code, "explanation": git_explain.explanation(unit.message, path, f)},
        build_meta(META_KEYS, values),
    )


def provenance(record: Mapping[str, Any], roots: Mapping[str, Path]) -> str | None:
    """'' when both sides are found verbatim at parent and commit (or the record is not from
    git: this check quotes nothing of it), a reason when not, None when the checkout is not
    at hand."""
    meta = record["meta"]
    if meta.get("origin") != ORIGIN:
        return ""
    root = roots.get(record["source"])
    if root is None or not (root / ".git").exists():
        return None
    sides = (
        ("parent", "broken_lines", record["input"]["broken_code"]),
        ("commit", "fixed_lines", record["target"]["fixed_code"]),
    )
    for rev_key, lines_key, code in sides:
        data = blobs.read_blob(root, f"{meta[rev_key]}:{meta['path']}")
        if data is None:
            return f"error_resolution: {meta['path']} not found at {meta[rev_key][:12]}"
        first, last = meta[lines_key]
        lines = data.decode("utf-8", "replace").splitlines(keepends=True)
        if textwrap.dedent("".join(lines[first - 1 : last])) != code:
            return f"error_resolution: {lines_key} differ at {meta[rev_key][:12]}:{meta['path']}"
    return ""


MINER = Direct(consumes=(CommitUnit.KIND,), mine=mine)
