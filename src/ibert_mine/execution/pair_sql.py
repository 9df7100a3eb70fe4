"""Pair hand-written SQL with Ibis that computes it, by execution (a sandbox worker job).

:func:`pair_human_sql` runs the SQL (transpiled to DuckDB by sqlglot when written for
another dialect, as ``Table.sql(..., dialect=...)`` does) and each candidate program on
the same synthetic tables, as :func:`ibert_mine.execution.pairs.execute_pair` does for
hand-written SQL: same rows on every draw (the 120-row one too), rows on at least one, and
the same column names, outermost ORDER BY and LIMIT. The first candidate that agrees is the
pair; when none does, Ibis decompiled from the SQL (``ibis.parse_sql`` +
``ibis.decompile``) is tried the same way. The pair's program then meets its mutants
(:func:`~ibert_mine.execution.kill.kill_mutants`).
"""

from __future__ import annotations

from typing import Any

from ibert_mine.execution.draws import aimed_draw
from ibert_mine.execution.kill import kill_mutants
from ibert_mine.execution.pairs import decompile_sql, disagreement, execute_pair, literal_hints
from ibert_mine.execution.sql_compile import compile_all
from ibert_mine.execution.tables import (
    ProgramError,
    fixed_names,
    run_on_tables,
    table_schemas,
    undeclared_tables,
)
from ibert_mine.execution.transpile import to_duckdb


def _duckdb_sql(expr: Any, code: str) -> str:
    """The DuckDB SQL Ibis compiles ``expr`` to (its ORDER BY and LIMIT are compared), as
    :func:`~ibert_mine.execution.sql_compile.compile_all` gives it; raise when there is none."""
    sqls, failed = compile_all(expr, ["duckdb"], code)
    if "duckdb" not in sqls:
        raise ProgramError(f"no DuckDB SQL: {failed.get('duckdb')}")
    return sqls["duckdb"]


def pair_human_sql(payload: dict[str, Any]) -> dict[str, Any]:
    """The first of ``payload["candidates"]`` that returns the SQL's rows, else decompiled
    Ibis that does, else why not (``{"executed": False, "reason": ...}``)."""
    import ibis  # heavy: imported on first use

    schemas = table_schemas(payload["tables"])
    try:
        sql = to_duckdb(payload["sql"], payload["dialect"])
    except Exception as err:  # sqlglot cannot write it for DuckDB
        return {"executed": False, "reason": f"transpile_failed: {type(err).__name__}"}
    reason = "no_candidate"
    for index, code in enumerate(payload["candidates"]):
        try:
            with fixed_names(code):
                expr = run_on_tables(code, schemas)
        except Exception as err:
            reason = f"candidate_error: {type(err).__name__}"
            continue
        if not isinstance(expr, ibis.Expr) or undeclared_tables(expr, schemas):
            reason = "candidate_not_an_expression"
            continue
        report, reason = _paired(code, expr, sql, schemas, "candidate_error")
        if report is not None:
            return {"executed": True, "schemas": schemas, "ibis": code, "index": index,
                    "mutants": report}  # fmt: skip
    recovered = decompile_sql(sql, schemas)
    if not recovered:
        return {"executed": False, "reason": f"{reason}, not_decompiled"}
    for code, expr in recovered:  # simplified first
        report, reason = _paired(code, expr, sql, schemas, "decompiled_error")
        if report is not None:
            return {"executed": True, "schemas": schemas, "ibis": code, "index": None,
                    "mutants": report}  # fmt: skip
    return {"executed": False, "reason": reason}


def _paired(
    code: str, expr: Any, sql: str, schemas: dict[str, dict[str, str]], failed: str
) -> tuple[dict[str, Any] | None, str]:
    """The mutant report when ``expr`` pairs with ``sql`` (the same rows on the suite, and
    on the aimed draws that killed its mutants), else None and why not (``failed``: the
    reason prefix when the pair cannot even run)."""
    try:
        outcome = execute_pair(expr, sql, schemas, None, human=_duckdb_sql(expr, code))
    except Exception as err:  # e.g. a scalar over two tables has no table form
        return None, f"{failed}: {type(err).__name__}"
    if not outcome["executed"]:
        return None, outcome["reason"]
    checked = _kill(code, expr, sql, schemas)
    return (checked["mutants"], "") if checked["executed"] else (None, checked["reason"])


def _kill(code: str, expr: Any, human: str, schemas: dict[str, dict[str, str]]) -> dict[str, Any]:
    """The paired program's mutants against its own DuckDB SQL (see kill_mutants); the
    pair must then agree on the aimed draws that killed them, as validate replays them."""
    sql = _duckdb_sql(expr, code)
    hints = literal_hints(sql)
    report = kill_mutants(code, sql, schemas, hints)
    recorded = [aimed_draw(*d) for d in report["draws"]]
    why = disagreement(sql, human, schemas, recorded, hints)
    return {"executed": not why, "reason": why, "mutants": report}
