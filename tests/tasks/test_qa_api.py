"""qa from the API reference: a method's numpydoc docstring read as at most four answers,
its doctest session as runnable code, private and deprecated definitions left out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ibert_mine.cli import app

runner = CliRunner()

SUMMARY = "Transform a table from wider to longer."
RELATIONS = '''\
"""Table expressions."""

from __future__ import annotations

from typing import Literal


class Table:
    """A table expression made of rows and columns."""

    def pivot_longer(
        self, col: str, names_to: str = "name", how: Literal["inner", "left"] = "inner"
    ) -> Table:
        """Transform a table from wider to longer.

        Parameters
        ----------
        col
            The columns to pivot into longer rows.
        names_to
            The name of the column holding the former column names.
        how
            Which kind of join keeps the rows of the table.

        Returns
        -------
        Table
            A table with the pivoted columns as rows.

        Examples
        --------
        >>> import ibis
        >>> t = ibis.memtable({"a": [1]})
        >>> t.a.sum()
        ┌───┐
        │ 1 │
        └───┘
        >>> expr = t.pivot_longer("a")
        """
        return self

    def digits(self, col: str) -> Table:
        """Extract the digits of a column with a regular expression.

        The pattern ``\\d+`` (escaped in the source, as in a docstring that is not raw)
        matches one or more digits of each value.
        """
        return self

    def is_date(self) -> bool:
        """Return True if an instance of a Date type."""
        return False

    def is_binary(self) -> bool:
        """Return True if an instance of a Binary type."""
        return False

    def is_array(self) -> bool:
        """Return True if an instance of a Array type."""
        return False

    def _x(self) -> None:
        """Compute a private helper value for the table."""

    @util.deprecated(as_of="10.0", instead="use pivot_longer")
    def melt(self, col: str) -> Table:
        """Transform a table from wider to longer, as pandas names it."""
        return self

    def unpivot(self, col: str) -> Table:
        """Transform a table from wider to longer, the old way.

        Deprecated since version 9.0: use ``pivot_longer`` instead.
        """
        return self
'''


def _mine(root: Path) -> tuple[Path, list[dict]]:
    """Ibis's layout in a site-packages folder under ``root``, mined for qa."""
    site = root / "site-packages"
    types = site / "ibis/expr/types"
    types.mkdir(parents=True)
    for folder in (site / "ibis", site / "ibis/expr", types):
        (folder / "__init__.py").write_text("")
    (types / "relations.py").write_text(RELATIONS, encoding="utf-8")
    out = root / "out"
    args = ["mine", "--source", str(site), "--task", "qa", "--output", str(out), "--workers", "1"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    lines = (out / "qa_mined.jsonl").read_text(encoding="utf-8").splitlines()
    return out, [json.loads(line) for line in lines]


@pytest.fixture(scope="module")
def mined(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict]]:
    """The fixture mined once, for the tests that only read what it wrote."""
    return _mine(tmp_path_factory.mktemp("qa_api"))


def _of(records: list[dict], symbol: str) -> dict[str, dict]:
    found: dict[str, dict] = {}
    for r in records:
        if r["meta"].get("symbol") == symbol:
            assert r["meta"]["question_kind"] not in found, "one question of each kind"
            found[r["meta"]["question_kind"]] = r
    return found


def test_a_method_gets_at_most_four_questions_of_every_kind(mined) -> None:
    _, records = mined
    found = _of(records, "Table.pivot_longer")
    assert 1 <= len(found) <= 4
    assert set(found) == {"what_does", "how_to", "parameter", "returns"}
    for record in found.values():
        meta = record["meta"]
        assert meta["path"] == "ibis/expr/types/relations.py"  # relative to the folder
        assert meta["origin"] == "api_reference"
        assert record["input"]["question"].endswith("?")
        start = RELATIONS.splitlines().index("    def pivot_longer(") + 1
        assert meta["lines"][0] == start
        assert meta["lines"][1] > start

    assert found["what_does"]["target"]["answer"].startswith(SUMMARY)
    assert "lead" not in found["what_does"]["meta"]
    assert "pivot_longer" in found["what_does"]["input"]["question"]


def test_the_how_to_answer_leads_with_the_method_and_its_signature(mined) -> None:
    _, records = mined
    how_to = _of(records, "Table.pivot_longer")["how_to"]
    assert how_to["input"]["question"] in {
        "How do I transform a table from wider to longer in Ibis?",
        "How can I transform a table from wider to longer in Ibis?",
        "How do I transform a table from wider to longer with Ibis?",
        "How can I transform a table from wider to longer with Ibis?",
    }
    answer = how_to["target"]["answer"]
    call = 'Table.pivot_longer(col, names_to="name", how="inner")'  # no self, no annotations
    assert answer == f"Use `{call}`.\n\n{SUMMARY}"
    assert how_to["meta"]["lead"] is True


def test_the_parameter_and_returns_answers_lead_with_the_signature(mined) -> None:
    _, records = mined
    found = _of(records, "Table.pivot_longer")
    parameter = found["parameter"]
    described = {
        "col": "The columns to pivot into longer rows.",
        "names_to": "The name of the column holding the former column names.",
        "how": "Which kind of join keeps the rows of the table.",
    }
    leads = {
        "col": "`col`: `str`.",
        "names_to": '`names_to`: `str`, default `"name"`.',
        "how": '`how`: `Literal["inner", "left"]`, default `"inner"`.',
    }
    name = next(n for n in described if f"`{n}`" in parameter["input"]["question"])
    assert parameter["target"]["answer"] == f"{leads[name]}\n\n{described[name]}"
    assert parameter["meta"]["lead"] is True

    returns = found["returns"]
    assert "`Table.pivot_longer`" in returns["input"]["question"]
    assert returns["target"]["answer"] == "`Table`.\n\nA table with the pivoted columns as rows."


def test_the_doctest_session_is_runnable_code_that_runs(mined) -> None:
    _, records = mined
    found = _of(records, "Table.pivot_longer")
    code = 'import ibis\nt = ibis.memtable({"a": [1]})\nt.a.sum()\nexpr = t.pivot_longer("a")\n'
    with_code = [r for r in found.values() if "code_example" in r["target"]]
    assert with_code and found["how_to"] in with_code
    for record in with_code:
        assert record["target"]["code_example"] == code
        assert record["meta"]["code_runs"] is True
        assert "code_error" not in record["meta"]


def test_a_parameter_question_shows_the_code_only_if_it_passes_the_parameter(mined) -> None:
    _, records = mined
    names_to = _of(records, "Table.pivot_longer")["parameter"]
    assert names_to["target"]["answer"].startswith("`names_to`")  # optional, not passed
    assert "code_example" not in names_to["target"]
    assert "code_runs" not in names_to["meta"]


def test_private_and_deprecated_definitions_are_left_out(mined) -> None:
    out, records = mined
    symbols = {r["meta"].get("symbol") for r in records}
    assert "Table._x" not in symbols
    assert "Table.unpivot" not in symbols  # deprecated in its docstring
    assert "Table.melt" not in symbols  # by its decorator
    assert symbols <= {"Table", "Table.pivot_longer", "Table.digits", "Table.is_date"}
    rejects = json.loads((out / "manifest.json").read_text())["stages"]["answers"]["rejects"]
    assert rejects.get("deprecated") == 2


def test_validate_finds_every_answer_in_the_docstring(mined) -> None:
    out, _ = mined
    checked = runner.invoke(app, ["validate", str(out)])
    assert checked.exit_code == 0, checked.output
    assert "0 problems" in checked.output
    assert "provenance unchecked for 0" in checked.output


def test_validate_reports_a_signature_the_source_no_longer_has(tmp_path: Path) -> None:
    out, _ = _mine(tmp_path)
    module = tmp_path / "site-packages/ibis/expr/types/relations.py"
    changed = RELATIONS.replace('names_to: str = "name"', 'names_to: str = "key"')
    module.write_text(changed, encoding="utf-8")  # the same lines, another default
    checked = runner.invoke(app, ["validate", str(out)])
    assert checked.exit_code == 1, checked.output
    assert 'the lead\'s `Table.pivot_longer(col, names_to="name", how="inner")`' in checked.output


def test_an_escape_in_a_docstring_is_grounded_as_python_reads_it(mined) -> None:
    _, records = mined
    found = _of(records, "Table.digits")["what_does"]["target"]["answer"]
    assert "``\\d+``" in found  # the answer holds ``\d+``, the file ``\\d+``


def test_a_family_of_one_sentence_with_a_name_changed_is_asked_once(mined) -> None:
    out, records = mined
    family = {"Table.is_date", "Table.is_binary", "Table.is_array"}
    assert [r["meta"]["symbol"] for r in records if r["meta"]["symbol"] in family] == [
        "Table.is_date"
    ]
    rejects = json.loads((out / "manifest.json").read_text())["tasks"]["qa"]["rejects"]
    assert rejects.get("templated_answer") == 2
