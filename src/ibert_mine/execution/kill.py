"""Kill a pair's mutants: evidence that its data tells the right query from a nearly right one.

A pair agreed on its suite of draws (:mod:`ibert_mine.execution.pairs`). That is evidence
only if a wrong answer would *not* have agreed: :func:`kill_mutants` builds the program's
near misses (:mod:`ibert_mine.execution.mutants`), compiles each to DuckDB SQL, and runs
them beside the query's own DuckDB SQL on the aimed draws
(:data:`~ibert_mine.execution.draws.AIMED`, growing in size) while some mutant is alive,
within :data:`RUN_BUDGET` runs. A mutant is *killed* by a draw where its
rows differ from the query's, or where it fails and the query does not. A mutant that
does not build or compile is discarded; one whose SQL is the query's SQL is equivalent.
A draw on which the query returns more than :data:`RESULT_LIMIT` rows (a cross join) is
not compared on, nor is any larger draw.

Mutants alive after the whole budget run on two more draws
(:data:`~ibert_mine.execution.draws.EQUIVALENCE`: one aimed, one plain random, so that
not only the aimed generator judges): one killed there is a real near miss the budget
missed (it counts against the pair); one that survives them too returns the query's rows
and counts as equivalent (when neither equivalence draw gave the query a non-NULL value
to compare, it counts as not killed). The aimed draws that killed a mutant are returned,
to be recorded on the example and replayed by ``validate --execute``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ibert_mine.execution.compare import Result, same_result
from ibert_mine.execution.draws import AIMED, EQUIVALENCE, Draw, load_draw
from ibert_mine.execution.mutants import CAP, mutants
from ibert_mine.execution.sql_compile import compile_all
from ibert_mine.execution.sql_shape import order_keys, query_orders
from ibert_mine.execution.tables import fixed_names, raw_duckdb, run_on_tables, table_schemas

KILL_SHARE = 0.9  # a pair whose data kills less than this share of its mutants is weak
RESULT_LIMIT = 5000  # a draw on which the query returns more rows is not used
RUN_BUDGET = 240  # runs of one mutant on one draw, over the suite's and the aimed draws
EQUIVALENCE_TESTS = 16  # survivors tested for equivalence; any others count as not killed


def compiled_mutants(
    code: str, sql: str, schemas: dict[str, dict[str, str]]
) -> tuple[list[tuple[str, str, str]], dict[str, int]]:
    """The (kind, code, DuckDB SQL) of ``code``'s mutants whose SQL is not ``sql`` nor
    another's, and counts: ``candidates`` (all mutants, before the cap), ``discarded``
    (did not build or compile), ``equivalent`` (compiled to ``sql``)."""
    import ibis  # heavy: imported on first use

    chosen, total = mutants(code, schemas, CAP)
    counts = {"candidates": total, "discarded": 0, "equivalent": 0}
    seen, out = {sql}, []
    for mutant in chosen:
        try:
            with fixed_names(f"{mutant.code}\x00duckdb"):
                expr = run_on_tables(mutant.code, schemas)
                mutant_sql = str(ibis.to_sql(expr, dialect="duckdb"))
        except Exception:  # a mistake that does not even build or compile
            counts["discarded"] += 1
            continue
        if mutant_sql in seen:
            counts["equivalent" if mutant_sql == sql else "discarded"] += 1
            continue
        seen.add(mutant_sql)
        out.append((mutant.kind, mutant.code, mutant_sql))
    return out, counts


TOO_BIG = "too_big"  # the query returned more than RESULT_LIMIT rows on a draw


def _rows(con: Any, sql: str, size: int) -> Result | None:
    """The rows of ``sql``; None when there are not ``size`` of them (then nothing is
    converted to Python)."""
    table = con.sql(sql).to_arrow_table()
    return None if table.num_rows != size else Result.from_arrow(table)


def _killed_on(
    con: Any,
    draw: Draw,
    sql: str,
    alive: Sequence[tuple[str, str, str]],
    schemas: dict[str, dict[str, str]],
    hints: list[Any],
    need_rows: bool = False,
) -> set[int] | str:
    """The positions in ``alive`` of the mutants ``draw`` kills, or why the draw tells
    nothing: ``"fails"`` (the query itself fails on it), :data:`TOO_BIG`, or (with
    ``need_rows``, for the equivalence test) ``"no_rows"``: the query's rows hold no real
    value, so a mutant that agrees shows nothing."""
    try:
        load_draw(con, schemas, draw, hints, hints)
        table = con.sql(sql).to_arrow_table()
    except Exception:
        return "fails"
    if table.num_rows > RESULT_LIMIT:
        return TOO_BIG
    expected = Result.from_arrow(table)
    if need_rows and all(v is None for row in expected.rows for v in row):
        return "no_rows"
    ordered = query_orders(sql)
    keys = order_keys(sql, expected.columns) if ordered else None
    killed = set()
    for i, (_, _, mutant_sql) in enumerate(alive):
        try:
            got = _rows(con, mutant_sql, len(expected.rows))
        except Exception:  # the mutant fails where the query does not
            got = None
        if got is None or not same_result(expected, got, ordered=ordered, order_keys=keys)[0]:
            killed.add(i)
    return killed


def _split(alive: list, dead: set[int] | str) -> tuple[list, list]:
    """(the killed, the still alive) of ``alive`` after a draw."""
    dead = dead if isinstance(dead, set) else set()
    return [m for i, m in enumerate(alive) if i in dead], [
        m for i, m in enumerate(alive) if i not in dead
    ]


def kill_mutants(
    code: str, sql: str, schemas: dict[str, dict[str, str]], hints: list[Any]
) -> dict[str, Any]:
    """How many of ``code``'s mutants the aimed draws kill (aimed at ``hints``: the
    literals of ``sql``, the program's DuckDB SQL), within :data:`RUN_BUDGET` runs of a
    mutant on a draw. Only the aimed draws are used, so every kill is on a draw that
    ``meta.mutants`` records and ``validate --execute`` replays.

    Returns ``killed``, ``total`` (killed, and real near misses not killed: those the
    equivalence draws kill, and those left untested), ``draws`` (the aimed draws that
    killed, as ``[seed, rows]``), ``aimed_at`` (``hints`` when there are such draws: what
    they were aimed at), ``survived`` (mutants no draw told apart, counted as equivalent),
    ``candidates``, ``discarded``, ``equivalent`` (compiled to the same SQL) and, per
    rule, ``kinds: {rule: [killed, total]}``.
    """
    built, counts = compiled_mutants(code, sql, schemas)
    con = raw_duckdb()
    alive, killed, draws, budget = list(built), [], [], RUN_BUDGET
    too_big = None  # the rows of a draw on which the query returned too many: skip larger
    for draw in AIMED:
        if not alive or budget < len(alive):
            break
        if too_big is not None and draw.rows >= too_big:
            continue
        budget -= len(alive)
        verdict = _killed_on(con, draw, sql, alive, schemas, hints)
        too_big = draw.rows if verdict == TOO_BIG else too_big
        dead, alive = _split(alive, verdict)
        killed += dead
        if dead:
            draws.append([draw.seed, draw.rows])
    missed, alive = alive[EQUIVALENCE_TESTS:], alive[:EQUIVALENCE_TESTS]  # untested: missed
    compared = False  # a survivor is equivalent only when an equivalence draw compared it
    for draw in EQUIVALENCE:
        if alive and (too_big is None or draw.rows < too_big):
            verdict = _killed_on(con, draw, sql, alive, schemas, hints, need_rows=True)
            compared = compared or isinstance(verdict, set)
            dead, alive = _split(alive, verdict)
            missed += dead
    if not compared:
        missed, alive = missed + alive, []
    kinds: dict[str, list[int]] = {}
    for group, hit in ((killed, 1), (missed, 0)):
        for kind, _, _ in group:
            kinds.setdefault(kind, [0, 0])
            kinds[kind][0] += hit
            kinds[kind][1] += 1
    total = len(killed) + len(missed)
    aimed_at = list(hints) if draws else []
    return {"killed": len(killed), "total": total, "draws": draws, "aimed_at": aimed_at,
            "survived": len(alive), **counts, "kinds": kinds}  # fmt: skip


def mutant_programs(payload: dict[str, Any]) -> list[list[str]]:
    """``[kind, code]`` of each mutant of ``payload["code"]`` that builds and compiles to
    other SQL than the program (a sandbox job of the planted-mutation benchmark)."""
    schemas = table_schemas(payload["tables"])
    with fixed_names(payload["code"]):
        expr = run_on_tables(payload["code"], schemas)
    sqls, _ = compile_all(expr, ["duckdb"], payload["code"])
    if "duckdb" not in sqls:
        return []
    built, _ = compiled_mutants(payload["code"], sqls["duckdb"], schemas)
    return [[kind, code] for kind, code, _ in built]


def weak(report: dict[str, Any]) -> bool:
    """True when the data killed less than :data:`KILL_SHARE` of the real near misses, or
    killed none while some survived every draw (the data may be blind to them)."""
    if report["killed"] == 0 and report.get("survived", 0) > 0:
        return True
    return report["total"] > 0 and report["killed"] < KILL_SHARE * report["total"]
