"""qa from documentation pages: sections as questions, Quarto markup cleaned, code run,
what is not an answer counted, and answers grounded at their page by ``validate``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ibert_mine.cli import app
from ibert_mine.tasks.qa.doc_sections import question_of

runner = CliRunner()

LEAD = (
    "Suppose you have a log of events recorded by a website, and you want to group the "
    "events of each user into sessions separated by long gaps of inactivity."
)
INSTALL_LEAD = "Install Ibis and dependencies for the DuckDB backend:"
COUNT_PROSE = (
    "Counting the sessions of each user is a group by over the session table, as "
    "@fig-sessions shows and as the [aggregation guide](aggregate.qmd) explains further."
)
SUM_PROSE = (
    "Summing a column of a small in-memory table is the simplest aggregation you can run, "
    "and it needs no backend configuration at all."
)

PAGE = f"""\
---
title: "Sessionize a log of events"
---

# Sessionize a log of events

{LEAD}

## Install

{INSTALL_LEAD}

::: {{.panel-tabset}}

## pip

```bash
pip install 'ibis-framework[duckdb]'
```

## conda

```bash
conda install -c conda-forge ibis-duckdb
```

:::

Any other backend is installed the same way, with the extra named after that backend.

## Order the events

Order the events of each user by their timestamp before computing the gaps between them.

::: {{.callout-note}}
## Ordering matters

Without an order the gaps are computed between rows in no particular sequence at all.
:::

The lag of the timestamp gives the time since the previous event of the same user.

## Only code

```python
import ibis
```

## Only an image

![A diagram of sessions](sessions.png)

## Next steps

Now that you know how to sessionize a log, you can read about other analyses you can run
on the resulting sessions table.

## Count the sessions per user

{{{{< include _snippet.qmd >}}}}

{COUNT_PROSE}

<div class="note">See the [DuckDB docs](https://duckdb.org/docs) for the window syntax.</div>

## Sum a column

{SUM_PROSE}

```python
import ibis
t = ibis.memtable({{"a": [1, 2]}})
t.a.sum()
```

## Call a method

Calling a method that does not exist on a column expression raises an error as soon as the
expression is built in Python code.

```python
import ibis
ibis.memtable({{"a": [1]}}).a.no_such_method()
```
"""

POST = """\
---
title: "Why we built sessions"
---

## Why we built this

This is a long narrative blog post describing why the team built a new feature and what
they learned along the way.
"""

TABSET = """\
## Install with pip

Install the package with pip and its optional dependencies for the backend you want to use.
"""


def _docs(root: Path) -> Path:
    pages = {
        "docs/how-to/sessionize.qmd": PAGE,
        "docs/posts/x/index.qmd": POST,
        "docs/_tabsets/x.qmd": TABSET,
        "docs/contribute/style.qmd": POST.replace("Why we built", "How we review"),
    }
    for rel, text in pages.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


def _mine(source: Path, out: Path) -> list[dict]:
    args = ["mine", "--source", str(source), "--task", "qa", "--output", str(out)]
    result = runner.invoke(app, [*args, "--workers", "1"])
    assert result.exit_code == 0, result.output
    lines = (out / "qa_mined.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def _by_heading(records: list[dict]) -> dict[str, dict]:
    return {r["meta"]["heading"]: r for r in records}


@pytest.fixture(scope="module")
def mined(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list[dict]]:
    """One run over the pages, shared by the tests that only read what it wrote."""
    root = tmp_path_factory.mktemp("qa_docs")
    src = _docs(root / "src")
    out = root / "out"
    return src, out, _mine(src, out)


def test_question_of_reads_imperatives_and_lead_sentences() -> None:
    assert question_of("Sessionize a log of events", "", "k") == (
        "How can I sessionize a log of events in Ibis?"
    )
    assert question_of("Install", INSTALL_LEAD, "k") == (
        "How can I install Ibis and dependencies for the DuckDB backend?"
    )
    assert question_of("What is a backend?", "", "k") == "What is a backend?"


def test_sections_become_questions_with_clean_answers(mined) -> None:
    _, _, records = mined
    found = _by_heading(records)
    assert set(found) == {
        "Sessionize a log of events",
        "Install",
        "Order the events",
        "Count the sessions per user",
        "Sum a column",
        "Call a method",
    }
    for record in records:
        meta = record["meta"]
        assert record["input"]["question"].endswith("?")
        assert meta["origin"] == "docs" and meta["question_kind"] == "section"
        assert meta["path"] == "docs/how-to/sessionize.qmd"
        assert record["source"] == "src"
        assert "lead" not in meta  # documentation answers are all quoted

    title = found["Sessionize a log of events"]
    assert title["input"]["question"] in {
        "How can I sessionize a log of events in Ibis?",
        "How do I sessionize a log of events with Ibis?",
    }
    assert title["target"]["answer"] == LEAD
    assert title["meta"]["lines"][0] == PAGE.splitlines().index("# Sessionize a log of events") + 1

    install = found["Install"]
    task = "install Ibis and dependencies for the DuckDB backend"
    assert install["input"]["question"] in {f"How do I {task}?", f"How can I {task}?"}
    answer = install["target"]["answer"]
    assert answer.startswith(INSTALL_LEAD)
    assert "pip install 'ibis-framework[duckdb]'" in answer  # the first tab
    assert "conda" not in answer  # the other tabs are alternatives, left out
    assert ":::" not in answer and "panel-tabset" not in answer
    assert "## pip" not in answer
    assert "with the extra named after that backend" in answer
    assert "code_example" not in install["target"]  # shell, not Python


def test_a_callout_title_does_not_split_its_section(mined) -> None:
    _, _, records = mined
    order = _by_heading(records)["Order the events"]
    assert "Ordering matters" not in _by_heading(records)
    answer = order["target"]["answer"]
    assert "**Ordering matters**" in answer  # the callout's title, kept as bold text
    assert "no particular sequence" in answer
    assert "The lag of the timestamp" in answer  # the prose after the callout
    assert "callout" not in answer and ":::" not in answer
    assert order["input"]["question"] in {
        "How do I order the events with Ibis?",
        "How can I order the events in Ibis?",
    }


def test_quarto_markup_is_cleaned_and_web_links_kept(mined) -> None:
    _, _, records = mined
    count = _by_heading(records)["Count the sessions per user"]
    answer = count["target"]["answer"]
    assert "Counting the sessions of each user is a group by" in answer
    assert "the aggregation guide explains further" in answer  # a page of the site: its text
    for markup in ("{{<", "include", "@fig-", "aggregate.qmd", "<div", "</div>", "class="):
        assert markup not in answer, markup
    assert "[DuckDB docs](https://duckdb.org/docs)" in answer  # a web link stays a link
    assert count["input"]["question"] in {
        "How do I count the sessions per user with Ibis?",
        "How can I count the sessions per user in Ibis?",
    }


def test_code_examples_are_run(mined) -> None:
    _, _, records = mined
    found = _by_heading(records)
    runs = found["Sum a column"]
    assert (
        runs["target"]["code_example"]
        == 'import ibis\nt = ibis.memtable({"a": [1, 2]})\nt.a.sum()\n'
    )
    assert runs["meta"]["code_runs"] is True
    assert "code_error" not in runs["meta"] and "stale_code" not in (runs["meta"].get("tags") or [])
    assert SUM_PROSE in runs["target"]["answer"]

    stale = found["Call a method"]
    assert stale["meta"]["code_runs"] is False
    assert stale["meta"]["code_error"].startswith("AttributeError")
    assert "no_such_method" in stale["meta"]["code_error"]
    assert "stale_code" in stale["meta"]["tags"]

    for heading in ("Sessionize a log of events", "Install", "Order the events"):
        assert "code_runs" not in found[heading]["meta"]  # nothing to run


def test_what_is_not_an_answer_is_counted(mined) -> None:
    _, out, _ = mined
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["tasks"]["qa"]["count"] == 6
    rejects = manifest["stages"]["answers"]["rejects"]
    assert manifest["stages"]["answers"]["serves"] == {"answer": ["qa"]}
    expected = {
        "only_code": 1,
        "only_images": 1,
        "generic_heading": 1,
        "narrative_section": 1,  # a blog post's section that names no task
        "not_a_guide": 1,  # a contributor's page
        "partial_page": 1,
    }
    assert {k: rejects.get(k) for k in expected} == expected
    assert "no_prose" not in rejects


def test_validate_finds_every_answer_at_its_page(mined) -> None:
    _, out, _ = mined
    checked = runner.invoke(app, ["validate", str(out)])
    assert checked.exit_code == 0, checked.output
    assert "0 problems" in checked.output
    assert "provenance unchecked for 0" in checked.output


def test_validate_reports_an_answer_the_page_no_longer_holds(tmp_path: Path) -> None:
    src, out = _docs(tmp_path / "src"), tmp_path / "out"
    _mine(src, out)
    page = src / "docs/how-to/sessionize.qmd"
    page.write_text(PAGE.replace(SUM_PROSE, "Summing is explained elsewhere now."), "utf-8")
    checked = runner.invoke(app, ["validate", str(out)])
    assert checked.exit_code == 1, checked.output
    assert "answer paragraph not found" in checked.output
    assert "docs/how-to/sessionize.qmd" in checked.output
    assert "1 problem" in checked.output


# links, noun headings and short install steps ---------------------------------------------


def test_a_section_of_links_to_site_pages_is_navigation(tmp_path: Path) -> None:
    links = "\n".join(f"- [Guide number {i} about sessions]({i}.qmd)" for i in range(6))
    page = f"# Sessionize events\n\n{LEAD}\n\n## Related pages\n\n{links}\n"
    (tmp_path / "src/docs").mkdir(parents=True)
    (tmp_path / "src/docs/related.qmd").write_text(page, encoding="utf-8")
    out = tmp_path / "out"
    records = _mine(tmp_path / "src", out)
    assert "Related pages" not in _by_heading(records)
    rejects = json.loads((out / "manifest.json").read_text())["stages"]["answers"]["rejects"]
    assert rejects.get("navigation") == 1


def test_a_noun_heading_is_not_replaced_by_a_statement() -> None:
    lead = "Window functions compute a value for each row from the rows around it."
    question = question_of("Window functions", lead, "k")
    assert question in {
        "What should I know about window functions in Ibis?",
        "What do I need to know about window functions in Ibis?",
    }


def test_an_install_step_with_a_tabset_is_answered(tmp_path: Path) -> None:
    install = PAGE.split("## Install\n", 1)[1].split("Any other backend")[0]
    page = f"# Get started\n\n{LEAD}\n\n## Install\n{install}"
    (tmp_path / "src/docs").mkdir(parents=True)
    (tmp_path / "src/docs/start.qmd").write_text(page, encoding="utf-8")
    found = _by_heading(_mine(tmp_path / "src", tmp_path / "out"))
    assert "Install" in found
    assert found["Install"]["target"]["answer"].startswith(INSTALL_LEAD)


def test_answers_without_code_to_run_start_no_sandbox(tmp_path: Path, monkeypatch) -> None:
    def no_sandbox(*args, **kwargs):
        raise AssertionError("a sandbox was started with nothing to run")

    monkeypatch.setattr("ibert_mine.pipeline.jobs.Sandbox", no_sandbox)
    install = PAGE.split("## Install\n", 1)[1].split("Any other backend")[0]
    (tmp_path / "src/docs").mkdir(parents=True)
    (tmp_path / "src/docs/start.qmd").write_text(f"# Get started\n\n## Install\n{install}", "utf-8")
    found = _by_heading(_mine(tmp_path / "src", tmp_path / "out"))
    assert "code_runs" not in found["Install"]["meta"]


def test_snapshot(mined, snapshot) -> None:
    """The whole output on the fixture page, byte for byte (``--update-snapshots`` writes it)."""
    _, out, _ = mined
    snapshot((out / "qa_mined.jsonl").read_text(encoding="utf-8"), "qa_docs.jsonl")


def test_a_notebook_is_read_as_a_page_of_cells(tmp_path: Path) -> None:
    cells = [
        {"cell_type": "markdown", "source": ["# Tour of the tables\n", "\n", f"{LEAD}\n"]},
        {"cell_type": "markdown", "source": f"## Sum a column\n\n{SUM_PROSE}"},
        {
            "cell_type": "code",
            "source": ["import ibis\n", "t = ibis.memtable({'a': [1]})\n", "t.a.sum()"],
            "outputs": [],
        },
    ]
    (tmp_path / "src").mkdir()
    notebook = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    (tmp_path / "src/tour.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
    found = _by_heading(_mine(tmp_path / "src", tmp_path / "out"))
    summed = found["Sum a column"]
    assert summed["meta"]["origin"] == "notebook"
    assert summed["meta"]["lines"] == [2, 3]  # the cells the section spans
    assert summed["target"]["answer"].startswith(SUM_PROSE)
    assert (
        summed["target"]["code_example"]
        == "import ibis\nt = ibis.memtable({'a': [1]})\nt.a.sum()\n"
    )
    assert summed["meta"]["code_runs"] is True
    checked = runner.invoke(app, ["validate", str(tmp_path / "out")])
    assert checked.exit_code == 0 and "0 problems" in checked.output, checked.output


def test_odd_cells_and_fences_neither_crash_nor_break_grounding(tmp_path: Path) -> None:
    cells = [
        {"cell_type": "markdown", "source": ["## Sum a column\n", f"\n{SUM_PROSE}\n", None]},
        {"cell_type": "code", "source": None},
        {"cell_type": "code", "source": ["import ibis\n", 3, "ibis.literal(1)"]},
    ]
    notebook = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    (tmp_path / "src").mkdir()
    (tmp_path / "src/odd.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
    block = "~~~python\nimport ibis\nibis.literal(1)\n~~~"
    after = "After the block, more words to read about summing a column here."
    tilde = f"# Tildes\n\n## Sum with tildes\n\n{SUM_PROSE}\n\n{block}\n\n{after}\n"
    (tmp_path / "src/tilde.qmd").write_text(tilde, encoding="utf-8")
    found = _by_heading(_mine(tmp_path / "src", tmp_path / "out"))
    assert found["Sum with tildes"]["target"]["answer"].count("~~~") == 2
    assert "import ibis" in found["Sum a column"]["target"]["code_example"]
    checked = runner.invoke(app, ["validate", str(tmp_path / "out")])
    assert checked.exit_code == 0 and "0 problems" in checked.output, checked.output


def test_code_that_kills_the_worker_keeps_its_question(tmp_path: Path) -> None:
    crash = "```python\nimport ctypes\nctypes.string_at(0)\n```"
    page = f"# Crash\n\n## Sum a column\n\n{SUM_PROSE}\n\n{crash}\n"
    (tmp_path / "src").mkdir()
    (tmp_path / "src/crash.qmd").write_text(page, encoding="utf-8")
    out = tmp_path / "out"
    found = _by_heading(_mine(tmp_path / "src", out))
    assert "code_runs" not in found["Sum a column"]["meta"]  # kept, its code not run
    rejects = json.loads((out / "manifest.json").read_text())["stages"]["answers"]["rejects"]
    assert rejects == {"code_crashed": 1}
