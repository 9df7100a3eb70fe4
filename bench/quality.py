"""Dataset quality figures of a mined folder (issue 10's measures).

- near-duplicate rate: the share of a sample (2,000 per task, seed 0) whose nearest
  neighbour in the same task (for ibis_to_sql, the same task and dialect) has token 5-gram
  Jaccard >= 0.7 (exact, ``ibert_mine.pipeline.near_dup``);
- sql_to_ibis inputs with more than one target; Ibis-generated aliases in its inputs;
- translation targets using private API; completions whose missing span is a lone
  identifier or literal.

Run: ``python bench/quality.py [DIR] [--sample N] [--record]``; ``--record`` appends the
figures to ``bench/quality.md``.
"""

from __future__ import annotations

import argparse
import ast
import json
import random
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

from ibert_mine.pipeline.near_dup import THRESHOLD, example_text, nearest, shingles

AUTO_ALIAS = re.compile(r'AS "[A-Z][A-Za-z0-9]*\(')
PRIVATE = re.compile(r"\bops\.|\.op\(\)|\._[a-z]\w*\(|ibis\.expr\.operations")


def read(folder: Path) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for path in sorted(folder.glob("*_mined.jsonl")):
        records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        out[path.name.removesuffix("_mined.jsonl")] = records
    return out


def near_dup_rate(records: list[dict], task: str, sample: int) -> float:
    groups: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(records):
        groups[r["input"].get("dialect", "") if task == "ibis_to_sql" else ""].append(i)
    sets = [shingles(example_text(r)) for r in records]
    chosen = sorted(random.Random(0).sample(range(len(records)), min(sample, len(records))))
    hits = 0
    for members in groups.values():
        wanted = [i for i in chosen if i in set(members)]
        local = [sets[i] for i in members]
        position = {i: k for k, i in enumerate(members)}
        best = nearest([position[i] for i in wanted], local)
        hits += sum(b >= THRESHOLD for b in best)
    return hits / len(chosen) if chosen else 0.0


def lone_span(record: dict) -> bool:
    """The missing span is one name, attribute chain or literal (nothing to compute)."""
    if "middle" in record["target"]:
        span = record["target"]["middle"]
    else:
        span = record["target"]["completed_code"][len(record["input"]["partial_code"]) :]
    try:
        node = ast.parse(span.strip(), mode="eval").body
    except SyntaxError:
        return False
    while isinstance(node, ast.Attribute):
        node = node.value
    return isinstance(node, ast.Name | ast.Constant)


def figures(folder: Path, sample: int) -> dict[str, object]:
    data = read(folder)
    out: dict[str, object] = {"counts": {t: len(r) for t, r in data.items()}}
    out["near_dup"] = {t: round(near_dup_rate(r, t, sample), 4) for t, r in data.items() if r}
    s2i = data.get("sql_to_ibis", [])
    inputs = Counter(json.dumps(r["input"], sort_keys=True) for r in s2i)
    out["sql_to_ibis_inputs_with_several_targets"] = sum(n > 1 for n in inputs.values())
    auto = sum(bool(AUTO_ALIAS.search(r["input"]["sql"])) for r in s2i)
    out["sql_to_ibis_auto_alias_inputs"] = auto
    out["ibis_to_sql_auto_alias_targets"] = sum(
        bool(AUTO_ALIAS.search(r["target"]["sql"])) for r in data.get("ibis_to_sql", [])
    )
    private = sum(bool(PRIVATE.search(r["target"]["ibis"])) for r in s2i)
    private += sum(bool(PRIVATE.search(r["input"]["ibis"])) for r in data.get("ibis_to_sql", []))
    out["translation_private_api"] = private
    completions = data.get("code_completion", [])
    lone = sum(lone_span(r) for r in completions)
    out["completion_lone_span_share"] = round(lone / len(completions), 4) if completions else 0
    dialects = {r["input"]["dialect"] for r in data.get("ibis_to_sql", [])}
    out["ibis_to_sql_dialects"] = len(dialects)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", default="data/mining/multitask", type=Path)
    parser.add_argument("--sample", type=int, default=2000)
    parser.add_argument("--record", action="store_true")
    args = parser.parse_args()
    start = time.perf_counter()
    found = figures(args.folder, args.sample)
    found["seconds"] = round(time.perf_counter() - start, 1)
    print(json.dumps(found, indent=1))
    if args.record:
        with (Path(__file__).parent / "quality.md").open("a", encoding="utf-8") as handle:
            handle.write(f"\n`{args.folder}` ({' '.join(sys.argv[1:])}):\n\n```json\n")
            handle.write(json.dumps(found, indent=1) + "\n```\n")


if __name__ == "__main__":
    main()
