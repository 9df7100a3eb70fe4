"""Mutants: each rule's examples, the cap, and the evidence they give a pair's data."""

from __future__ import annotations

import datetime as dt
import doctest

import pytest

from ibert_mine.execution import kill
from ibert_mine.execution.data import boundary_hints, synthetic_tables
from ibert_mine.execution.mutants import CAP, candidates, mutants, rules, site
from ibert_mine.execution.mutants.site import demo
from ibert_mine.execution.verify import check_sql, verify_program
from ibert_mine.tasks.translation import MUTANTS, with_evidence

TABLES = [("t", {"schema": [("a", "int64"), ("b", "string"), ("c", "float64")], "source": None})]


def test_every_rule_has_examples_and_they_hold() -> None:
    for rule in rules.RULES:
        assert rule.__doc__ and ">>> demo(" in rule.__doc__, rule.__name__
    results = doctest.testmod(rules, extraglobs={"demo": demo})
    assert results.failed == 0 and results.attempted >= len(rules.RULES)
    assert doctest.testmod(site).failed == 0


def test_names_types_and_join_kinds_are_not_literals_to_move() -> None:
    code = "t.mutate(x=t.a.cast('int32').name('y')).join(t, 'a', how='inner')"
    found = candidates(code, {"t": {"a": "int64", "b": "string"}})
    moved = [m.code for m in found.get("literal", [])]
    assert moved == []  # 'int32', 'y', 'inner' and the column 'a' stay as they are
    assert [m.code for m in found["join_kind"]] == [
        "t.mutate(x=t.a.cast('int32').name('y')).join(t, 'a', how='left')"
    ]


def test_many_sites_are_capped_round_robin_and_deterministic() -> None:
    code = "t.filter(" + " | ".join(f"(t.a == {n})" for n in range(30)) + ")"
    chosen, total = mutants(code, {"t": {"a": "int64"}})
    assert total > CAP and len(chosen) == CAP
    kinds = {m.kind for m in chosen}
    assert kinds == {"comparison", "literal", "bool_op", "drop_predicate"}
    assert [m.code for m in chosen] == [m.code for m in mutants(code, {"t": {"a": "int64"}})[0]]


def test_the_issues_planted_change_is_caught_by_the_aimed_draws() -> None:
    """``t.a > 10`` against ``t.a > 20`` agrees on the suite: no drawn row lies between."""
    code = "expr = t.filter(t.a > 10)\nexpr"
    outcome = verify_program(
        {"code": code, "tables": TABLES, "dialects": ["duckdb"], "mutants": True}
    )
    report = outcome["mutants"]
    assert report["killed"] == report["total"] >= 4 and report["draws"]
    assert report["aimed_at"] == [10]  # the draws are aimed at the query's literal
    planted = {"code": "expr = t.filter(t.a > 20)\nexpr", "tables": TABLES,
               "sql": "SELECT * FROM t WHERE a > 10", "dialect": "duckdb"}  # fmt: skip
    assert check_sql(planted)["executed"] is True  # the suite alone cannot tell them apart
    recorded = {"aimed": report["draws"], "aimed_at": report["aimed_at"]}
    replayed = check_sql({**planted, **recorded})
    assert replayed["executed"] is False and "aimed draw" in replayed["reason"]
    right = {**planted, "code": code}
    assert check_sql({**right, **recorded})["executed"] is True


def test_a_mutant_with_the_same_rows_counts_as_equivalent() -> None:
    code = "t.filter(t.a > 1, t.a > 1)"  # dropping either predicate changes nothing
    sql = "SELECT * FROM t AS t0 WHERE t0.a > 1"
    schemas = {"t": {"a": "int64", "b": "string", "c": "float64"}}
    report = kill.kill_mutants(code, sql, schemas, [1])
    assert report["survived"] + report["equivalent"] >= 2 and not kill.weak(report)
    assert report["kinds"]["comparison"][0] == report["kinds"]["comparison"][1]


def test_weak_evidence_is_tagged_and_not_counted_as_executed() -> None:
    meta = {"verified": ["compiled", "executed:duckdb"], "tags": ["test_code"]}
    strong = {"killed": 9, "total": 10, "draws": [[101, 24]], "aimed_at": [10, "x"],
              "candidates": 12}  # fmt: skip
    recorded = {"killed": 9, "total": 10, "draws": [[101, 24]], "aimed_at": [10, "x"]}
    assert with_evidence(meta, strong) == {**meta, "mutants": recorded}
    weak = {"killed": 8, "total": 10, "draws": [], "aimed_at": [], "candidates": 55}
    out = with_evidence(meta, weak)
    assert out["verified"] == ["compiled"] and out["tags"] == ["test_code", "weak_evidence"]
    assert out["mutants"] == {"killed": 8, "total": 10, "draws": [], "capped": 55}


def test_aimed_draws_hold_the_literals_neighbours_and_unmatched_keys() -> None:
    days = [dt.date(1998, 9, d) for d in (1, 2, 3)]
    assert boundary_hints([10, "1998-09-02", "x"]) == [
        *(9, 10, 11, "1998-09-02", "1998-09-03", *days, "x", "y")
    ]
    noon = dt.datetime(2010, 1, 1, 12, 30)
    assert boundary_hints(["2010-01-01 12:30:00"])[-3:] == [
        noon - dt.timedelta(seconds=1), noon, noon + dt.timedelta(seconds=1)
    ]  # fmt: skip
    schemas = {"l": {"id": "int64", "a": "int64"}, "r": {"id": "int64", "d": "date"}}
    tables = synthetic_tables(schemas, 101, 24, [10, "1998-09-02"], aim=True)
    a = tables["l"].column("a").to_pylist()
    assert {9, 10, 11} <= set(a) and a[:24].count(None) == 6  # a quarter NULL
    assert tables["l"].num_rows == 27 and tables["l"].slice(24).equals(tables["l"].slice(0, 3))
    days = {str(d) for d in tables["r"].column("d").to_pylist()}
    assert {"1998-09-01", "1998-09-02", "1998-09-03"} <= days
    left, right = (set(tables[n].column("id").to_pylist()) - {None} for n in ("l", "r"))
    assert left & right and left - right  # some keys match across the join, some do not
    again = synthetic_tables(schemas, 101, 24, [10, "1998-09-02"], aim=True)
    assert all(again[n].equals(tables[n]) for n in tables)


def test_aimed_draws_put_the_literals_in_shared_columns_too() -> None:
    """``t1.a < 5`` with ``a`` in both tables: the shared pool holds 4, 5 and 6."""
    schemas = {"t1": {"a": "int64", "b": "string"}, "t2": {"a": "int64", "b": "string"}}
    tables = synthetic_tables(schemas, 101, 24, [5, "x"], aim=True)
    for name in schemas:
        assert {4, 5, 6} <= set(tables[name].column("a").to_pylist()), name
        assert "x" in tables[name].column("b").to_pylist(), name


@pytest.mark.parametrize("code", ["t.a.sum()", "t.order_by(t.c.desc()).limit(3)"])
def test_mutant_runs_are_deterministic(code: str) -> None:
    payload = {"code": code, "tables": TABLES, "dialects": ["duckdb"], "mutants": True}
    assert verify_program(payload)["mutants"] == verify_program(payload)["mutants"]


def test_a_query_with_too_many_rows_to_compare_has_untested_not_equivalent_mutants() -> None:
    """A three-way cross join returns 24**3 rows on the smallest draw: no draw compares
    its mutants, and they count as not killed (weak evidence), not as equivalent."""
    schemas = {"t": {"a": "int64", "b": "int64", "c": "string"}}
    code = 'ibis.cross_join(t.select("a"), t.select("b"), t.select("c"))'
    outcome = verify_program(
        {"code": code, "tables": [("t", {"schema": list(schemas["t"].items()), "source": None})],
         "dialects": ["duckdb"], "mutants": True}
    )  # fmt: skip
    report = outcome["mutants"]
    assert report["total"] >= 2 and report["killed"] == 0 and report["equivalent"] == 0
    assert kill.weak(report)


def test_data_blind_to_every_mutant_is_weak_and_meta_rejects_what_validate_cannot_replay() -> None:
    blind = {"killed": 0, "total": 0, "draws": [], "aimed_at": [], "survived": 3, "candidates": 3}
    assert kill.weak(blind)
    out = with_evidence({"verified": ["compiled", "executed:duckdb"]}, blind)
    assert out["tags"] == ["weak_evidence"] and out["mutants"]["survived"] == 3
    key = MUTANTS
    assert key.problem({"killed": 1, "total": 1, "draws": [[101, 24]], "aimed_at": [1]}) is None
    for bad in (
        {"killed": 1, "total": 1, "draws": [[101, 10**9]], "aimed_at": [1]},  # huge
        {"killed": 1, "total": 1, "draws": [[101, 24]], "aimed_at": [True]},
        {"killed": 1, "total": 1, "draws": [[101, 24]]},  # aimed at what?
        {"killed": 2, "total": 1, "draws": []},
    ):
        assert key.problem(bad), bad


def test_aimed_draws_hold_literals_beyond_the_small_integer_range() -> None:
    """``int8`` values are drawn in [-11, 11] (sums must not overflow); an aimed draw for
    ``a < 20`` still holds 19, 20 and 21."""
    tables = synthetic_tables({"t": {"a": "int8"}}, 101, 24, [10, 20], aim=True)
    assert {9, 10, 11, 19, 20, 21} <= set(tables["t"].column("a").to_pylist())
