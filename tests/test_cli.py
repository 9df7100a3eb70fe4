"""Every command through typer's runner, including the error exits."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ibert_mine.cli import app
from ibert_mine.core.example import example_id

runner = CliRunner()


def _mine(source: Path, out: Path, *extra: str):
    return runner.invoke(app, ["mine", "--source", str(source), "--output", str(out), *extra])


def test_mine_validate_stats_concat(fixture_package: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = _mine(fixture_package, out, "--workers", "1")
    assert result.exit_code == 0, result.output
    assert "documentation" in result.output
    assert (out / "documentation_mined.jsonl").exists()
    assert (out / "code_completion_mined.jsonl").exists()

    checked = runner.invoke(app, ["validate", str(out)])
    assert checked.exit_code == 0, checked.output
    assert "0 problems" in checked.output
    assert "provenance unchecked for 0" in checked.output

    shown = runner.invoke(app, ["stats", str(out)])
    assert shown.exit_code == 0
    assert "docstring" in shown.output and "not_utf8" in shown.output
    assert "too_short" in shown.output
    explained = runner.invoke(app, ["stats", "--explain", str(out)], env={"COLUMNS": "200"})
    assert explained.exit_code == 0
    assert "a docstring of fewer than 3 words" in explained.output
    assert "the file is not valid UTF-8" in explained.output

    extra = tmp_path / "extra.jsonl"
    question = {"question": "How do I sum a column in Ibis?"}
    answer = {"answer": "Call `sum` on the column: `t.a.sum()` is a scalar expression."}
    record = {"id": example_id("qa", question, answer), "task": "qa", "source": "hand"}
    record |= {"input": question, "target": answer, "meta": {"origin": "docs"}}
    extra.write_text(json.dumps(record) + "\n")
    merged = tmp_path / "train_complete.jsonl"
    done = runner.invoke(
        app,
        ["concat", "--input", str(out), "--extra", str(extra), "--output", str(merged), "--split"],
    )
    assert done.exit_code == 0, done.output
    n_mined = sum(len(p.read_text().splitlines()) for p in out.glob("*_mined.jsonl"))
    assert len(merged.read_text().splitlines()) == n_mined + 1
    split_total = sum(
        len(p.read_text().splitlines())
        for p in tmp_path.glob("*.jsonl")
        if p.stem in {"train", "valid", "test"}
    )
    assert split_total == n_mined + 1


def test_mine_single_task(fixture_package: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = _mine(fixture_package, out, "--task", "documentation")
    assert result.exit_code == 0, result.output
    written = [p.name for p in sorted(out.iterdir())]
    assert written == ["documentation_mined.jsonl", "manifest.json", "timings.json"]


def test_unknown_source_exits_2(tmp_path: Path) -> None:
    result = _mine(tmp_path / "missing", tmp_path / "out")
    assert result.exit_code == 2
    assert "source not found" in result.output
    assert not (tmp_path / "out").exists()


def test_unknown_task_exits_2(fixture_package: Path, tmp_path: Path) -> None:
    result = _mine(fixture_package, tmp_path / "out", "--task", "poetry")
    assert result.exit_code == 2
    assert "unknown task 'poetry'" in result.output


def test_task_without_miner_exits_2(
    fixture_package: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ibert_mine.tasks as registry

    every = registry.implemented()  # all six tasks mine today: pretend qa does not
    monkeypatch.setattr(registry, "implemented", lambda: tuple(t for t in every if t != "qa"))
    result = _mine(fixture_package, tmp_path / "out", "--task", "qa")
    assert result.exit_code == 2
    assert "no miner yet" in result.output


def test_validate_reports_file_line_and_exits_1(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x"}\nnot json\n')
    result = runner.invoke(app, ["validate", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}:1: missing keys" in result.output
    assert f"{bad}:2: not JSON" in result.output


def test_validate_missing_path_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["validate", str(tmp_path / "nope.jsonl")])
    assert result.exit_code == 2


def test_concat_reports_bad_extra_lines_and_keeps_the_good_ones(
    fixture_package: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert _mine(fixture_package, out, "--task", "documentation").exit_code == 0
    mined = (out / "documentation_mined.jsonl").read_text().splitlines()
    good = json.loads(mined[0])
    wrong_id = {**good, "id": "0" * 16}
    placeholder = {**good, "target": {"docstring": "To be generated"}}
    extra = tmp_path / "extra.jsonl"
    extra.write_text(
        "\n".join(["{broken", mined[0], json.dumps(wrong_id), json.dumps(placeholder)]) + "\n"
    )
    merged = tmp_path / "train.jsonl"
    result = runner.invoke(
        app, ["concat", "--input", str(out), "--extra", str(extra), "--output", str(merged)]
    )
    assert result.exit_code == 1  # written, with the bad lines named
    assert "extra.jsonl:1: not JSON" in result.output
    assert "extra.jsonl:2: id " in result.output and "(kept from " in result.output
    assert "extra.jsonl:3: id is not the content hash" in result.output
    assert "extra.jsonl:4: target.docstring is a placeholder" in result.output
    assert len(merged.read_text().splitlines()) == len(mined)  # every good line, once


def test_concat_with_no_record_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    extra = tmp_path / "extra.jsonl"
    extra.write_text("{broken\n")
    merged = tmp_path / "train.jsonl"
    args = ["concat", "--input", str(tmp_path / "out"), "--extra", str(extra), "-o", str(merged)]
    result = runner.invoke(app, args)
    assert result.exit_code == 1 and "extra.jsonl:1: not JSON" in result.output
    assert not merged.exists()


def test_stats_missing_folder_exits_2(tmp_path: Path) -> None:
    assert runner.invoke(app, ["stats", str(tmp_path / "none")]).exit_code == 2


def test_schema_prints_json_schema() -> None:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.output)
    assert schema["properties"]["task"]["enum"][0] == "code_completion"
    assert "meta" in schema["required"]
    by_task = {rule["if"]["properties"]["task"]["const"]: rule["then"] for rule in schema["allOf"]}
    meta = by_task["sql_to_ibis"]["properties"]["meta"]
    assert meta["additionalProperties"] is False
    assert meta["properties"]["sql_author"]["enum"] == ["human", "compiler"]
    assert "decompiler: ibis.decompile" in meta["properties"]["ibis_author"]["description"]
    assert meta["properties"]["lines"]["maxItems"] == 2


def test_unknown_dialect_exits_2(fixture_package: Path, tmp_path: Path) -> None:
    result = _mine(
        fixture_package, tmp_path / "out", "--task", "ibis_to_sql", "--dialect", "nosuch"
    )
    assert result.exit_code == 2
    assert "unknown dialect 'nosuch'" in result.output
