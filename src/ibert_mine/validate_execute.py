"""``validate --execute``: re-check translation pairs by recompiling and re-executing them.

- ibis_to_sql: the program is compiled again in the record's dialect and must give the
  very same SQL; when the record says ``executed:duckdb``, the program and its DuckDB SQL
  must again return the same non-empty rows on the synthetic tables.
- sql_to_ibis: the SQL and the Ibis program must return the same non-empty rows.

Each distinct program runs once, in the sandbox. ``sample`` keeps the N records with the
smallest ids (ids are content hashes, so this is a fixed pseudo-random sample).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from ibert_mine.schema import canonical_json
from ibert_mine.snippets.sandbox import Sandbox

TRANSLATION_TASKS = frozenset({"ibis_to_sql", "sql_to_ibis"})
Located = tuple[str, dict[str, Any]]  # ("file:line", record)


def _tables(record: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    tables = (record.get("context") or {}).get("tables", {})
    return [(name, {"schema": list(spec["schema"].items()), "source": None})
            for name, spec in sorted(tables.items())]  # fmt: skip


def _program(record: dict[str, Any]) -> str:
    side = "input" if record["task"] == "ibis_to_sql" else "target"
    return record[side]["ibis"]


def execute_checks(
    records: list[Located], workers: int = 1, sample: int | None = None
) -> list[str]:
    """Problems (``file:line: reason``) found by re-running the translation records."""
    chosen = [r for r in records if r[1].get("task") in TRANSLATION_TASKS]
    if sample is not None:
        chosen = sorted(chosen, key=lambda r: r[1]["id"])[:sample]
    compile_groups: dict[str, list[Located]] = defaultdict(list)
    pair_jobs: list[tuple[Located, dict[str, Any]]] = []
    for where, record in chosen:
        tables = _tables(record)
        if record["task"] == "ibis_to_sql":
            compile_groups[canonical_json([_program(record), tables])].append((where, record))
        else:
            payload = {"code": _program(record), "tables": tables, "sql": record["input"]["sql"],
                       "dialect": record["input"].get("dialect")}  # fmt: skip
            pair_jobs.append(((where, record), payload))
    compile_jobs = []
    for group in compile_groups.values():
        first = group[0][1]
        # duckdb always: "executed:duckdb" is re-checked with the program's DuckDB SQL
        dialects = sorted({rec["input"]["dialect"] for _, rec in group} | {"duckdb"})
        payload = {"code": _program(first), "tables": _tables(first), "dialects": dialects,
                   "readable": False}  # fmt: skip
        compile_jobs.append((group, payload))
    problems: list[str] = []
    with Sandbox(workers=workers) as sandbox:
        outcomes = sandbox.map(
            "ibert_mine.snippets.verify:verify_program", [p for _, p in compile_jobs]
        )
        for (group, _), outcome in zip(compile_jobs, outcomes, strict=True):
            problems.extend(_compile_problems(group, outcome))
        outcomes = sandbox.map("ibert_mine.snippets.verify:check_sql", [p for _, p in pair_jobs])
        for ((where, _), _), outcome in zip(pair_jobs, outcomes, strict=True):
            if not outcome.ok:
                problems.append(f"{where}: execute: {outcome.status} {outcome.message or ''}")
            elif not outcome.value.get("executed"):
                problems.append(f"{where}: execute: {outcome.value.get('reason')}")
    return problems


def _compile_problems(group: list[Located], outcome: Any) -> list[str]:
    if not outcome.ok:
        what = f"{outcome.status} {outcome.error_type or ''} {outcome.message or ''}".strip()
        return [f"{where}: execute: the program no longer runs ({what})" for where, _ in group]
    value = outcome.value
    out = []
    for where, record in group:
        dialect = record["input"]["dialect"]
        if value["sql"].get(dialect) != record["target"]["sql"]:
            out.append(f"{where}: execute: recompiled {dialect} SQL differs from the target")
        if "executed:duckdb" in record["meta"].get("verified", []) and not value.get("executed"):
            out.append(
                f"{where}: execute: the DuckDB SQL no longer matches ({value.get('reason')})"
            )
    return out
