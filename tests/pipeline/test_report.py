"""report: one static page whose counts are the files', opened in a real headless Chromium."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ibert_mine.cli import app
from ibert_mine.pipeline.export import read_records
from tests.conftest import write_fixture_package

runner = CliRunner()
CELL = re.compile(r'data-key="([^"]+)">(\d+)<')


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The fixture package mined for two tasks, and its report."""
    root = tmp_path_factory.mktemp("report")
    out = root / "mined"
    args = ["mine", "--source", str(write_fixture_package(root / "src")), "--output", str(out)]
    mined = runner.invoke(app, [*args, "--workers", "1", "--task", "documentation", "--task", "qa"])
    assert mined.exit_code == 0, mined.output
    page = root / "report.html"
    made = runner.invoke(app, ["report", str(out), "-o", str(page)])
    assert made.exit_code == 0, made.output
    return out, page


def _cells(html: str) -> dict[str, int]:
    return {key.replace("&#x27;", "'"): int(n) for key, n in CELL.findall(html)}


def _expected(out: Path) -> dict[str, int]:
    records = read_records(out)
    found = {f"task:{t}": n for t, n in Counter(r["task"] for r in records).items()}
    origins = Counter((r["task"], r["meta"]["origin"]) for r in records)
    found |= {f"origin:{t}|{o}": n for (t, o), n in origins.items()}
    manifest = json.loads((out / "manifest.json").read_text())
    for group in ("tasks", "stages"):
        for stage, entry in manifest[group].items():
            for reason, n in entry["rejects"].items():
                found[f"reject:{stage}|{reason}|"] = n  # its meaning follows in the key
    return found


def test_the_page_shows_the_files_counts_and_needs_nothing_outside(report) -> None:
    out, page = report
    html = page.read_text()
    cells = _cells(html)
    for key, n in _expected(out).items():
        if key.startswith("reject:"):
            assert any(k.startswith(key) and v == n for k, v in cells.items()), key
        else:
            assert cells[key] == n, key
    assert "<script" not in html and "http" not in html.split("<body>")[0]
    assert html.count("<svg") == len({r["task"] for r in read_records(out)})  # one per task
    assert 'class="pair"' in html


def test_the_page_opens_in_headless_chromium(report, tmp_path: Path) -> None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        if os.environ.get("IBERT_REQUIRE_BROWSER"):
            pytest.fail("chromium is not installed (.ci/run installs Debian's chromium)")
        pytest.skip("no chromium on this machine")
    out, page = report
    base = [browser, "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
            "--enable-logging=stderr", "--v=0"]  # fmt: skip
    shot = tmp_path / "report.png"
    done = subprocess.run(
        [*base, f"--screenshot={shot}", "--window-size=1400,2000", page.as_uri()],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert shot.stat().st_size > 10_000
    assert "CONSOLE" not in done.stderr  # no console message: no error, no failed asset
    dom = subprocess.run(
        [*base, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120,
        check=False,
    ).stdout  # fmt: skip
    cells = _cells(dom)
    for key, n in _expected(out).items():
        if not key.startswith("reject:"):
            assert cells[key] == n, key  # what the browser shows is what the files hold
