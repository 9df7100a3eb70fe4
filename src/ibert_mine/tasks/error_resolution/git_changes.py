"""What a commit's changed files are: source, tests, docs, dependency files; and the errors
its regression tests expect (``pytest.raises(X, match=...)`` added by the commit)."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from ibert_mine.sources.history import Change

_DOC_SUFFIXES = {".md", ".qmd", ".rst", ".ipynb", ".txt", ".png", ".svg", ".jpg", ".gif"}
_DOC_DIRS = {"docs", "doc", "examples"}
_DEPS = re.compile(
    r"^(?:pyproject\.toml|poetry\.lock|uv\.lock|pdm\.lock|setup\.cfg|setup\.py|Pipfile(?:\.lock)?"
    r"|requirements[\w.-]*\.txt|environment[\w.-]*\.ya?ml|flake\.(?:nix|lock)|.*\.nix|"
    r"renovate\.json5?|conda-lock\.yml|.*-lock\.ya?ml)$"
)
_RAISES = re.compile(r"(?:\bpytest\.|(?<![\w.]))raises\(")
MAX_RAISES = 3  # expected errors quoted from the regression tests


def is_test(path: str) -> bool:
    """A test module, a test folder's file or a ``conftest.py``."""
    p = PurePosixPath(path)
    return (
        any(part in {"tests", "test", "testing"} for part in p.parts[:-1])
        or p.name.startswith("test_")
        or p.name.endswith("_test.py")
        or p.name == "conftest.py"
    )


def is_docs(path: str) -> bool:
    """A documentation page, image or notebook, or any file under ``docs/``."""
    p = PurePosixPath(path)
    return (
        p.parts[0] in _DOC_DIRS or p.suffix.lower() in _DOC_SUFFIXES or p.name.startswith("README")
    )


def is_deps(path: str) -> bool:
    """A file that pins dependencies (``pyproject.toml``, lock files, requirements, nix)."""
    p = PurePosixPath(path)
    return bool(_DEPS.match(p.name)) or p.parts[0] in {"nix", "conda"}


@dataclass(slots=True)
class Sorted:
    """A commit's changes by what they are."""

    source: list[Change] = field(default_factory=list)  # Python, neither test nor docs
    tests: list[Change] = field(default_factory=list)  # Python tests
    docs: list[Change] = field(default_factory=list)
    deps: list[Change] = field(default_factory=list)
    other: list[Change] = field(default_factory=list)  # CI, SQL snapshots, data, ...


def sort_changes(changes: Iterable[Change]) -> Sorted:
    """Each change in its group (a Python file under ``docs/`` is docs)."""
    out = Sorted()
    for change in changes:
        python = change.path.endswith(".py")
        if python and is_test(change.path):
            out.tests.append(change)
        elif is_docs(change.path):
            out.docs.append(change)
        elif python and change.path != "setup.py":
            out.source.append(change)
        elif is_deps(change.path):
            out.deps.append(change)
        else:
            out.other.append(change)
    return out


def _type(described: str) -> str:
    return described.split(" matching ", 1)[0]


def _raises_calls(text: str) -> list[str]:
    """The source of each ``raises(...)`` call that begins on a line of ``text``."""
    found: list[str] = []
    for match in _RAISES.finditer(text):
        tail = text[match.start() : match.start() + 2000]
        for end in (m.end() for m in re.finditer(r"\)", tail)):
            try:
                node = ast.parse(tail[:end].strip(), mode="eval").body
            except SyntaxError:
                continue
            if isinstance(node, ast.Call):
                found.append(_describe(node))
            break
    return [f for f in found if f]


def _describe(node: ast.Call) -> str:
    """``X`` or ``X matching '...'`` for a ``raises(X, match=...)`` call."""
    if not node.args:
        return ""
    text = ast.unparse(node.args[0])
    for keyword in node.keywords:
        if keyword.arg == "match" and isinstance(keyword.value, ast.Constant):
            text += f" matching {keyword.value.value!r}"
    return text


def expected_errors(pairs: Iterable[tuple[str | None, str]]) -> list[str]:
    """The errors the tests expect that they did not expect before the commit: each pair is
    a test file's text at the parent (None when added) and at the commit."""
    out: list[str] = []
    for old, new in pairs:
        if "raises(" not in new:
            continue
        # an exception type the tests expected before is no new expectation, even when
        # its ``match=`` changed
        before = {_type(e) for e in _raises_calls(old)} if old is not None else set()
        out += [
            e for e in dict.fromkeys(_raises_calls(new)) if _type(e) not in before and e not in out
        ]
    return out[:MAX_RAISES]
