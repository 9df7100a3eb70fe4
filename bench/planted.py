"""Planted-mutation benchmark (issue 11): does ``validate --execute`` catch a nearly right target?

For N examples per translation task (fixed seed), one mutation is planted in the target,
the id recomputed, and the planted records validated with ``--execute`` (without a
manifest, so provenance is not what catches them: execution must):

- sql_to_ibis: the target Ibis becomes one of its own mutants that builds and compiles
  to other SQL (``ibert_mine.execution.kill:mutant_programs``, chosen at random). These
  come from the rules whose kills chose the recorded draws, so the same records are also
  planted with a held-out mutation: sqlglot's, in the *input* SQL;
- ibis_to_sql: the target SQL gets a sqlglot mutation in its dialect (a comparison, a
  literal moved, a predicate dropped). ``validate`` recompiles the program, so any change
  of text is caught; the same kind of mutation is therefore also planted in the program's
  DuckDB SQL and run against the program on the recorded draws, which is what the data
  alone can tell.

A planted mutant that returns the query's rows on the large equivalence draws too (one
aimed, one plain random) is counted as equivalent and left out of the rates, except
``validate_rejects_of_all_planted``; a few are listed to be read. ``suite only`` is the
rate without the aimed draws (before issue 11).

Run: ``python bench/planted.py OUT [--n 200] [--seed 0] [--workers 2]``.
"""

from __future__ import annotations

import argparse
import difflib
import json
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import sqlglot
from sqlglot import exp

from ibert_mine.core.example import example_id
from ibert_mine.execution import PRELOAD
from ibert_mine.execution.draws import EQUIVALENCE
from ibert_mine.execution.mutants.rules import next_string
from ibert_mine.execution.sql_compile import sqlglot_dialect
from ibert_mine.sandbox.pool import Sandbox
from ibert_mine.tasks.translation import aimed_draws, tables_of
from ibert_mine.validate import validate_files

CHECK = "ibert_mine.execution.verify:check_sql"
_FLIPS = {exp.GT: exp.GTE, exp.GTE: exp.GT, exp.LT: exp.LTE, exp.LTE: exp.LT, exp.EQ: exp.NEQ,
          exp.NEQ: exp.EQ}  # fmt: skip
EQUIVALENCE_DRAWS = [[d.seed, d.rows] for d in EQUIVALENCE]


def sql_mutations(sql: str, dialect: Any) -> list[tuple[str, str]]:
    """(kind, SQL) of every comparison flipped, literal moved and predicate dropped."""
    tree = sqlglot.parse_one(sql, read=dialect)
    out: list[tuple[str, str]] = []
    for index, node in enumerate(tree.walk()):
        for kind, new in _replacements(node):
            copy = tree.copy()
            target = list(copy.walk())[index]
            target.replace(new) if new is not None else target.pop()
            out.append((kind, copy.sql(dialect=dialect, pretty=True)))
    return [(k, s) for k, s in dict.fromkeys(out) if s != sql]


def _replacements(node: exp.Expression) -> list[tuple[str, exp.Expression | None]]:
    if type(node) in _FLIPS:
        return [
            (
                "comparison",
                _FLIPS[type(node)](this=node.this.copy(), expression=node.expression.copy()),
            )
        ]
    if isinstance(node, exp.Literal) and not node.is_string and node.this.lstrip("-").isdigit():
        return [("literal", exp.Literal.number(int(node.this) + 1))]
    if isinstance(node, exp.Literal) and node.is_string:
        return [("literal", exp.Literal.string(next_string(node.this)))]
    if isinstance(node, exp.And):
        return [("drop_predicate", node.left.copy()), ("drop_predicate", node.right.copy())]
    if isinstance(node, exp.Where):
        return [("drop_predicate", None)]
    return []


def _with_equivalence(aimed: dict[str, list]) -> dict[str, list]:
    """The recorded aimed draws and the two large equivalence draws."""
    return {**aimed, "aimed": aimed["aimed"] + EQUIVALENCE_DRAWS}


def planted_record(record: dict, target: dict) -> dict:
    """``record`` with another target and the id that goes with it."""
    out = {**record, "target": target}
    out["id"] = example_id(record["task"], record["input"], target)
    return out


def validate_planted(records: list[dict], task: str, workers: int) -> set[int]:
    """The positions of the records ``validate --execute`` finds a problem in."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{task}_mined.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
        report = validate_files([path], execute=True, workers=workers)
    return {int(p.split(":")[1]) - 1 for p in report.problems}


def check(sandbox: Sandbox, pairs: list[tuple[str, dict, str, str, dict]]) -> list[bool]:
    """For each (code, record, SQL, dialect, aimed draws): do program and SQL agree on the
    suite and on those draws?"""
    payloads = [{"code": code, "tables": tables_of(rec), "sql": sql, "dialect": dialect,
                 **aimed} for code, rec, sql, dialect, aimed in pairs]  # fmt: skip
    return [o.ok and bool(o.value.get("executed")) for o in sandbox.map(CHECK, payloads)]


def plant_sql_to_ibis(sandbox: Sandbox, records: list[dict], rng: random.Random) -> list[dict]:
    """One planted case per record: its mutant program, kind, and the planted record."""
    payloads = [{"code": r["target"]["ibis"], "tables": tables_of(r)} for r in records]
    cases = []
    for record, outcome in zip(
        records, sandbox.map("ibert_mine.execution.kill:mutant_programs", payloads), strict=True
    ):
        if outcome.ok and outcome.value:
            kind, code = rng.choice(outcome.value)
            planted = planted_record(record, {"ibis": code})
            pair = (code, record["input"]["sql"], record["input"].get("dialect") or "duckdb")
            change = changed_lines(record["target"]["ibis"], code)
            cases.append({"kind": kind, "record": record, "planted": planted, "pair": pair,
                          "change": change})  # fmt: skip
    return cases


def plant_sql_side(sandbox: Sandbox, records: list[dict], rng: random.Random) -> list[dict]:
    """sql_to_ibis with the mutation planted in the *input* SQL (sqlglot's mutations, not
    the miner's own mutant rules: a held-out check of the same records)."""
    del sandbox  # nothing to run to plant
    cases = []
    for record in records:
        dialect = record["input"].get("dialect") or "duckdb"
        own = sql_mutations(record["input"]["sql"], sqlglot_dialect(dialect))
        if not own:
            continue
        kind, sql = rng.choice(own)
        planted = {**record, "input": {**record["input"], "sql": sql}}
        planted["id"] = example_id(record["task"], planted["input"], record["target"])
        pair = (record["target"]["ibis"], sql, dialect)
        cases.append({"kind": kind, "record": record, "planted": planted, "pair": pair,
                      "change": changed_lines(record["input"]["sql"], sql)})  # fmt: skip
    return cases


def plant_ibis_to_sql(sandbox: Sandbox, records: list[dict], rng: random.Random) -> list[dict]:
    """One planted case per record: a SQL mutation of its target (for validate) and one of
    the same kind of its program's DuckDB SQL (for the data)."""
    payloads = [{"code": r["input"]["ibis"], "tables": tables_of(r), "dialects": ["duckdb"]}
                for r in records]  # fmt: skip
    verify = "ibert_mine.execution.verify:verify_program"
    cases = []
    for record, outcome in zip(records, sandbox.map(verify, payloads), strict=True):
        if not (outcome.ok and "duckdb" in outcome.value["sql"]):
            continue
        dialect = sqlglot_dialect(record["input"]["dialect"])
        own = sql_mutations(record["target"]["sql"], dialect)
        duck = sql_mutations(outcome.value["sql"]["duckdb"], "duckdb")
        if not own or not duck:
            continue
        kind, sql = rng.choice(own)
        same_kind = [s for k, s in duck if k == kind]
        if not same_kind:  # the data is judged on a mutation of the same kind only
            continue
        duck, duck_sql = outcome.value["sql"]["duckdb"], rng.choice(same_kind)
        cases.append({"kind": kind, "record": record,
                      "planted": planted_record(record, {"sql": sql}),
                      "pair": (record["input"]["ibis"], duck_sql, "duckdb"),
                      "change": changed_lines(duck, duck_sql)})  # fmt: skip
    return cases


def measure(task: str, cases: list[dict], sandbox: Sandbox, workers: int) -> dict[str, Any]:
    """Detection by validate, by the data with and without the aimed draws, per kind."""
    rejected = validate_planted([c["planted"] for c in cases], task, workers)
    pairs = [(c["pair"][0], c["record"], c["pair"][1], c["pair"][2]) for c in cases]
    aimed = check(
        sandbox, [(*p, aimed_draws(c["record"])) for p, c in zip(pairs, cases, strict=True)]
    )
    suite = check(sandbox, [(*p, {}) for p in pairs])
    equivalent = check(sandbox, [(*p, _with_equivalence(aimed_draws(c["record"])))
                                 for p, c in zip(pairs, cases, strict=True)])  # fmt: skip
    kinds: dict[str, Counter[str]] = {}
    same: list[dict[str, Any]] = []  # a few of the planted mutants no draw tells apart
    for i, case in enumerate(cases):
        tally = kinds.setdefault(case["kind"], Counter())
        tally["planted"] += 1
        tally["equivalent"] += equivalent[i]
        tally["validate_all"] += i in rejected
        if equivalent[i] and len(same) < 10:
            same.append({"kind": case["kind"], "change": case["change"]})
        if not equivalent[i]:
            tally["validate"] += i in rejected
            tally["data"] += not aimed[i]
            tally["suite_only"] += not suite[i]
    total = sum(kinds.values(), Counter())
    real = total["planted"] - total["equivalent"]

    def rate(key: str, t: Counter[str] = total) -> float:
        n = t["planted"] - t["equivalent"]
        return round(t[key] / n, 4) if n else 1.0

    return {
        "planted": total["planted"],
        "equivalent": total["equivalent"],
        "validate_rejects": rate("validate"),
        "validate_rejects_of_all_planted": round(total["validate_all"] / total["planted"], 4),
        "data_detects": rate("data"),
        "suite_only_detects": rate("suite_only"),
        "not_equivalent": real,
        "per_kind": {
            k: {
                "planted": t["planted"],
                "equivalent": t["equivalent"],
                "validate_rejects": rate("validate", t),
                "data_detects": rate("data", t),
                "suite_only_detects": rate("suite_only", t),
            }
            for k, t in sorted(kinds.items())
        },
        "equivalent_examples": same,
    }


def distinct_programs(records: list[dict], rng: random.Random) -> list[dict]:
    """The executed records in a random order, one per program (ibis_to_sql has one per
    dialect)."""
    executed = [r for r in records if "mutants" in r["meta"]]
    seen: set[str] = set()
    out = []
    for record in rng.sample(executed, len(executed)):
        program = record["input"].get("ibis") or record["target"]["ibis"]
        if program not in seen:
            seen.add(program)
            out.append(record)
    return out


def planted_cases(sandbox: Sandbox, plant: Any, records: list[dict], n: int, rng: random.Random):
    """``n`` planted cases, taking records in turn (one with no mutation to plant is passed
    over)."""
    cases: list[dict] = []
    for start in range(0, len(records), n):
        if len(cases) >= n:
            break
        cases += plant(sandbox, records[start : start + n], rng)
    return cases[:n]


def changed_lines(before: str, after: str) -> list[str]:
    """The lines of a diff from ``before`` to ``after`` that differ."""
    diff = difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
    return [line for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---")]


PLANTS = (  # (what is reported, the task, how its targets are planted)
    ("sql_to_ibis", "sql_to_ibis", plant_sql_to_ibis),
    ("sql_to_ibis, planted in the SQL", "sql_to_ibis", plant_sql_side),
    ("ibis_to_sql", "ibis_to_sql", plant_ibis_to_sql),
)


def main() -> int:
    """Plant, validate, print the rates as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    start = time.perf_counter()
    out: dict[str, Any] = {}
    with Sandbox(workers=args.workers, preload=PRELOAD) as sandbox:
        for name, task, plant in PLANTS:
            path = args.folder / f"{task}_mined.jsonl"
            records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
            rng = random.Random(args.seed)
            cases = planted_cases(sandbox, plant, distinct_programs(records, rng), args.n, rng)
            out[name] = measure(task, cases, sandbox, args.workers)
    out["seconds"] = round(time.perf_counter() - start, 1)
    json.dump(out, sys.stdout, indent=1)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
