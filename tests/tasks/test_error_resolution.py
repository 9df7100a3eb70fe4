"""error_resolution's executed mistakes end to end: the snapshot package mined, its records
valid and re-run by validate --execute; the balance of kinds and programs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ibert_mine import api
from ibert_mine.core.config import Config
from ibert_mine.core.example import Example
from ibert_mine.sources.resolve import resolve
from ibert_mine.tasks.error_resolution import executed
from ibert_mine.validate import validate_files
from tests.tasks.test_translation import write_snapshot_package

TASK = "error_resolution"


def mine(folder: Path, output: Path, workers: int) -> Any:
    config = Config(tasks=(TASK,), output=output, workers=workers, ibis_api=frozenset())
    return api.mine_to([resolve(str(folder))], config)


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("mistakes")
    folder = write_snapshot_package(root)
    result = mine(folder, root / "one", workers=1)
    records = [json.loads(line) for line in (root / "one" / f"{TASK}_mined.jsonl").open()]
    return {"root": root, "folder": folder, "result": result, "records": records}


def test_snapshot(run: dict[str, Any], snapshot) -> None:
    text = (run["root"] / "one" / f"{TASK}_mined.jsonl").read_text(encoding="utf-8")
    snapshot(text, "error_resolution_snippets.jsonl")
    counts = run["result"].rejects.of(TASK)
    snapshot(json.dumps(counts, indent=1) + "\n", "error_resolution_snippets.rejects.json")


def test_records_hold_real_errors_and_the_original_program(run: dict[str, Any]) -> None:
    records = run["records"]
    assert len({r["meta"]["mistake"] for r in records}) >= 5
    for record in records:
        assert record["meta"]["origin"] == "executed"
        error, kind = record["input"]["error"], record["meta"]["error_type"]
        assert error.startswith(f"{kind}:") and " at 0x" not in error
        assert record["input"]["broken_code"] != record["target"]["fixed_code"]
        assert set(record["context"]["tables"])
        source = (run["folder"] / record["meta"]["path"]).read_text()
        # the fix is the program as found (a doctest's or a test's own statements)
        assert record["target"]["fixed_code"].splitlines()[-1].strip() in source


def test_validate_execute_reproduces_every_error(run: dict[str, Any]) -> None:
    report = validate_files([run["root"] / "one" / f"{TASK}_mined.jsonl"], execute=True)
    assert report.problems == [] and report.executed == len(run["records"])


def test_two_workers_give_the_same_bytes(run: dict[str, Any]) -> None:
    mine(run["folder"], run["root"] / "two", workers=2)
    one = (run["root"] / "one" / f"{TASK}_mined.jsonl").read_bytes()
    assert (run["root"] / "two" / f"{TASK}_mined.jsonl").read_bytes() == one


def _example(program: str, kind: str, n: int) -> Example:
    meta = {"origin": "executed", "mistake": kind}
    return Example.create(TASK, "x", {"broken_code": f"{n}", "error": "E"},
                          {"fixed_code": program, "explanation": "why"}, meta)  # fmt: skip


def test_select_caps_mistakes_per_program_and_share_per_kind() -> None:
    found = [_example(f"p{p}", k, p * 10 + i) for p in range(30) for i, k in enumerate("abcde")]
    found += [_example(f"q{p}", "a", p) for p in range(40)]
    decisions = executed.select(found)
    kept = [e for e, d in zip(found, decisions, strict=True) if d is None]
    per_program: dict[str, int] = {}
    for e in kept:
        per_program[e.target["fixed_code"]] = per_program.get(e.target["fixed_code"], 0) + 1
    assert max(per_program.values()) == executed.PER_PROGRAM
    kinds = [e.meta["mistake"] for e in kept]
    assert max(kinds.count(k) for k in set(kinds)) <= executed.KIND_SHARE * len(kept)
    reasons = {d.key for d in decisions if d is not None}
    assert reasons == {"program_has_many", "kind_capped"}
