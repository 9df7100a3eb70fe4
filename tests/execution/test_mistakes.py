"""The mistake rules: each makes its mistake in a working program, which then fails with
the stated error while the original runs."""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest

from ibert_mine.execution import limits, verify
from ibert_mine.execution.mistakes import (
    KINDS,
    RULES,
    Candidate,
    migrations,
    pandas_habits,
    python_habits,
)
from ibert_mine.execution.mistakes import rules as other_rules
from ibert_mine.execution.mistakes import run as run_module
from ibert_mine.execution.mistakes.run import run_mistakes, user_error
from ibert_mine.execution.mistakes.site import DEMO_SCHEMAS, demo

TABLES = [
    (name, {"schema": list(cols.items()), "source": None}) for name, cols in DEMO_SCHEMAS.items()
]

FIXTURE = Path(__file__).parent.parent / "fixtures" / "mistakes.txt"


def read_cases() -> dict[str, tuple[str, str]]:
    """kind -> (a working program, the start of the error its broken version raises)."""
    text = "\n".join(line for line in FIXTURE.read_text().splitlines() if not line.startswith("#"))
    blocks = [block.strip().splitlines() for block in text.split("\n\n") if block.strip()]
    return {kind: (program, error) for kind, program, error in blocks}


CASES = read_cases()


def test_there_are_at_least_fifteen_kinds_and_each_has_a_case():
    assert len(KINDS) >= 15
    assert set(CASES) == set(KINDS)


@pytest.mark.parametrize("module", [pandas_habits, other_rules, python_habits, migrations, limits])
def test_rule_examples(module):
    for rule in RULES:
        assert rule.__doc__ and ">>> demo(" in rule.__doc__, rule.__name__
    results = doctest.testmod(module, extraglobs={"demo": demo})
    assert results.attempted > 0 and results.failed == 0


@pytest.mark.parametrize("kind", sorted(CASES))
def test_each_kind_breaks_a_working_program_with_its_error(kind):
    code, error = CASES[kind]
    fixed = verify.verify_program({"code": code, "tables": TABLES, "dialects": ["duckdb"]})
    assert fixed["executed"], fixed.get("reason")  # the fix runs to its rows
    kept = {m["kind"]: m for m in run_mistakes(code, DEMO_SCHEMAS)["kept"]}
    assert kind in kept, sorted(kept)
    mistake = kept[kind]
    assert mistake["error"].startswith(error), mistake["error"]
    assert " at 0x" not in mistake["error"]
    assert mistake["error_type"] in mistake["explanation"]
    assert "{" not in mistake["explanation"].replace("{column: function}", "")
    # validate --execute's replay reproduces the error and runs the fix
    again = verify.check_mistakes({"fixed": code, "tables": TABLES, "broken": [mistake["code"]]})
    assert again["fixed_runs"] and again["errors"] == [mistake["error"]]


def test_api_migration_records_the_release():
    kept = run_mistakes("t.mutate(c=t.g.capitalize())", DEMO_SCHEMAS)["kept"]
    (migration,) = [m for m in kept if m["kind"] == "api_migration"]
    assert migration["since"] == "10.0.0" and migration["code"] == "t.mutate(c=t.g.initcap())"


def test_a_mistake_ibis_accepts_is_counted_not_kept():
    # t.filter(t.a > '1') would not build, but a string column compared to a string does
    found = run_mistakes("t.filter(t.g == 'x')", DEMO_SCHEMAS)
    assert all(m["kind"] != "wrong_literal_type" for m in found["kept"])


def test_a_hanging_mistake_is_stopped_and_counted(monkeypatch):
    hang = Candidate("calling_column", "while True:\n    pass\nt", "why")
    monkeypatch.setattr(run_module, "candidates", lambda *a: [hang])
    monkeypatch.setattr(run_module, "SECONDS", 0.2)
    assert run_mistakes("t", DEMO_SCHEMAS) == {"kept": [], "dropped": {"timeout": 1}}


def test_a_mistake_that_exhausts_memory_is_counted(monkeypatch):
    greedy = Candidate("calling_column", "x = [0] * (1 << 62)\nt", "why")
    monkeypatch.setattr(run_module, "candidates", lambda *a: [greedy])
    assert run_mistakes("t", DEMO_SCHEMAS)["dropped"] == {"memory": 1}


def test_user_error_takes_out_addresses_and_paths():
    error = user_error(TypeError("<Field object at 0xdeadbeef> from /usr/lib/python3/x/y.py"))
    assert error == "TypeError: <Field object> from y.py"


def test_a_mistake_failing_otherwise_than_explained_is_counted(monkeypatch):
    # `~t.g in [...]` fails on the `~`, not on the truth value the explanation blames
    found = run_mistakes("t.filter(~t.g.isin(['a', 'b']))", DEMO_SCHEMAS)
    assert all(m["kind"] != "python_in_operator" for m in found["kept"])
    assert found["dropped"].get("other_error", 0) >= 1


def test_edits_keep_their_place_after_a_form_feed():
    code = "# a page break \x0c here\nt.filter(t.amount > 1)"
    assert demo(other_rules.misspelled_column, code) == [
        "# a page break \x0c here\nt.filter(t.amuont > 1)"
    ]


def test_a_column_named_like_a_table_method_is_not_a_column():
    assert demo(other_rules.misspelled_column, "t.count()", {"t": {"count": "int64"}}) == []
