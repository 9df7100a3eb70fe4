"""export: Parquet per task and split, a folder ``datasets.load_dataset`` loads with its
card, and chat in TRL's formats, all with the splits of ``concat --split``."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import datasets
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from ibert_mine.cli import app
from ibert_mine.pipeline.export import read_records
from ibert_mine.pipeline.split import SPLIT_NAMES, assign
from tests.conftest import write_fixture_package

runner = CliRunner()


@pytest.fixture(scope="module")
def mined(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture package mined once for three tasks."""
    root = tmp_path_factory.mktemp("export")
    source = write_fixture_package(root / "src")
    out = root / "mined"
    args = ["mine", "--source", str(source), "--output", str(out), "--workers", "1"]
    tasks = ["--task", "documentation", "--task", "code_completion", "--task", "qa"]
    result = runner.invoke(app, [*args, *tasks])
    assert result.exit_code == 0, result.output
    return out


def _expected(mined: Path) -> Counter[tuple[str, str]]:
    records = read_records(mined)
    return Counter((r["task"], s) for r, s in zip(records, assign(records), strict=True))


def _export(mined: Path, fmt: str, out: Path) -> None:
    result = runner.invoke(app, ["export", str(mined), "--format", fmt, "-o", str(out)])
    assert result.exit_code == 0, result.output


def test_parquet_holds_each_task_and_split_with_its_fields(mined: Path, tmp_path: Path) -> None:
    _export(mined, "parquet", tmp_path / "pq")
    expected = _expected(mined)
    for task, split in expected:
        table = pq.read_table(tmp_path / "pq" / task / f"{split}.parquet")
        assert table.num_rows == expected[(task, split)]
    docs = pq.read_table(tmp_path / "pq/documentation/train.parquet").to_pylist()
    assert set(docs[0]["input"]) == {"code", "style", "section"}
    assert json.loads(docs[0]["meta"])["origin"] == "docstring"


def test_the_hf_folder_loads_with_a_config_per_task(mined: Path, tmp_path: Path) -> None:
    _export(mined, "hf", tmp_path / "hf")
    card = (tmp_path / "hf/README.md").read_text()
    assert card.startswith("---\n") and "# iBERT training data" in card
    expected = _expected(mined)
    for task in {t for t, _ in expected}:
        loaded = datasets.load_dataset(str(tmp_path / "hf"), task)
        sizes = {name: len(rows) for name, rows in loaded.items()}
        wanted = {"train": "train", "validation": "valid", "test": "test"}
        assert sizes == {
            hf: expected[(task, ours)] for hf, ours in wanted.items() if expected[(task, ours)]
        }  # a split with no example of the task is left out


def test_chat_round_trips_with_alternating_roles(mined: Path, tmp_path: Path) -> None:
    _export(mined, "chat", tmp_path / "chat")
    total = 0
    for split in SPLIT_NAMES:
        lines = (tmp_path / "chat/chat" / f"{split}.jsonl").read_text().splitlines()
        prompts = (tmp_path / "chat/prompt_completion" / f"{split}.jsonl").read_text()
        assert len(prompts.splitlines()) == len(lines)
        for line in lines:
            roles = [m["role"] for m in json.loads(line)["messages"]]
            assert roles == ["system", "user", "assistant"]
            total += 1
        for line in prompts.splitlines():
            row = json.loads(line)
            assert [m["role"] for m in row["prompt"]] == ["system", "user"]
            assert [m["role"] for m in row["completion"]] == ["assistant"]
    assert total == sum(_expected(mined).values())
