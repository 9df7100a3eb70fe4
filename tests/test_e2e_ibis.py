"""End to end over the installed ibis package: the issues' numbers, and validate passes."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from ibert_mine import api
from ibert_mine.pipeline.split import DEFAULT_SIZES, SPLIT_NAMES, assign, link_keys
from ibert_mine.tasks.translation import generated_alias
from ibert_mine.validate import validate_files


@pytest.mark.slow
def test_mine_installed_ibis(tmp_path: Path) -> None:
    out = tmp_path / "out"
    config = api.make_config((), output=out, workers=2)  # every task that has a miner
    result = api.mine_to(api.resolve_sources([]), config)
    # files with at least one kept example: 498 on ibis-framework 12.0.0 once near-duplicates
    # and repeated SQL go (files whose every example repeats another file's no longer count)
    assert result.files_mined >= 450
    counts = {task: len(examples) for task, examples in result.examples.items()}
    assert counts["documentation"] >= 1500  # one per documented symbol
    assert counts["code_completion"] >= 3000  # one per statement site
    assert counts["ibis_to_sql"] >= 3000  # one per distinct SQL of a program
    assert counts["sql_to_ibis"] >= 500  # one per SQL input
    to_sql = [json.loads(line) for line in (out / "ibis_to_sql_mined.jsonl").open()]
    assert len({r["input"]["dialect"] for r in to_sql}) >= 10
    from_sql = [json.loads(line) for line in (out / "sql_to_ibis_mined.jsonl").open()]
    assert len({json.dumps(r["input"]) for r in from_sql}) == len(from_sql)
    assert not any(generated_alias(r["input"]["sql"]) for r in from_sql)
    assert len({r["input"]["ibis"] + json.dumps(r["context"]) for r in to_sql}) >= 600
    report = validate_files([out], execute=True, sample=300, workers=2)
    assert report.problems == []
    assert report.unchecked_provenance == 0
    assert report.executed == 300
    assert report.records == sum(counts.values())
    assert counts["qa"] >= 1500  # grounded questions from the API reference
    # the splits of the real output: near their sizes, and nothing that belongs together
    # (an input, a file, a cluster, a program) in two of them
    records = [json.loads(line) for p in sorted(out.glob("*_mined.jsonl")) for line in p.open()]
    splits = assign(records)
    shares = Counter(splits)
    for name, target in zip(SPLIT_NAMES, DEFAULT_SIZES, strict=True):
        assert abs(shares[name] / len(records) - target) <= 0.01, (name, shares)
    where: dict[str, set[str]] = {}
    for record, split in zip(records, splits, strict=True):
        for key in link_keys(record):
            where.setdefault(key, set()).add(split)
    assert [key for key, found in where.items() if len(found) > 1] == []
