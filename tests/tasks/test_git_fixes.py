"""error_resolution from fix commits: the fixture history's example, every reason, snapshot."""

from __future__ import annotations

import doctest
import json
import subprocess
from pathlib import Path

import pytest

from ibert_mine import api
from ibert_mine.core.config import Config
from ibert_mine.core.example import Example
from ibert_mine.core.layout import read_manifest
from ibert_mine.pipeline.stats import collect, tables
from ibert_mine.sources import history
from ibert_mine.sources.files import Skip
from ibert_mine.sources.resolve import resolve
from ibert_mine.tasks import BY_NAME
from ibert_mine.tasks.error_resolution import git_explain, git_fixes, git_functions, git_messages
from ibert_mine.validate import validate_files
from tests.git_repo import build

TASK = "error_resolution"


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    root = tmp_path_factory.mktemp("fixes") / "repo"
    return root, build(root)


def _mined(root: Path) -> dict[str, list]:
    config = Config(tasks=(TASK,))
    out = {}
    for unit in history.walk(resolve(str(root))):
        if not isinstance(unit, Skip):
            out[unit.sha] = [
                i if isinstance(i, Example) else i.key for i in git_fixes.mine(unit, config)
            ]
    return out


def test_each_commit_gives_its_example_or_its_reasons(repo: tuple[Path, dict[str, str]]) -> None:
    root, shas = repo
    mined = _mined(root)
    by_name = {name: mined[sha] for name, sha in shas.items() if sha in mined}
    fix = by_name.pop("fix")
    assert by_name == {
        "delete": ["deleted_file"],
        "rename": ["renamed_file"],
        "latin1": ["not_utf8"],
        "binary2": ["binary"],
        "data": ["no_function_changed"],  # new modules only: nothing was broken before
        "revert": ["revert"],
        "side": ["no_function_changed"],
        "feature": ["not_a_fix"],
        "format": ["formatting_only"],
        "deps": ["dependency_bump"],
        "deps_code": ["dependency_bump"],
        "test_only": ["test_only"],
        "docs": ["docs_only"],
    }
    [example] = fix
    assert example.input == {
        "broken_code": 'def parse_limit(text):\n    """The row limit a query string asks for."""\n'
        '    match = re.match(r"limit (\\d+)", text)\n    return int(match.group(1))\n',
        "error": "core: parse_limit fails on a query without a limit\n\n"
        "The regression test expects: ValueError matching 'no limit in'",
    }
    assert example.target["fixed_code"].count("raise ValueError") == 1
    assert example.target["explanation"] == (
        "core: parse_limit fails on a query without a limit\n\n"
        "parse_limit called .group on None when the query had no limit clause.\n"
        "Raise a ValueError that says so.\n\n"
        "In `parse_limit` (pkg/core.py), the fix adds 2 lines."
    )
    assert example.meta == {
        "path": "pkg/core.py",
        "repo": "example/pkg",
        "commit": shas["fix"],
        "parent": shas["feature"],
        "origin": "git",
        "symbol": "parse_limit",
        "broken_lines": [4, 7],
        "fixed_lines": [4, 9],
        "explained_by": "body",
        "test_raises": ["ValueError matching 'no limit in'"],
    }
    record = example.to_dict()
    assert git_fixes.provenance(record, {"example/pkg": root}) == ""
    assert git_fixes.provenance(record, {}) is None
    executed = {**record, "meta": {"origin": "executed"}}
    assert git_fixes.provenance(executed, {}) == ""  # nothing of it is quoted from git
    record["target"]["fixed_code"] = record["target"]["fixed_code"].replace("None", "0")
    assert "fixed_lines differ" in git_fixes.provenance(record, {"example/pkg": root})


def test_messages_are_sorted_and_cleaned() -> None:
    kinds = {
        "fix(duckdb): handle NULL (#12)": "fix",
        "fix!: drop the old name": "fix",
        "BUG: Fix repr of ScalarParameter": "fix",
        "Fixes the join bug": "fix",
        "fix(deps): update dependency sqlglot to v26": "deps",
        'Revert "fix: a thing"': "revert",
        "revert: fix(api): a thing": "revert",
        "feat(api): add unnest": "other",
        "chore(deps): lock file maintenance": "other",
        "ENH: add a thing": "other",
    }
    assert {s: git_messages.kind_of(s) for s in kinds} == kinds
    message = (
        "fix(sql): keep NULLs first (#10227)\n\n## Description of changes\n\nSort NULLs as"
        " the backend does.\n\n## Issues closed\n\n* Resolves #10000\n\n---------\n\n"
        "BREAKING CHANGE: NULLs sort first.\n\nCo-authored-by: X <x@example.com>\n"
        "Signed-off-by: Y <y@example.com>"
    )
    assert git_messages.clean(message) == (
        "sql: keep NULLs first\n\nSort NULLs as the backend does.\n\nBREAKING CHANGE: NULLs"
        " sort first."
    )
    old = (
        "BUG: NullIf should cast\n\nCloses #1782\nAuthor: P <p@example.com>\n\n"
        "Closes #1784 from p/nullif and squashes the following commits:\n\n"
        "34010d5 [P] Fix impala tests\n"
    )
    assert git_messages.clean(old) == "NullIf should cast"
    subject = "mysql: quote database names in `list_tables`"
    assert git_messages.names_other_code(subject, "Backend.drop_table", "def drop_table(): ...")
    assert not git_messages.names_other_code(
        subject, "Backend.list_tables", "def list_tables(): ..."
    )
    grouped = "pandas: handle empty groups in `GroupConcat`"
    assert not git_messages.names_other_code(grouped, "execute_group_concat", "...")
    assert not git_messages.names_other_code("sql: no quotes here", "f", "...")


def _changes(old: str, new: str) -> list:
    return [c if isinstance(c, git_functions.FunctionChange) else c.key
            for c in git_functions.changed_functions(old, new)]  # fmt: skip


def test_the_bounds_on_a_changed_function() -> None:
    base = "import os\n\n\ndef f(x):\n    log('start')\n    return x + 1\n"
    assert _changes(base, base.replace("start", "begin")) == ["only_strings_changed"]
    assert _changes(base, base.replace("x + 1", "(x + 1)")) == ["formatting_only"]
    assert _changes(base, base.replace("f(x)", "f(x: int) -> int")) == ["only_annotations_changed"]
    outside = "LIMIT = 2\n" + base.replace("x + 1", "x + LIMIT")
    assert _changes("LIMIT = 1\n" + base, outside) == ["change_outside_function"]
    helper = base.replace("x + 1", "_helper(x)") + "\n\ndef _helper(x):\n    return x + 2\n"
    assert _changes(base, helper) == ["uses_new_definition"]
    long_body = "".join(f"    y{i} = x\n" for i in range(14))
    many = base.replace("    return x + 1\n", long_body + "    return x + 1\n")
    assert _changes(base, many) == ["too_many_changed_lines"]
    huge = "def f(x):\n" + "".join(f"    y{i} = x\n" for i in range(90)) + "    return x\n"
    assert _changes(huge, huge.replace("return x", "return -x")) == ["function_too_long"]
    [change] = _changes(base, base.replace("import os\n", "import sys\n").replace("+ 1", "- 1"))
    assert (change.qualname, change.broken.first, change.fixed.last) == ("f", 4, 6)
    method = "class T:\n    @property\n    def n(self):\n        return 1\n"
    [change] = _changes(method, method.replace("1", "2"))
    assert change.qualname == "T.n" and change.fixed.code.startswith("@property\ndef n(self):")


def _mine(root: Path, out: Path, workers: int) -> dict[str, bytes]:
    config = Config(tasks=(TASK,), output=out, workers=workers, keep_excluded=True)
    api.mine_to([resolve(str(root))], config)
    return {
        p.name: p.read_bytes()
        for p in sorted(out.iterdir())
        if p.is_file() and p.name != "timings.json"
    }


def test_the_run_is_the_same_on_any_worker_count_and_validates(
    repo: tuple[Path, dict[str, str]], tmp_path: Path, snapshot
) -> None:
    root, _ = repo
    one = _mine(root, tmp_path / "one", workers=1)
    two = _mine(root, tmp_path / "two", workers=2)
    assert one == two
    manifest = read_manifest(tmp_path / "one")
    assert manifest["commits"] == {
        "walked": 16, "mined": 14, "skipped": {"merge": 1, "root_commit": 1}, "notes": []
    }  # fmt: skip
    report = validate_files([tmp_path / "one"])
    assert report.ok and report.records == 1 and report.unchecked_provenance == 0
    rejects = manifest["tasks"][TASK]["rejects"]
    snapshot(
        json.dumps(rejects, indent=1, sort_keys=True) + "\n", "error_resolution_git.rejects.json"
    )
    snapshot(one[f"{TASK}_mined.jsonl"].decode(), "error_resolution_git.jsonl")
    assert set(rejects) <= {r.name for r in BY_NAME[TASK].reasons}


def test_a_folder_or_a_shallow_clone_gives_a_note(
    repo: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    root, _ = repo
    shallow = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{root}", str(shallow)],
                   check=True, capture_output=True)  # fmt: skip
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "mod.py").write_text("def f(x):\n    return x\n")
    for source, note in ((shallow, history.SHALLOW), (folder, history.NOT_A_CHECKOUT)):
        out = tmp_path / f"out_{source.name}"
        _mine(source, out, workers=1)
        assert (out / f"{TASK}_mined.jsonl").read_text() == ""
        commits = read_manifest(out)["commits"]
        assert commits["notes"] == [{"source": resolve(str(source)).name, "note": note}]
        titles = [t.title for t in tables(collect(out))]
        assert "commits (last run): 0 walked, 0 mined" in titles


def test_message_and_explanation_examples() -> None:
    for module in (git_messages, git_explain):
        results = doctest.testmod(module)
        assert results.attempted and not results.failed, module.__name__
