"""``validate --execute`` for error_resolution: the broken code still fails, the fix runs.

Records with the same fixed program share one run: the fixed program is verified again
(:func:`~ibert_mine.execution.verify.verify_program`: built, compiled, and its DuckDB SQL
returning its rows on synthetic tables), and each record's broken code must raise the very
error the record states. Records described but not executed (``origin: git``) have
nothing to re-run.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ibert_mine.core.example import canonical_json
from ibert_mine.sandbox.outcome import Outcome
from ibert_mine.tasks.contract import Located, Record, Replay
from ibert_mine.tasks.translation import tables_of

EXECUTED_ORIGINS = ("executed",)


def _group(record: Record) -> str:
    if record["meta"].get("origin") not in EXECUTED_ORIGINS:
        return canonical_json(["described", record["id"]])
    return canonical_json([record["target"]["fixed_code"], tables_of(record)])


def _payload(group: list[Located]) -> dict[str, Any]:
    first = group[0][1]
    if first["meta"].get("origin") not in EXECUTED_ORIGINS:
        return {"fixed": None, "broken": []}
    return {
        "fixed": first["target"]["fixed_code"],
        "tables": tables_of(first),
        "broken": [record["input"]["broken_code"] for _, record in group],
    }


def _problems(group: list[Located], outcome: Outcome) -> Iterator[str]:
    if group[0][1]["meta"].get("origin") not in EXECUTED_ORIGINS:
        return
    if not outcome.ok:
        what = outcome.describe()
        for where, _ in group:
            yield f"{where}: execute: the replay failed ({what})"
        return
    value = outcome.value
    for (where, record), error in zip(group, value["errors"], strict=True):
        if not value["fixed_runs"]:
            yield f"{where}: execute: the fixed code no longer runs ({value['why']})"
        if error != record["input"]["error"]:
            now = "it builds" if error is None else error[:120]
            yield f"{where}: execute: the broken code no longer raises the stated error ({now})"


REPLAY = Replay(
    func="ibert_mine.execution.verify:check_mistakes",
    group=_group,
    payload=_payload,
    problems=_problems,
)
