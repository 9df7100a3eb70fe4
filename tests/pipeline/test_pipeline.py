"""The pipeline: determinism across runs and worker counts, atomic writes, skips counted."""

from __future__ import annotations

from pathlib import Path

import pytest

from ibert_mine import api
from ibert_mine.core.config import Config
from ibert_mine.core.example import Example
from ibert_mine.core.layout import read_manifest
from ibert_mine.pipeline import write
from ibert_mine.pipeline.dedup import dedup
from ibert_mine.sources.resolve import resolve


def _mine(source: Path, config: Config, output: Path, workers: int) -> dict[str, bytes]:
    cfg = Config(tasks=config.tasks, output=output, workers=workers, ibis_api=config.ibis_api)
    api.mine_to([resolve(str(source))], cfg)
    assert (output / "timings.json").exists()  # seconds per stage: they differ run to run
    return {p.name: p.read_bytes() for p in sorted(output.iterdir()) if p.name != "timings.json"}


def test_runs_are_byte_identical_whatever_the_worker_count(
    fixture_package: Path, config: Config, tmp_path: Path
) -> None:
    one = _mine(fixture_package, config, tmp_path / "a", workers=1)
    again = _mine(fixture_package, config, tmp_path / "b", workers=1)
    two = _mine(fixture_package, config, tmp_path / "c", workers=2)
    assert set(one) == {"code_completion_mined.jsonl", "documentation_mined.jsonl", "manifest.json"}
    assert one == again == two
    assert one["documentation_mined.jsonl"].count(b"\n") >= 10  # one per documented symbol


def test_bad_files_are_counted_not_fatal(
    fixture_package: Path, config: Config, tmp_path: Path
) -> None:
    cfg = Config(tasks=("documentation",), output=tmp_path / "o", ibis_api=config.ibis_api)
    result = api.mine_to([resolve(str(fixture_package))], cfg)
    assert dict(result.files_skipped) == {
        "binary": 1,
        "broken_symlink": 1,
        "not_utf8": 1,
        "syntax_error": 1,
        "too_large": 1,
    }
    assert result.files_mined == 3
    manifest = read_manifest(tmp_path / "o")
    assert manifest["files"]["skipped"]["binary"] == 1
    assert manifest["files"]["skipped_total"] == 5
    assert {"source": "fixpkg", "path": "broken.py", "reason": "syntax_error"} in (
        manifest["files"]["skipped_files"]
    )
    assert [f["path"] for f in manifest["files"]["skipped_files"]] == [
        "binary.py", "broken.py", "dangling.py", "huge.py", "latin1.py"
    ]  # fmt: skip
    assert manifest["tasks"]["documentation"]["rejects"]["too_short"] == 1


def test_git_source_records_commit_and_repo(
    fixture_repo: Path, config: Config, tmp_path: Path
) -> None:
    cfg = Config(tasks=("documentation",), output=tmp_path / "o", ibis_api=config.ibis_api)
    result = api.mine_to([resolve(str(fixture_repo))], cfg)
    example = result.examples["documentation"][0]
    assert example.source == "acme/fixture-repo"
    assert example.meta["repo"] == "acme/fixture-repo"
    assert len(example.meta["commit"]) == 40
    assert example.meta["path"].startswith("fixpkg/")


def test_interrupted_write_keeps_previous_file(tmp_path: Path) -> None:
    target = tmp_path / "x.jsonl"
    write.write_lines_atomic(target, ["old"])

    def lines():
        yield "new"
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write.write_lines_atomic(target, lines())
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["x.jsonl"]


def test_dedup_folds_whitespace() -> None:
    a = Example.create(
        "qa", "s", {"question": "What is  ibis?"}, {"answer": "A library."}, {"origin": "x"}
    )
    b = Example.create(
        "qa", "s", {"question": "What is ibis?"}, {"answer": "A library."}, {"origin": "y"}
    )
    kept, dropped = dedup([a, b, a])
    assert kept == [a] and [(d.example, d.reject.key, d.kept) for d in dropped] == [
        (b, "duplicate", a.id),
        (a, "duplicate", a.id),
    ]


def test_python_api_mines_examples(fixture_package: Path) -> None:
    examples = list(api.mine([str(fixture_package)], tasks=["documentation"]))
    assert examples and all(e.task == "documentation" for e in examples)
    # a single path, as a string or a Path, is one source (not its characters)
    assert [e.id for e in api.mine(str(fixture_package), tasks="documentation")] == [
        e.id for e in examples
    ]


def test_concat_keeps_records_holding_line_separators(tmp_path: Path) -> None:
    from ibert_mine.pipeline.concat import concat

    record = Example.create(
        "qa",
        "s",
        {"question": "What is\u2028this?"},
        {"answer": "A line\u2028separator."},
        {"origin": "x"},
    )
    folder = tmp_path / "in"
    write.write_examples(folder / "qa_mined.jsonl", [record])
    result = concat(folder, [], tmp_path / "all.jsonl")
    assert result.written == 1
