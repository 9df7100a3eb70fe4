"""What the two translation tasks check alike: SQL that parses, and re-running a pair.

- :func:`check_sql`: the record's SQL parses with sqlglot in its dialect (the dialect Ibis
  compiles with, or a sqlglot dialect name).
- :data:`RECOMPILE` (ibis_to_sql): each distinct program is compiled again in the records'
  dialects and must give the very same SQL; when a record was executed, the program and
  its DuckDB SQL must again return the same non-empty rows.
- :data:`REEXECUTE` (sql_to_ibis): the SQL and the Ibis program must return the same
  non-empty rows.
- Both replay the suite of draws and the aimed draws that killed the program's mutants
  (:func:`with_evidence` records them in ``meta.mutants``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import sqlglot
from sqlglot.errors import SqlglotError

from ibert_mine.core.example import canonical_json
from ibert_mine.core.meta import MetaKey
from ibert_mine.core.reasons import Reason
from ibert_mine.execution.kill import weak
from ibert_mine.execution.mutants import CAP
from ibert_mine.execution.readable import GENERATED_ALIAS
from ibert_mine.execution.sql_compile import sqlglot_dialect
from ibert_mine.sandbox.outcome import Outcome
from ibert_mine.tasks.contract import Located, Record, Replay

VERIFIED = MetaKey(
    "verified",
    "strings",
    "the checks the pair passed: compiled (Ibis compiled the program), parsed:<dialect>"
    " (sqlglot parses the SQL back), executed:duckdb (both sides returned the same"
    " non-empty rows on synthetic tables), snapshot (the SQL equals the test's snapshot file)",
)


MUTANTS = MetaKey(
    "mutants",
    "mutants",
    "how well the pair's data tells it from its near misses (the program's mutants:"
    " operators, literals, predicates, aggregates, sort, join, limit, columns): killed of"
    " total non-equivalent mutants, the aimed draws [seed, rows] that killed them and the"
    " literals they were aimed at (replayed by validate --execute); survived: mutants no"
    " draw told apart, counted as equivalent; capped: how many mutants there were when"
    " over the cap",
)


def with_evidence(meta: dict[str, Any], report: dict[str, Any] | None) -> dict[str, Any]:
    """``meta`` with the mutant evidence of an executed pair: ``meta.mutants``; and when
    the data kills too few of them, tag ``weak_evidence`` and no ``executed:duckdb``."""
    if report is None:
        return meta
    value = {"killed": report["killed"], "total": report["total"], "draws": report["draws"]}
    if report["draws"]:
        value["aimed_at"] = report["aimed_at"]
    if report.get("survived"):
        value["survived"] = report["survived"]
    if report["candidates"] > CAP:
        value["capped"] = report["candidates"]
    out = {**meta, "mutants": value}
    if weak(report):
        out["verified"] = [v for v in meta.get("verified", []) if v != "executed:duckdb"]
        out["tags"] = [*(meta.get("tags") or []), "weak_evidence"]
    return out


def aimed_draws(record: Record) -> dict[str, list[Any]]:
    """The aimed draws a record's pair is replayed on and what they are aimed at, as the
    payload keys ``aimed`` and ``aimed_at`` (from ``meta.mutants``)."""
    evidence = record["meta"].get("mutants") or {}
    return {
        "aimed": list(evidence.get("draws", [])),
        "aimed_at": list(evidence.get("aimed_at", [])),
    }


def generated_alias(sql: str) -> bool:
    """True when ``sql`` names a column after its expression, as Ibis names an unnamed one
    (``AS "StringConcat((s, 'xyz'))"``): a name no person writes."""
    return bool(GENERATED_ALIAS.search(sql))


# Ibis names a helper table or column it makes up ``ibis_<what>_<26 random characters>``:
# fixed per program (execution/tables.py), but no reader of the program could write it
_RANDOM_NAME = re.compile(r"\bibis_[a-z_]+_[0-9a-z]{20,}\b")
RANDOM_NAME = Reason(
    "random_name", "the SQL holds a name Ibis made up with random characters (ibis_..._x7q...)"
)


def random_name(sql: str) -> bool:
    """True when ``sql`` holds a name Ibis generated with random characters."""
    return bool(_RANDOM_NAME.search(sql))


def check_sql(record: Record) -> Iterator[str]:
    """The SQL side of a translation record parses in its dialect."""
    sql = record["target"].get("sql") or record["input"].get("sql")
    dialect = record["input"].get("dialect") or None
    try:
        read = sqlglot_dialect(dialect) if dialect else None
    except ImportError:
        read = dialect  # not an Ibis compiler: a sqlglot dialect name
    try:
        sqlglot.parse_one(sql, read=read)
    except (SqlglotError, ValueError) as err:
        yield f"sql does not parse in {dialect or 'the default dialect'}: {str(err)[:80]}"


def tables_of(record: Record) -> list[tuple[str, dict[str, Any]]]:
    """The record's ``context.tables`` as the sandbox's jobs take them."""
    tables = (record.get("context") or {}).get("tables", {})
    return [(name, {"schema": list(spec["schema"].items()), "source": None})
            for name, spec in sorted(tables.items())]  # fmt: skip


def _program_key(record: Record) -> str:
    return canonical_json([record["input"]["ibis"], tables_of(record)])


def _dialects(record: Record) -> list[str]:
    """The record's dialect and those it stands for (``same_sql_as``)."""
    return [record["input"]["dialect"], *record["meta"].get("same_sql_as", [])]


def _recompile_payload(group: list[Located]) -> dict[str, Any]:
    first = group[0][1]
    # duckdb always: "executed:duckdb" is re-checked with the program's DuckDB SQL
    dialects = sorted({d for _, rec in group for d in _dialects(rec)} | {"duckdb"})
    return {"code": first["input"]["ibis"], "tables": tables_of(first), "dialects": dialects,
            "readable": False, **aimed_draws(first)}  # fmt: skip


def _recompile_problems(group: list[Located], outcome: Outcome) -> Iterator[str]:
    if not outcome.ok:
        what = outcome.describe()
        for where, _ in group:
            yield f"{where}: execute: the program no longer runs ({what})"
        return
    value = outcome.value
    for where, record in group:
        for dialect in _dialects(record):
            if value["sql"].get(dialect) != record["target"]["sql"]:
                yield f"{where}: execute: recompiled {dialect} SQL differs from the target"
        ran = "executed:duckdb" in record["meta"].get("verified", []) or "mutants" in record["meta"]
        if ran and not value.get("executed"):
            yield f"{where}: execute: the DuckDB SQL no longer matches ({value.get('reason')})"


def _pair_payload(group: list[Located]) -> dict[str, Any]:
    record = group[0][1]
    return {"code": record["target"]["ibis"], "tables": tables_of(record),
            "sql": record["input"]["sql"], "dialect": record["input"].get("dialect"),
            **aimed_draws(record)}  # fmt: skip


def _pair_problems(group: list[Located], outcome: Outcome) -> Iterator[str]:
    for where, _ in group:
        if not outcome.ok:
            yield f"{where}: execute: {outcome.status} {outcome.message or ''}"
        elif not outcome.value.get("executed"):
            yield f"{where}: execute: {outcome.value.get('reason')}"


RECOMPILE = Replay(
    func="ibert_mine.execution.verify:verify_program",
    group=_program_key,
    payload=_recompile_payload,
    problems=_recompile_problems,
)
REEXECUTE = Replay(
    func="ibert_mine.execution.verify:check_sql",
    group=lambda record: record["id"],
    payload=_pair_payload,
    problems=_pair_problems,
)
