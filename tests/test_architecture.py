"""The architecture, checked: import contracts, module size, complexity, docstrings, task names."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import tokenize
from pathlib import Path

import pytest
from importlinter.cli import lint_imports

from ibert_mine.tasks import names

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "ibert_mine"
MAX_MODULE_LINES = 300


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_import_contracts_are_kept() -> None:
    assert lint_imports(str(ROOT / "pyproject.toml"), no_cache=True, no_logo=True) == 0


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        ("sources/files.py", "from ibert_mine.tasks import TASKS", "Layers point one way"),
        ("sandbox/outcome.py", "import ibis", "The sandbox knows nothing of Ibis"),
        ("programs/program.py", "from ibert_mine.execution import data", "Finding programs"),
        ("tasks/qa/pairs.py", "from ibert_mine.tasks import documentation", "Tasks do not import"),
        ("execution/readable.py", "from ibert_mine.execution import verify", "No import cycles"),
    ],
)
def test_a_wrong_import_breaks_a_contract(
    tmp_path: Path, module: str, line: str, contract: str
) -> None:
    """The contracts have teeth: one wrong import (even inside a function) fails them."""
    copy = tmp_path / "src" / "ibert_mine"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    target = copy / module
    target.write_text(target.read_text() + f"\n\ndef _wrong():\n    {line}\n")
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "src")}
    done = subprocess.run(
        [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports_command;"
         " sys.argv = ['lint-imports', '--no-cache', sys.argv[1]]; lint_imports_command()",
         str(ROOT / "pyproject.toml")],
        capture_output=True, text=True, env=env, cwd=tmp_path, check=False,
    )  # fmt: skip
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"{contract}" in done.stdout and "BROKEN" in done.stdout


def test_modules_are_small() -> None:
    long = {
        str(p.relative_to(PACKAGE)): n
        for p in modules()
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}, f"modules over {MAX_MODULE_LINES} lines"


def test_ruff_finds_nothing() -> None:
    """Style, complexity (C901, at most 12) and docstrings on every public function."""
    done = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "src", "tests", "bench"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr


def _literals(path: Path) -> list[str]:
    """The values of a module's string literals (f-strings' text parts included)."""
    tokens = tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline)
    kinds = {tokenize.STRING, getattr(tokenize, "FSTRING_MIDDLE", tokenize.STRING)}
    return [t.string.strip("\"'rbf") for t in tokens if t.type in kinds]


def test_no_task_is_named_outside_the_tasks_package() -> None:
    """The pipeline, validate and the rest iterate the registry; they never name a task
    (a literal that is a task name, or a key built on one, like ``sql_to_ibis:reason``)."""
    outside = [p for p in modules() if "tasks" not in p.relative_to(PACKAGE).parts]
    pattern = re.compile(rf"^({'|'.join(names())})($|[:_.])")
    found = [
        f"{p.relative_to(PACKAGE)}: {s}" for p in outside for s in _literals(p) if pattern.match(s)
    ]
    assert found == []
    assert pattern.match("sql_to_ibis:duplicate") and not pattern.match("documentation page")
