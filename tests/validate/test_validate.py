"""validate: each rule of the design rejects what it should, and mined records pass."""

from __future__ import annotations

import json
from pathlib import Path

from ibert_mine.core.example import Example, example_id
from ibert_mine.tasks.record_schema import json_schema
from ibert_mine.validate import Report, check_line, validate_files
from ibert_mine.validate.records import is_placeholder

ORIGINS = {"code_completion": "code", "documentation": "docstring", "ibis_to_sql": "doctest",
           "sql_to_ibis": "doctest", "qa": "docs", "error_resolution": "code"}  # fmt: skip


def _record(task: str, input: dict, target: dict, **meta) -> dict:
    meta = {"origin": ORIGINS[task], **meta}
    return Example.create(task, "src", input, target, meta).to_dict()


def _problems(record: dict) -> list[str]:
    return list(check_line(json.dumps(record), {}, Report()))


def test_valid_records_pass() -> None:
    ok = _record("code_completion", {"partial_code": "x = f("}, {"completed_code": "x = f(1)"})
    assert _problems(ok) == []
    fim = _record(
        "code_completion", {"prefix": "x = f(", "suffix": ")"}, {"middle": "1"}, variant="fim"
    )
    assert _problems(fim) == []
    doc = _record(
        "documentation",
        {"code": "def f():\n    ...\n", "style": "plain"},
        {"docstring": "Compute the answer to everything."},
    )
    assert _problems(doc) == []


def test_each_rule_reports_its_reason() -> None:
    not_prefix = _record("code_completion", {"partial_code": "y = "}, {"completed_code": "x = 1"})
    assert "strict prefix" in _problems(not_prefix)[0]
    unparsable = _record("code_completion", {"partial_code": "x = ("}, {"completed_code": "x = (1"})
    assert "does not parse" in _problems(unparsable)[0]
    placeholder = _record(
        "ibis_to_sql", {"ibis": "t", "dialect": "duckdb"}, {"sql": "To be generated"}
    )
    assert any("placeholder" in p for p in _problems(placeholder))
    wrong_style = _record(
        "documentation",
        {"code": "def f(): ...", "style": "numpy"},
        {"docstring": "Compute the answer to everything."},
    )
    assert "not what docstring-parser detects" in _problems(wrong_style)[0]
    leaked = _record(
        "documentation",
        {"code": "def f():\n    'Compute it now.'\n", "style": "plain"},
        {"docstring": "Compute it now."},
    )
    assert "contains the target docstring" in _problems(leaked)[0]
    bad_sql = _record("ibis_to_sql", {"ibis": "t", "dialect": "duckdb"}, {"sql": "SELEC * FROM ("})
    assert "sql does not parse" in _problems(bad_sql)[0]
    not_question = _record("qa", {"question": "Ibis is nice."}, {"answer": "Yes it is."})
    assert "not a question" in _problems(not_question)[0]


def test_tampered_id_and_unknown_fields() -> None:
    record = _record("qa", {"question": "What is Ibis?"}, {"answer": "A dataframe library."})
    record["target"]["answer"] = "Something else entirely."
    assert "content hash" in _problems(record)[0]
    record = _record("qa", {"question": "What is Ibis?", "extra": "x"}, {"answer": "A library."})
    assert "unknown field input.extra" in _problems(record)
    record["task"] = "poetry"
    assert "unknown task" in _problems(record)[0]


def test_documentation_provenance_is_checked(fixture_package: Path, tmp_path: Path) -> None:
    from ibert_mine import api

    out = tmp_path / "out"
    config = api.make_config(["documentation"], output=out)
    api.mine_to([api.resolve_sources([str(fixture_package)])[0]], config)
    assert validate_files([out]).ok
    # change the source file: the docstrings are no longer where the records say
    helpers = fixture_package / "helpers.py"
    helpers.write_text("\n\n" + helpers.read_text())
    report = validate_files([out])
    assert not report.ok
    assert any("docstring not found at helpers.py" in p for p in report.problems)


def test_json_schema_covers_every_task() -> None:
    schema = json_schema()
    tasks = [rule["if"]["properties"]["task"]["const"] for rule in schema["allOf"]]
    assert len(tasks) == 6
    assert example_id("qa", {"q": "a"}, {"a": "b"}) == example_id("qa", {"q": "a"}, {"a": "b"})


def test_placeholders_are_told_from_real_content() -> None:

    assert is_placeholder("target.sql", "-- SQL to be generated")
    assert is_placeholder("target.sql", "-- TODO")
    assert is_placeholder("target.docstring", "TODO")
    assert is_placeholder("target.answer", "N/A")
    assert is_placeholder("target.completed_code", "# TODO: implement\n")
    assert not is_placeholder("target.middle", "[placeholder]")  # a real variable
    assert not is_placeholder("target.middle", "None")
    assert not is_placeholder("target.middle", "...")
    assert not is_placeholder("target.docstring", "Rows to be generated per seed, as a count.")


def test_meta_of_the_wrong_type_is_a_problem_not_a_crash() -> None:
    record = _record(
        "documentation",
        {"code": "def f():\n    ...\n", "style": "plain"},
        {"docstring": "Compute the answer to everything."},
        path=5,
        lines=[1, 2],
    )
    assert _problems(record) == ["meta.path is not a non-empty string"]
    record["meta"] = {"origin": "docstring", "lines": [2, 1], "cut": "line"}
    assert _problems(record) == [
        "meta.cut is not declared for this task",
        "meta.lines is not [first, last] line numbers",
    ]
    record["meta"] = {"origin": "doctest"}
    assert _problems(record) == ["meta.origin 'doctest' is none of docstring"]
