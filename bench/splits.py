"""Leakage and balance of the splits of a mined folder (issue 14).

Reads every ``*_mined.jsonl`` of DIR, assigns the splits as ``concat --split`` does and
prints: examples per split and task, each split's share; exact inputs (per task), files,
near-duplicate clusters and programs found in more than one split (all must be 0); and
how stable the assignment is: with a share of the groups, or of the records, left out (as
if they were mined later), how many of the others' examples change split.

Run: ``python bench/splits.py DIR [--sizes 90/5/5] [--leave-out 0.05]``.
"""

from __future__ import annotations

import argparse
import random
from collections import Counter, defaultdict
from pathlib import Path

from ibert_mine.pipeline.export import read_records
from ibert_mine.pipeline.split import SPLIT_NAMES, assign, groups, link_keys, parse_sizes


def spanning(records: list[dict], splits: list[str]) -> Counter[str]:
    """For each kind of link key, how many keys are held by records of two splits."""
    where: dict[str, set[str]] = defaultdict(set)
    for record, split in zip(records, splits, strict=True):
        for key in link_keys(record):
            where[key].add(split)
    return Counter(key.split("\0", 1)[0] for key, found in where.items() if len(found) > 1)


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", type=Path)
    parser.add_argument("--sizes", default="90/5/5")
    parser.add_argument("--leave-out", type=float, default=0.05)
    args = parser.parse_args()
    records = read_records(args.folder)
    sizes = parse_sizes(args.sizes)
    splits = assign(records, sizes)
    total = Counter(splits)
    print(f"{len(records)} records in {len(groups(records))} groups")
    for name in SPLIT_NAMES:
        print(f"  {name}: {total[name]} ({100 * total[name] / len(records):.2f}%)")
    per_task = Counter((r["task"], s) for r, s in zip(records, splits, strict=True))
    for task in sorted({r["task"] for r in records}):
        print(f"  {task}: " + ", ".join(f"{s} {per_task[(task, s)]}" for s in SPLIT_NAMES))
    crossing = spanning(records, splits)
    kinds = ("input", "file", "thread", "commit", "cluster", "program")
    print("keys in two splits: " + ", ".join(f"{k} {crossing[k]}" for k in kinds))
    chosen = groups(records)
    rng = random.Random(0)
    by_group = {i for g in rng.sample(chosen, int(len(chosen) * args.leave_out)) for i in g}
    by_record = set(rng.sample(range(len(records)), int(len(records) * args.leave_out)))
    for what, left in (("groups", by_group), ("records", by_record)):
        kept = [i for i in range(len(records)) if i not in left]
        again = assign([records[i] for i in kept], sizes)
        moved = sum(1 for i, s in zip(kept, again, strict=True) if splits[i] != s)
        print(
            f"stability, {args.leave_out:.0%} of the {what} left out ({len(left)} records): "
            f"{moved} of the other {len(kept)} change split ({100 * moved / len(kept):.2f}%)"
        )


if __name__ == "__main__":
    main()
