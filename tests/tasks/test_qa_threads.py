"""qa from community exports: GitHub issues with their comments, a Stack Exchange
``Posts.xml``; which reply answers, what is counted, and grounding in the exports."""

from __future__ import annotations

import json
from html import escape
from pathlib import Path

import pytest
from typer.testing import CliRunner

import ibert_mine
from ibert_mine.cli import app

runner = CliRunner()

API = "https://api.github.com/repos/ibis-project/ibis"
WEB = "https://github.com/ibis-project/ibis"
QUESTION_BODY = "I have a wide table with one column per year and want one row per year instead."
CODE = (
    "import ibis\n"
    't = ibis.memtable({"y2020": [1], "y2021": [2]})\n'
    't.pivot_longer(ibis.selectors.startswith("y"), names_to="year")\n'
)
ANSWER_PROSE = "Use `pivot_longer` with a selector of the year columns to turn them into rows:"


def _issue(number: int, title: str, body: str, login: str, **extra) -> dict:
    return {
        "url": f"{API}/issues/{number}",
        "html_url": f"{WEB}/issues/{number}",
        "number": number,
        "title": title,
        "body": body,
        "user": {"login": login},
        "labels": [],
        "author_association": extra.pop("association", "NONE"),
        "state": "closed",
        "created_at": f"2024-01-0{number}T00:00:00Z",
        **extra,
    }


def _comment(ident: int, number: int, body: str, login: str, association: str) -> dict:
    return {
        "id": ident,
        "issue_url": f"{API}/issues/{number}",
        "html_url": f"{WEB}/issues/{number}#issuecomment-{ident}",
        "body": body,
        "user": {"login": login},
        "author_association": association,
        "created_at": f"2024-01-0{number}T12:00:00Z",
    }


def _github(folder: Path, answer: str = f"{ANSWER_PROSE}\n\n```python\n{CODE}```") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    issues = [
        _issue(1, "How do I pivot a table?", QUESTION_BODY, "asker"),
        _issue(
            2,
            "Add pivot support to the SQL compiler",
            "This adds pivot support.",
            "dev",
            association="MEMBER",
            pull_request={"url": f"{API}/pulls/2"},
        ),
        _issue(
            3,
            "Crash in to_pandas with an empty table",
            "Calling to_pandas on an empty table raises an IndexError.",
            "reporter",
        ),
    ]
    comments = [
        _comment(100, 1, "Same problem here, following this issue.", "bystander", "NONE"),
        _comment(101, 1, answer, "maintainer", "MEMBER"),
        _comment(
            102,
            3,
            "Thanks for the report, this is a real bug in the conversion.",
            "maintainer",
            "MEMBER",
        ),
    ]
    (folder / "issues.json").write_text(json.dumps(issues, indent=1), encoding="utf-8")
    (folder / "comments.json").write_text(json.dumps(comments, indent=1), encoding="utf-8")
    return folder


def _row(**attrs: object) -> str:
    text = " ".join(f'{k}="{escape(str(v), quote=True)}"' for k, v in attrs.items())
    return f"  <row {text} />\n"


LICENSE = "CC BY-SA 4.0"
ACCEPTED = "Use the filter method of the table with a boolean expression on the column."
BEST = "Call nunique on the column expression, which counts the distinct values it holds."
ROWS = [
    _row(
        Id=10,
        PostTypeId=1,
        AcceptedAnswerId=12,
        Score=5,
        Title="How can I filter rows in Ibis?",
        Tags="<python><ibis>",
        Body="<p>I want the rows where a column is above 1. How?</p>",
        OwnerUserId=7,
        ContentLicense=LICENSE,
    ),
    _row(
        Id=11,
        PostTypeId=2,
        ParentId=10,
        Score=9,
        OwnerUserId=5,
        ContentLicense=LICENSE,
        Body="<p>A higher scored answer that the asker did not accept in the end.</p>",
    ),
    _row(
        Id=12,
        PostTypeId=2,
        ParentId=10,
        Score=4,
        OwnerUserId=8,
        ContentLicense=LICENSE,
        Body=f"<p>{ACCEPTED}</p><pre><code>t.filter(t.a &gt; 1)\n</code></pre>",
    ),
    _row(
        Id=20,
        PostTypeId=1,
        Score=2,
        Title="How do I count distinct values with Ibis?",
        Tags="<python><ibis>",
        Body="<p>What is the way to count distinct values?</p>",
        OwnerUserId=9,
        ContentLicense=LICENSE,
    ),
    _row(
        Id=21,
        PostTypeId=2,
        ParentId=20,
        Score=1,
        OwnerUserId=8,
        ContentLicense=LICENSE,
        Body="<p>You could maybe try a group by and then count the groups somehow.</p>",
    ),
    _row(
        Id=22,
        PostTypeId=2,
        ParentId=20,
        Score=3,
        OwnerUserId=6,
        ContentLicense="CC BY-SA 3.0",
        Body=f"<p>{BEST}</p>",
    ),
    _row(
        Id=30,
        PostTypeId=1,
        AcceptedAnswerId=31,
        Score=2,
        Title="How do I merge dataframes?",
        Tags="<python><pandas>",
        Body="<p>How do I merge two pandas dataframes?</p>",
        OwnerUserId=9,
        ContentLicense=LICENSE,
    ),
    _row(
        Id=31,
        PostTypeId=2,
        ParentId=30,
        Score=3,
        OwnerUserId=6,
        ContentLicense=LICENSE,
        Body="<p>Use pd.merge with the on argument naming the shared key column.</p>",
    ),
]
POSTS = '<?xml version="1.0" encoding="utf-8"?>\n<posts>\n' + "".join(ROWS) + "</posts>\n"


def _mine(out: Path, *sources: Path) -> list[dict]:
    args = ["mine", *(x for s in sources for x in ("--source", str(s)))]
    result = runner.invoke(app, [*args, "--task", "qa", "--output", str(out), "--workers", "1"])
    assert result.exit_code == 0, result.output
    lines = (out / "qa_mined.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def _validate(out: Path):
    return runner.invoke(app, ["validate", str(out)])


@pytest.fixture(scope="module")
def github(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict]]:
    root = tmp_path_factory.mktemp("qa_github")
    folder = _github(root / "export")
    out = root / "out"
    return out, _mine(out, folder / "issues.json", folder / "comments.json")


@pytest.fixture(scope="module")
def stackexchange(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict]]:
    root = tmp_path_factory.mktemp("qa_se")
    (root / "dump").mkdir()
    (root / "dump/Posts.xml").write_text(POSTS, encoding="utf-8")
    out = root / "out"
    return out, _mine(out, root / "dump/Posts.xml")


def test_a_github_question_is_answered_by_the_maintainer(github) -> None:
    _, records = github
    assert len(records) == 1
    (record,) = records
    assert record["input"]["question"] == f"How do I pivot a table?\n\n{QUESTION_BODY}"
    assert record["target"]["answer"] == f"{ANSWER_PROSE}\n\n```python\n{CODE}```"
    assert record["target"]["code_example"] == CODE
    meta = record["meta"]
    assert meta["origin"] == "github" and meta["question_kind"] == "thread"
    assert meta["path"] == "issues.json"
    assert meta["thread"] == "1"
    assert meta["url"] == f"{WEB}/issues/1"
    assert meta["answer_id"] == "101"  # not the bystander's comment before it
    assert meta["answer_url"] == f"{WEB}/issues/1#issuecomment-101"
    assert meta["answered_by"] == "maintainer"
    assert "license" not in meta
    assert meta["code_runs"] is True, meta.get("code_error")
    assert "tags" not in meta  # GitHub threads get no place tags


def test_github_rejects_are_counted(github) -> None:
    out, _ = github
    stages = json.loads((out / "manifest.json").read_text())["stages"]
    assert stages["answers"]["rejects"] == {"not_a_question": 1}  # the bug report


def test_the_pull_request_is_counted_under_exports(github) -> None:
    out, _ = github
    exports = json.loads((out / "manifest.json").read_text())["exports"]
    assert exports["rejects"] == {"pull_request": 1}
    assert [f["kind"] for f in exports["files"]] == ["github_issues", "github_comments"]
    assert exports["threads"] == 2  # the question and the bug report


def test_the_pull_request_is_counted_by_the_api(tmp_path: Path) -> None:
    folder = _github(tmp_path / "export")
    mined = ibert_mine.mine(
        [folder / "issues.json", folder / "comments.json"], tasks=["qa"], workers=1
    )
    assert mined.rejects.of("exports") == {"pull_request": 1}
    assert mined.rejects.of("answers") == {"not_a_question": 1}
    assert [e.meta["thread"] for e in mined] == ["1"]


def test_validate_finds_the_github_answer_in_the_exports(github, tmp_path: Path) -> None:
    out, _ = github
    checked = _validate(out)
    assert checked.exit_code == 0, checked.output
    assert "0 problems" in checked.output and "provenance unchecked for 0" in checked.output

    folder = _github(tmp_path / "export")
    out = tmp_path / "out"
    _mine(out, folder / "issues.json", folder / "comments.json")
    _github(folder, answer="A different reply, edited after the run, with other words in it.")
    checked = _validate(out)
    assert checked.exit_code == 1, checked.output
    assert "answer paragraph not found" in checked.output


def test_stack_exchange_takes_the_accepted_else_the_best_answer(stackexchange) -> None:
    _, records = stackexchange
    found = {r["meta"]["thread"]: r for r in records}
    assert set(found) == {"10", "20"}  # the pandas question is not ours
    accepted, best = found["10"], found["20"]

    assert accepted["input"]["question"] == (
        "How can I filter rows in Ibis?\n\nI want the rows where a column is above 1. How?"
    )
    assert accepted["target"]["answer"].startswith(ACCEPTED)
    assert "t.filter(t.a > 1)" in accepted["target"]["answer"]
    assert accepted["meta"]["answered_by"] == "accepted"  # over the higher scored answer 11
    assert accepted["meta"]["answer_id"] == "12"
    assert accepted["meta"]["score"] == 4

    assert best["target"]["answer"] == BEST
    assert best["meta"]["answered_by"] == "best"
    assert best["meta"]["answer_id"] == "22" and best["meta"]["score"] == 3
    assert best["meta"]["license"] == "CC BY-SA 3.0"  # the answer's own license

    for record in records:
        meta = record["meta"]
        assert meta["origin"] == "stackexchange" and meta["question_kind"] == "thread"
        assert meta["path"] == "Posts.xml"
        assert meta["url"] == f"https://stackoverflow.com/q/{meta['thread']}"
        assert meta["answer_url"] == f"https://stackoverflow.com/a/{meta['answer_id']}"
        assert meta["license"].startswith("CC BY-SA")
    assert accepted["meta"]["license"] == LICENSE


def test_validate_finds_the_stack_exchange_answers(stackexchange) -> None:
    out, _ = stackexchange
    checked = _validate(out)
    assert checked.exit_code == 0, checked.output
    assert "2 records" in checked.output and "0 problems" in checked.output
    assert "provenance unchecked for 0" in checked.output


def test_a_truncated_posts_xml_keeps_the_threads_before_the_cut(tmp_path: Path) -> None:
    cut = POSTS.index('<row Id="20"') + 40  # inside the second question's row
    (tmp_path / "dump").mkdir()
    (tmp_path / "dump/Posts.xml").write_text(POSTS[:cut], encoding="utf-8")
    mined = ibert_mine.mine(tmp_path / "dump/Posts.xml", tasks=["qa"], workers=1)
    assert [(e.meta["thread"], e.meta["answer_id"]) for e in mined] == [("10", "12")]
    assert mined.rejects.of("exports") == {"truncated_export": 1}
    assert mined.examples["qa"][0].target["answer"].startswith(ACCEPTED)


def test_snapshot(github, stackexchange, snapshot) -> None:
    """Both exports' output, byte for byte (``--update-snapshots`` writes it)."""
    lines = [json.dumps(r, sort_keys=True) for r in (*github[1], *stackexchange[1])]
    snapshot("\n".join(lines) + "\n", "qa_threads.jsonl")
