"""What a new user meets: output never lost, errors before work, the Python API, help,
recipes, named skips, empty inputs, feedback. One test (or more) per case of issue 9."""

from __future__ import annotations

import doctest
import io
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

import ibert_mine
from ibert_mine import api
from ibert_mine.cli import app
from ibert_mine.cli import console as screen
from ibert_mine.pipeline.run import default_workers
from tests.conftest import git

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[1]
DOC = 'def area(w, h):\n    """Return the area of a w by h rectangle."""\n    return w * h\n'


def _mine(*args: str):
    return runner.invoke(app, ["mine", "--workers", "1", *args])


def _one_module(folder: Path, text: str = DOC, name: str = "shapes.py") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text)
    return folder


# 1. an empty or non-matching source never wipes the output --------------------------------


def test_a_source_with_nothing_to_mine_exits_1_and_keeps_the_output(tmp_path: Path) -> None:
    out, src = tmp_path / "out", _one_module(tmp_path / "src")
    assert _mine("--source", str(src), "--output", str(out)).exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    (tmp_path / "empty").mkdir()
    empty = _mine("--source", str(tmp_path / "empty"), "--output", str(out))
    assert empty.exit_code == 1
    assert "no file to mine in" in empty.output and "include *.py, *.qmd" in empty.output
    wrong = _mine("--source", str(tmp_path / "src"), "--include", "*.rs", "--output", str(out))
    assert wrong.exit_code == 1 and "include *.rs" in wrong.output
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    with pytest.raises(api.NothingToMine, match="no file to mine"):  # the API says so too
        ibert_mine.mine(tmp_path / "empty", workers=1)


def test_mining_one_task_leaves_the_others_files_and_merges_the_manifest(tmp_path: Path) -> None:
    out, src = tmp_path / "out", _one_module(tmp_path / "src")
    assert _mine("--source", str(src), "--output", str(out)).exit_code == 0
    completion = (out / "code_completion_mined.jsonl").read_bytes()
    first = json.loads((out / "manifest.json").read_text())
    again = _mine("--source", str(src), "--task", "documentation", "--output", str(out))
    assert again.exit_code == 0
    assert (out / "code_completion_mined.jsonl").read_bytes() == completion
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["tasks"]["code_completion"] == first["tasks"]["code_completion"]
    assert manifest["tasks"]["documentation"]["options"]["tasks"] == ["documentation"]


def test_a_source_whose_files_cannot_be_read_exits_1(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "bad.py").write_bytes(b"\xff\xfe not text")
    result = _mine("--source", str(src), "--output", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "none of the 1 files" in result.output and "1 not_utf8" in result.output
    assert not (tmp_path / "out").exists()


# 2. an unwritable output fails at once, before the mining ------------------------------------


def _unwritable(tmp_path: Path) -> Path | None:
    """A folder this process cannot write in, even as root (sysfs), or None."""
    for candidate in (Path("/sys"), Path("/proc")):
        try:
            fd, probe = tempfile.mkstemp(dir=candidate)
        except OSError:
            return candidate / "ibert-out"
        os.close(fd)
        os.unlink(probe)
    if os.geteuid() != 0:
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        return locked / "out"
    return None


def test_an_unwritable_output_exits_2_before_any_work(tmp_path: Path) -> None:
    src = str(_one_module(tmp_path / "src"))
    (tmp_path / "afile").write_text("x")
    result = _mine("--source", src, "--output", str(tmp_path / "afile"))
    assert result.exit_code == 2 and "is a file, not a folder" in result.output
    result = _mine("--source", src, "--output", str(tmp_path / "afile" / "sub"))
    assert result.exit_code == 2 and "cannot be created" in result.output
    blocked = _unwritable(tmp_path)
    if blocked is None:
        pytest.skip("no folder here refuses this user's writes")
    result = _mine("--source", src, "--output", str(blocked))
    assert result.exit_code == 2 and "is not writable" in result.output
    assert "Traceback" not in result.output
    concat = runner.invoke(app, ["concat", "--input", src, "--output", str(blocked / "x.jsonl")])
    assert concat.exit_code == 2 and "is not writable" in concat.output


# 3. a dirty checkout: no false commit -----------------------------------------------------


def test_a_dirty_checkout_records_what_changed_and_gives_no_commit(
    fixture_repo: Path, tmp_path: Path
) -> None:
    _one_module(fixture_repo / "fixpkg", DOC.replace("area", "perimeter"), name="kept.py")
    git(fixture_repo, "add", "-A")
    git(fixture_repo, "commit", "-q", "-m", "third")
    helpers = fixture_repo / "fixpkg" / "helpers.py"
    helpers.write_text(helpers.read_text().replace("Add two numbers", "Add two integers"))
    _one_module(fixture_repo / "fixpkg", name="fresh.py")  # untracked
    out = tmp_path / "out"
    result = _mine("--source", str(fixture_repo), "--task", "documentation", "--output", str(out))
    assert result.exit_code == 0, result.output
    source = json.loads((out / "manifest.json").read_text())["sources"][0]
    assert source["dirty"] is True and source["changed_total"] == 2
    assert source["changed"] == ["fixpkg/fresh.py", "fixpkg/helpers.py"]
    records = [json.loads(line) for line in (out / "documentation_mined.jsonl").open()]
    by_path = {r["meta"]["path"]: r for r in records}
    assert "commit" not in by_path["fixpkg/helpers.py"]["meta"]
    assert "commit" not in by_path["fixpkg/fresh.py"]["meta"]
    assert len(by_path["fixpkg/kept.py"]["meta"]["commit"]) == 40
    assert any("Add two integers" in r["target"]["docstring"] for r in records)
    checked = runner.invoke(app, ["validate", str(out)])  # against the work tree
    assert checked.exit_code == 0 and "provenance unchecked for 0" in checked.output
    git(fixture_repo, "stash", "-u")
    clean = _mine("--source", str(fixture_repo), "--task", "documentation", "-o", str(out))
    assert clean.exit_code == 0
    assert json.loads((out / "manifest.json").read_text())["sources"][0]["dirty"] is False


# 4. the Python API ---------------------------------------------------------------------------


def test_the_api_docstring_example_runs() -> None:
    failed, tried = doctest.testmod(api, optionflags=doctest.ELLIPSIS)
    assert tried >= 8 and failed == 0


def test_the_api_checks_its_arguments_at_the_call(tmp_path: Path) -> None:
    src = _one_module(tmp_path / "src")
    for bad, message in [
        ({"workers": 0}, "--workers must be a whole number of at least 1, not 0"),
        ({"tasks": "poetry"}, "unknown task 'poetry'"),
        ({"dialects": "nosuch"}, "unknown dialect 'nosuch'"),
        ({"max_bytes": 0}, "--max-bytes must be"),
        ({"schema": tmp_path / "none.sql"}, "--schema"),
    ]:
        with pytest.raises(ValueError, match=message):
            ibert_mine.mine(src, **bad)
    with pytest.raises(ValueError, match="source not found: 'nowhere'"):
        ibert_mine.mine("nowhere")


def test_the_api_takes_every_cli_option_and_a_config(tmp_path: Path) -> None:
    src = _one_module(tmp_path / "src")
    _one_module(src, DOC.replace("area", "volume"), name="skip_me.py")
    mined = ibert_mine.mine(
        [src], tasks=["documentation"], workers=1, exclude=["skip_me.py"], max_bytes=10_000,
        output=tmp_path / "out",
    )  # fmt: skip
    assert mined.config.workers == 1 and mined.config.rules.exclude == ("skip_me.py",)
    assert [e.meta["symbol"] for e in mined] == ["area"]
    assert set(mined.run.seconds) >= {"walk", "parse", "mine", "files", "verify", "dedup"}
    assert mined.rejects.total() == 0 and mined.files_mined == 1
    assert mined.write() == tmp_path / "out"
    assert [e.id for e in ibert_mine.load(tmp_path / "out")] == [e.id for e in mined]
    config = ibert_mine.Config(tasks=("documentation",), workers=1)
    assert [e.id for e in ibert_mine.mine(src, config=config)] == [e.id for e in mined] + [
        e.id for e in ibert_mine.mine(src / "skip_me.py", config=config)
    ]
    assert api.make_config().workers == default_workers()  # the CLI's default


# 5. help shows every default; --version ------------------------------------------------------


def test_help_shows_every_default_and_the_version() -> None:
    shown = runner.invoke(app, ["mine", "--help"], env={"COLUMNS": "200"})
    assert shown.exit_code == 0
    for default in ("ibis, the installed package", "all cores", "data/mining/multitask",
                    "*.py, *.qmd, *.md, *.ipynb", "1000000"):  # fmt: skip
        assert default in shown.output, default
    version = runner.invoke(app, ["--version"])
    assert version.exit_code == 0
    assert version.output.strip() == f"ibert-mine {ibert_mine.__version__}"


# 6. the justfile works on a fresh machine ----------------------------------------------------


def test_the_justfile_runs_the_projects_ibert_mine(tmp_path: Path) -> None:
    just = str(Path(sys.executable).parent / "just")
    listed = subprocess.run([just, "--list"], cwd=ROOT, capture_output=True, text=True, check=True)
    assert "mine-multitask" in listed.stdout and "validate-multitask" in listed.stdout
    out, src = tmp_path / "out", _one_module(tmp_path / "src")
    assert _mine("--source", str(src), "--output", str(out)).exit_code == 0
    env = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"}
    env["PATH"] = "/usr/bin:/bin"  # the venv is not activated
    done = subprocess.run(
        [just, f"out={out}", "validate-multitask"], cwd=ROOT, capture_output=True, text=True,
        env=env, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 problems" in done.stdout


# 7. skipped files are named; PEP 263 encodings are read --------------------------------------


def test_skipped_files_are_named_and_declared_encodings_read(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    latin = '# -*- coding: latin-1 -*-\ndef cafe():\n    """Serve a café crème, hot."""\n'
    latin += '    return "café"\n'
    (src / "latin.py").write_bytes(latin.encode("latin-1"))
    (src / "lying.py").write_bytes(b"# coding: ascii\nx = '\xe9'\n")
    (src / "unknown.py").write_bytes(b"# coding: klingon\nx = 1\n")
    (src / "broken.py").write_text("def broken(:\n")
    out = tmp_path / "out"
    assert _mine("--source", str(src), "--task", "documentation", "-o", str(out)).exit_code == 0
    records = [json.loads(line) for line in (out / "documentation_mined.jsonl").open()]
    assert [r["target"]["docstring"] for r in records] == ["Serve a café crème, hot."]
    skipped = json.loads((out / "manifest.json").read_text())["files"]
    assert skipped["skipped_files"] == [
        {"source": "src", "path": "broken.py", "reason": "syntax_error"},
        {"source": "src", "path": "lying.py", "reason": "encoding_error"},
        {"source": "src", "path": "unknown.py", "reason": "encoding_error"},
    ]
    shown = runner.invoke(app, ["stats", "--skipped", str(out)], env={"COLUMNS": "200"})
    assert (
        shown.exit_code == 0 and "lying.py" in shown.output and "skipped files: 3" in shown.output
    )
    assert runner.invoke(app, ["validate", str(out)]).exit_code == 0  # read as Python reads it


# 8. empty and missing inputs do not pass silently --------------------------------------------


def test_validate_with_no_records_and_stats_without_manifest_fail(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    checked = runner.invoke(app, ["validate", str(tmp_path / "empty")])
    assert checked.exit_code == 1 and "no records found in" in checked.output
    shown = runner.invoke(app, ["stats", str(tmp_path / "empty")])
    assert shown.exit_code == 2 and "no manifest.json in" in shown.output


# 9. feedback: elapsed time, where the output went, timings, an ETA ---------------------------


def test_a_run_says_how_long_it_took_and_where_it_wrote(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = _mine("--source", str(_one_module(tmp_path / "src")), "--output", str(out))
    assert result.exit_code == 0
    assert f"wrote {out}/ in " in result.output and result.output.rstrip().endswith(" s")
    timings = json.loads((out / "timings.json").read_text())
    assert set(timings) == {"walk", "parse", "mine", "files", "verify", "dedup", "write"}
    shown = runner.invoke(app, ["stats", str(out)], env={"COLUMNS": "200"})
    assert "seconds per stage" in shown.output and "verify" in shown.output


def test_progress_bars_show_an_eta(monkeypatch: pytest.MonkeyPatch) -> None:
    drawn = io.StringIO()
    terminal = Console(file=drawn, force_terminal=True, width=100)
    monkeypatch.setattr(screen, "err_console", terminal)
    assert list(screen.progress(iter(range(3)), 3, "mining files")) == [0, 1, 2]
    assert "mining files" in drawn.getvalue() and "eta" in drawn.getvalue()


# 10. the README says what a new user needs ---------------------------------------------------


def test_the_readme_states_times_the_quick_suite_and_where_output_goes() -> None:
    readme = (ROOT / "README.md").read_text()
    for fact in ('-m "not slow"', "--source FILE", "relative to the current directory",
                 "just --list", "minutes on 2 cores"):  # fmt: skip
        assert fact in readme, fact
