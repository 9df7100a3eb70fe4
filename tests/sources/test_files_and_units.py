"""Sources: walking folders, reading text, parsing modules, resolving --source."""

from __future__ import annotations

from pathlib import Path

import pytest

from ibert_mine.sources import files
from ibert_mine.sources.provenance import Provenance
from ibert_mine.sources.python import SYNTAX_ERROR, doctest_examples, parse_module
from ibert_mine.sources.resolve import SourceError, resolve
from tests.conftest import MODULE_DOC, git


def _walk(root: Path, rules: files.WalkRules | None = None) -> list[str | files.Skip]:
    return list(files.walk(root, rules or files.WalkRules()))


def test_walk_skips_cache_folders_and_reports_broken_symlinks(fixture_package: Path) -> None:
    found = _walk(fixture_package)
    paths = [p for p in found if isinstance(p, str)]
    assert paths == sorted(paths)
    assert "__pycache__/cached.py" not in paths
    assert files.Skip("dangling.py", files.BROKEN_SYMLINK) in found


def test_include_and_exclude_rules(fixture_package: Path) -> None:
    rules = files.WalkRules(include=("*.py",), exclude=("huge.py", "bin*"))
    paths = [p for p in _walk(fixture_package, rules) if isinstance(p, str)]
    assert "huge.py" not in paths and "binary.py" not in paths and "helpers.py" in paths


@pytest.mark.parametrize(
    ("name", "reason"),
    [("huge.py", files.TOO_LARGE), ("binary.py", files.BINARY), ("latin1.py", files.NOT_UTF8)],
)
def test_unreadable_files_are_skipped_with_reason(
    fixture_package: Path, name: str, reason: str
) -> None:
    assert files.read_text(fixture_package, name) == files.Skip(name, reason)


def test_syntax_error_is_a_skip() -> None:
    result = parse_module("def broken(:\n", Provenance("x", "broken.py"))
    assert result == files.Skip("broken.py", SYNTAX_ERROR)


def test_parse_module_definitions_and_doctests() -> None:
    unit = parse_module(MODULE_DOC, Provenance("x", "fixpkg/helpers.py"))
    kinds = {d.qualname: d.kind for d in unit.definitions}
    assert kinds["Outer"] == "class"
    assert kinds["Outer.Inner"] == "class"
    assert kinds["Outer.decorated"] == "method"
    assert kinds["numpy_style"] == "function"
    assert kinds[""] == "module"
    numpy_style = next(d for d in unit.definitions if d.qualname == "numpy_style")
    examples = doctest_examples(numpy_style)
    assert [e.source for e in examples][:2] == [
        "import ibis\n",
        't = ibis.table({"a": "int64", "b": "string"}, name="t")\n',
    ]
    for example in examples:
        assert unit.line_text(example.line).lstrip().startswith(">>> ")


def test_segment_counts_characters_not_bytes() -> None:
    text = 'x = "ünï" + foo(1)\n'
    unit = parse_module(text, Provenance("x", "u.py"))
    call = unit.tree.body[0].value.right  # type: ignore[attr-defined]
    assert unit.node_text(call) == "foo(1)"


def test_resolve_folder_package_and_git(fixture_package: Path, fixture_repo: Path) -> None:
    folder = resolve(str(fixture_package))
    assert (folder.kind, folder.name, folder.commit) == ("folder", "fixpkg", None)
    checkout = resolve(str(fixture_repo))
    assert checkout.kind == "git"
    assert checkout.name == "acme/fixture-repo"
    assert checkout.commit == git(fixture_repo, "rev-parse", "HEAD")
    package = resolve("ibis")
    assert package.kind == "package" and package.name == "ibis-framework"
    assert (package.root / "__init__.py").exists() and package.base == package.root.parent
    with pytest.raises(SourceError):
        resolve("/no/such/place")
    with pytest.raises(SourceError):
        resolve("no_such_package_xyz")


def test_lines_are_counted_as_python_counts_them() -> None:
    text = "# a form feed \x0c here\nt = t.filter(t.a > 1)\n"
    unit = parse_module(text, Provenance("x", "ff.py"))
    assert len(unit.lines) == 2
    stmt = unit.tree.body[0]
    assert unit.node_text(stmt) == "t = t.filter(t.a > 1)"
    assert unit.line_text(stmt.lineno) == "t = t.filter(t.a > 1)"


def test_fifo_and_device_are_never_read(tmp_path: Path) -> None:
    import os

    os.mkfifo(tmp_path / "fifo.py")
    (tmp_path / "zero.py").symlink_to("/dev/zero")
    assert files.read_text(tmp_path, "fifo.py") == files.Skip("fifo.py", files.NOT_REGULAR)
    assert files.read_text(tmp_path, "zero.py") == files.Skip("zero.py", files.NOT_REGULAR)
