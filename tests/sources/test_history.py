"""The commit walk: one git log over a fixture history; shallow clones and folders give none."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from ibert_mine.sources import blobs, history
from ibert_mine.sources.files import BINARY, Skip
from ibert_mine.sources.resolve import resolve
from tests.git_repo import build


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    root = tmp_path_factory.mktemp("history") / "repo"
    return root, build(root)


def _unit(root: Path, sha: str) -> history.CommitUnit:
    return next(u for u in history.walk(resolve(str(root))) if getattr(u, "sha", "") == sha)


def test_the_walk_lists_every_commit_newest_first(repo: tuple[Path, dict[str, str]]) -> None:
    root, shas = repo
    items = list(history.walk(resolve(str(root))))
    order = ["deps_code", "delete", "rename", "latin1", "binary2", "data", "revert", "merge",
             "side", "fix", "feature", "format", "deps", "test_only", "docs", "root"]  # fmt: skip
    assert [i.path if isinstance(i, Skip) else i.sha for i in items] == [shas[n] for n in order]
    skipped = {i.path: i.reason for i in items if isinstance(i, Skip)}
    assert skipped == {shas["merge"]: history.MERGE, shas["root"]: history.ROOT_COMMIT}
    fix = next(i for i in items if not isinstance(i, Skip) and i.sha == shas["fix"])
    assert fix.parent == shas["feature"] and fix.subject.startswith("fix(core): parse_limit")
    assert [(c.status, c.path) for c in fix.changes] == [
        ("A", "docs/logo.png"), ("M", "pkg/core.py"), ("M", "pkg/tests/test_core.py")
    ]  # fmt: skip
    assert fix.provenance.repo == "example/pkg" and fix.provenance.commit == shas["fix"]


def test_a_rename_is_a_deletion_and_an_addition(repo: tuple[Path, dict[str, str]]) -> None:
    root, shas = repo
    unit = _unit(root, shas["rename"])
    assert [(c.status, c.path) for c in unit.changes] == [
        ("A", "pkg/moved.py"),
        ("D", "pkg/side.py"),
    ]
    assert unit.changes[0].new_blob == unit.changes[1].old_blob
    assert unit.changes[1].new_blob is None


def test_blobs_are_read_and_judged(repo: tuple[Path, dict[str, str]]) -> None:
    root, shas = repo
    unit = _unit(root, shas["binary2"])
    change = unit.changes[0]
    assert blobs.read_text(root, change.old_blob, change.path) == "X = 1\n"
    assert blobs.read_text(root, change.new_blob, change.path) is BINARY
    assert blobs.read_text(root, "0" * 39 + "1", change.path) is blobs.MISSING_BLOB
    assert blobs.read_blob(root, f"{shas['fix']}:pkg/core.py").startswith(b"import re")
    blobs.close_readers()


def test_a_folder_and_a_shallow_clone_have_no_history(
    repo: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    root, _ = repo
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "a.py").write_text("x = 1\n")
    assert history.history_note(resolve(str(folder))) == history.NOT_A_CHECKOUT
    assert list(history.walk(resolve(str(folder)))) == []
    shallow = tmp_path / "shallow"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{root}", str(shallow)],
        check=True,
        capture_output=True,
    )
    assert history.history_note(resolve(str(shallow))) == history.SHALLOW
    assert list(history.walk(resolve(str(shallow)))) == []
