"""Verify one Ibis program in the sandbox: schemas, SQL in every dialect, execution.

:func:`verify_program` is what a sandbox worker calls for a program job
(``ibert_mine.execution.verify:verify_program``). It builds the declared tables, runs the
program, compiles its result with ``ibis.to_sql`` in each dialect (the SQL must parse back
with sqlglot in that dialect), then executes the Ibis program and the DuckDB SQL on
synthetic tables and compares the rows (:func:`~ibert_mine.execution.pairs.execute_pair`).
A human-readable rewrite of the DuckDB SQL is kept when it returns the same rows too.
With ``payload["mutants"]``, the program's near misses are run against the data
(:func:`~ibert_mine.execution.kill.kill_mutants`); with ``payload["mistakes"]``, the
mistakes users make are made in it and run (:mod:`~ibert_mine.execution.mistakes`).
:func:`check_sql` re-runs a (program,
SQL) pair for ``validate --execute``; both replay the aimed draws of ``payload["aimed"]``,
aimed at ``payload["aimed_at"]`` (the literals recorded when the pair was mined).
"""

from __future__ import annotations

from typing import Any

from ibert_mine.execution.draws import Draw, aimed_draw
from ibert_mine.execution.kill import kill_mutants
from ibert_mine.execution.limits import DeadlinePassed
from ibert_mine.execution.mistakes.migrations import migrations_from
from ibert_mine.execution.mistakes.run import broken_error, run_mistakes
from ibert_mine.execution.pairs import disagreement, execute_pair, literal_hints
from ibert_mine.execution.readable import readable_sql
from ibert_mine.execution.sql_compile import compile_all
from ibert_mine.execution.tables import (
    ProgramError,
    TrivialProgram,
    UndeclaredTable,
    fixed_names,
    run_on_tables,
    table_schemas,
    undeclared_tables,
)
from ibert_mine.execution.transpile import to_duckdb


def verify_program(payload: dict[str, Any]) -> dict[str, Any]:
    """Everything known about one program: schemas, SQL per dialect, execution outcome."""
    import ibis  # heavy: imported on first use

    schemas = table_schemas(payload["tables"])
    with fixed_names(payload["code"]):  # the tables are built: count names from here
        expr = run_on_tables(payload["code"], schemas)
        if isinstance(expr, ibis.Expr):
            sqls, failed = compile_all(expr, list(payload["dialects"]), payload["code"])
    if not isinstance(expr, ibis.Expr):
        raise ProgramError(f"the result is a {type(expr).__name__}, not an Ibis expression")
    import ibis.expr.operations as ops  # heavy: imported on first use

    if not schemas and isinstance(expr.op(), ops.Literal):
        raise TrivialProgram("a bare literal")
    undeclared = undeclared_tables(expr, schemas)
    if undeclared:  # an inline memtable or unnamed table: its SQL names a generated table
        raise UndeclaredTable(f"reads tables that are not declared: {undeclared}")
    result: dict[str, Any] = {"schemas": schemas, "sql": sqls, "failed": failed}
    if "duckdb" not in sqls:
        result.update(executed=False, reason="no_duckdb_sql", readable=None)
        return result
    from ibis.backends.sql.datatypes import DuckDBType  # heavy: imported on first use

    duck_types = {
        name: {col: DuckDBType.from_ibis(ibis.dtype(t)).sql("duckdb") for col, t in cols.items()}
        for name, cols in schemas.items()
    }
    readable = readable_sql(sqls["duckdb"], duck_types) if payload.get("readable") else None
    hints = literal_hints(sqls["duckdb"])
    aimed, aimed_at = _aimed(payload, hints)
    result.update(execute_pair(expr, sqls["duckdb"], schemas, readable, None, aimed, aimed_at))
    if payload.get("human_sql"):
        human = payload["human_sql"]
        result["human"] = execute_pair(expr, human, schemas, None, sqls["duckdb"])
    if payload.get("mutants") and result.get("executed"):
        human = payload.get("human_sql")
        _with_mutants(result, payload["code"], (sqls["duckdb"], human), schemas, hints)
    if payload.get("mistakes") and result.get("executed"):
        migrations = migrations_from(payload.get("migrations", ()))
        try:
            result["mistakes"] = run_mistakes(payload["code"], schemas, migrations)
        except Exception:  # a rule's bug costs the mistakes, not the program's translations
            result["mistakes"] = {"kept": [], "dropped": {"rule_error": 1}}
    return result


def _with_mutants(
    result: dict[str, Any],
    code: str,
    sqls: tuple[str, str | None],
    schemas: dict[str, dict[str, str]],
    hints: list[Any],
) -> None:
    """Kill the program's mutants; then the readable rewrite and the hand-written SQL must
    return the program's rows on the aimed draws that killed them too, as validate will
    replay them: one that does not is dropped (the program runs its own SQL)."""
    sql, human_sql = sqls  # the program's DuckDB SQL, the hand-written SQL (or None)
    report = kill_mutants(code, sql, schemas, hints)
    recorded = [aimed_draw(*d) for d in report["draws"]]
    readable = result.get("readable")
    if readable and disagreement(sql, readable, schemas, recorded, hints):
        result.update(readable=None, decompiled=None)
    human = result.get("human")
    if human_sql and human and human.get("executed"):
        why = disagreement(sql, human_sql, schemas, recorded, hints)
        if why:
            result["human"] = {"executed": False, "reason": why, "readable": None}
    result["mutants"] = report


def check_sql(payload: dict[str, Any]) -> dict[str, Any]:
    """Run a program and a SQL query (of ``payload["dialect"]``, DuckDB by default) on the
    same synthetic tables and compare the rows."""
    import ibis  # heavy: imported on first use

    schemas = table_schemas(payload["tables"])
    with fixed_names(payload["code"]):
        expr = run_on_tables(payload["code"], schemas)
    if not isinstance(expr, ibis.Expr):
        raise ProgramError(f"the result is a {type(expr).__name__}, not an Ibis expression")
    sql = to_duckdb(payload["sql"], payload.get("dialect") or "duckdb")
    aimed, aimed_at = _aimed(payload, literal_hints(sql))
    return execute_pair(expr, sql, schemas, None, None, aimed, aimed_at)


def _aimed(payload: dict[str, Any], hints: list[Any]) -> tuple[list[Draw], list[Any]]:
    """The aimed draws to replay and the literals they are aimed at (``hints`` when none
    were recorded)."""
    aimed = [aimed_draw(*d) for d in payload.get("aimed", ())]
    return aimed, list(payload["aimed_at"]) if payload.get("aimed_at") else hints


def check_mistakes(payload: dict[str, Any]) -> dict[str, Any]:
    """Re-run error_resolution records of one fixed program: whether the fix still returns
    its rows, and the error each broken program raises now (None when it builds)."""
    if payload["fixed"] is None:  # described, not executed: nothing to re-run
        return {"fixed_runs": True, "why": None, "errors": [None] * len(payload["broken"])}
    fixed = verify_program({"code": payload["fixed"], "tables": payload["tables"],
                            "dialects": ["duckdb"]})  # fmt: skip
    schemas = table_schemas(payload["tables"])
    errors = []
    for code in payload["broken"]:
        try:
            errors.append(broken_error(code, schemas))
        except DeadlinePassed:
            errors.append("(ran past its time limit)")
    return {"fixed_runs": bool(fixed.get("executed")), "why": fixed.get("reason"), "errors": errors}
