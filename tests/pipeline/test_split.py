"""Splits: what belongs together stays together, sizes near their targets, order-free."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from ibert_mine.pipeline.split import assign, groups, parse_sizes


def _record(i: int, path: str, task: str = "documentation", **meta) -> dict:
    return {
        "id": f"{i:016x}", "task": task, "source": "src",
        "input": {"code": f"def f{i}(): ..."}, "target": {"docstring": f"Doc {i}."},
        "meta": {"path": path, "origin": "docstring", **meta},
    }  # fmt: skip


def test_a_file_a_cluster_a_program_and_an_input_link_records() -> None:
    records = [
        _record(0, "a.py"),
        _record(1, "a.py"),  # same file
        _record(2, "b.py", cluster={"id": "c1", "size": 2}),
        _record(3, "c.py", cluster={"id": "c1", "size": 2}),  # same cluster
        {**_record(4, "d.py", "ibis_to_sql"), "input": {"ibis": "t.a.sum()", "dialect": "x"}},
        {**_record(5, "e.py", "sql_to_ibis"), "target": {"ibis": "t.a.sum()"}},  # same program
        {**_record(6, "f.py"), "input": {"code": "def f0(): ..."}},  # the input of record 0
        _record(7, "g.py"),
    ]
    found = sorted(sorted(g) for g in groups(records))
    assert found == [[0, 1, 6], [2, 3], [4, 5], [7]]


def test_threads_of_one_export_are_apart_and_commits_together() -> None:
    records = [
        _record(0, "issues.json", origin="github", thread="1"),
        _record(1, "issues.json", origin="github", thread="2"),
        _record(2, "x.py", origin="git", commit="abc"),
        _record(3, "y.py", origin="git", commit="abc"),
    ]
    assert sorted(sorted(g) for g in groups(records)) == [[0], [1], [2, 3]]


def test_sizes_are_met_and_nothing_depends_on_the_input_order() -> None:
    rng = random.Random(0)
    records = [_record(i, f"m{rng.randrange(400)}.py") for i in range(4000)]
    splits = assign(records)
    shares = {k: v / len(records) for k, v in Counter(splits).items()}
    assert shares["train"] == pytest.approx(0.90, abs=0.01)
    assert shares["valid"] == pytest.approx(0.05, abs=0.01)
    assert shares["test"] == pytest.approx(0.05, abs=0.01)
    by_file: dict[str, set[str]] = {}
    for record, split in zip(records, splits, strict=True):
        by_file.setdefault(record["meta"]["path"], set()).add(split)
    assert all(len(found) == 1 for found in by_file.values())
    shuffled = list(range(len(records)))
    rng.shuffle(shuffled)
    again = assign([records[i] for i in shuffled])
    assert all(again[j] == splits[i] for j, i in enumerate(shuffled))


def test_split_sizes_are_parsed() -> None:
    assert parse_sizes("80/10/10") == (80.0, 10.0, 10.0)
    assert parse_sizes("8,1,1") == (8.0, 1.0, 1.0)
    for bad in ("90/10", "a/b/c", "-1/1/1", "0/0/0"):
        with pytest.raises(ValueError, match="three numbers"):
            parse_sizes(bad)


def test_a_group_too_big_for_a_held_out_split_goes_to_train() -> None:
    records = [_record(i, f"m{i}.py") for i in range(1000)]
    records += [_record(1000 + i, "big.py") for i in range(30)]  # 3% of the examples
    splits = assign(records)
    assert {splits[i] for i in range(1000, 1030)} == {"train"}
    assert Counter(splits)["valid"] == pytest.approx(0.05 * len(records), abs=1)


def test_examples_added_later_move_only_the_groups_at_the_boundaries() -> None:
    rng = random.Random(1)
    records = [_record(i, f"m{rng.randrange(600)}.py") for i in range(3000)]
    files = sorted({r["meta"]["path"] for r in records})
    later = set(rng.sample(files, 30))  # 5% of the files are mined later
    before = [r for r in records if r["meta"]["path"] not in later]
    first = dict(zip((r["id"] for r in before), assign(before), strict=True))
    after = dict(zip((r["id"] for r in records), assign(records), strict=True))
    moved = [i for i, split in first.items() if after[i] != split]
    assert len(moved) <= 0.01 * len(before)
