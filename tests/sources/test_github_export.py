"""Threads read from GitHub REST exports of issues and comments, and the damage they take."""

from __future__ import annotations

import doctest
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from ibert_mine.core.reasons import Reject
from ibert_mine.sources import github_export
from ibert_mine.sources.github_export import REASONS, read_threads, recognise
from ibert_mine.sources.provenance import Provenance
from ibert_mine.sources.threads import GITHUB, Post, ThreadUnit

API = "https://api.github.com/repos/ibis-project/ibis"
WEB = "https://github.com/ibis-project/ibis"


def user(login: str) -> dict[str, Any]:
    return {"login": login, "id": 1, "type": "User", "site_admin": False}


def reactions(up: int = 0, down: int = 0) -> dict[str, Any]:
    return {"url": "x", "total_count": up + down, "+1": up, "-1": down, "laugh": 3, "heart": 1}


def issue(number: int, title: str, body: str | None = "", **extra: Any) -> dict[str, Any]:
    record = {
        "url": f"{API}/issues/{number}",
        "repository_url": API,
        "comments_url": f"{API}/issues/{number}/comments",
        "html_url": f"{WEB}/issues/{number}",
        "id": 1000 + number,
        "node_id": "I_kw",
        "number": number,
        "title": title,
        "user": user("asker"),
        "labels": [{"id": 5, "name": "bug", "color": "d73a4a"}],
        "state": "open",
        "locked": False,
        "comments": 0,
        "created_at": f"2024-01-{number:02d}T10:00:00Z",
        "updated_at": "2024-02-01T10:00:00Z",
        "closed_at": None,
        "author_association": "NONE",
        "body": body,
        "reactions": reactions(),
    }
    record.update(extra)
    return record


def comment(ident: int, number: int, body: str, created: str, **extra: Any) -> dict[str, Any]:
    record = {
        "url": f"{API}/issues/comments/{ident}",
        "html_url": f"{WEB}/issues/{number}#issuecomment-{ident}",
        "issue_url": f"{API}/issues/{number}",
        "id": ident,
        "node_id": "IC_kw",
        "user": user("helper"),
        "created_at": created,
        "updated_at": created,
        "author_association": "MEMBER",
        "body": body,
        "reactions": reactions(),
    }
    record.update(extra)
    return record


def pages(*page: list[Any]) -> str:
    """What ``gh api --paginate`` writes: one array per page, one after the other."""
    return "\n".join(json.dumps(items, indent=2) for items in page)


def read(tmp_path: Path, files: dict[str, str | bytes]) -> list[ThreadUnit | Reject]:
    pairs = []
    for name, content in files.items():
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        pairs.append((Provenance(source="export", path=name, base=tmp_path), path))
    return list(read_threads(pairs))


def threads(results: list[ThreadUnit | Reject]) -> list[ThreadUnit]:
    return [r for r in results if isinstance(r, ThreadUnit)]


def reasons(results: list[ThreadUnit | Reject]) -> Counter[str]:
    return Counter(r.key for r in results if isinstance(r, Reject))


def test_doctests() -> None:
    results = doctest.testmod(github_export)
    assert results.attempted and not results.failed


def test_reasons_are_declared_once() -> None:
    names = [reason.name for reason in REASONS]
    assert len(names) == len(set(names))
    assert set(names) == {
        "pull_request",
        "duplicate_issue",
        "orphan_comment",
        "malformed_record",
        "truncated_export",
        "malformed_export",
        "unreadable_export",
    }


def test_paged_issues_with_a_comments_file_read_first(tmp_path: Path) -> None:
    issues = pages(
        [
            issue(
                3,
                "to_pandas loses the timezone",
                "Steps:\r\n```python\r\nt.to_pandas()\r\n```",
                reactions=reactions(5, 2),
                author_association="CONTRIBUTOR",
                comments=2,
            ),
            issue(4, "Docs: how to pivot?", None, labels=["question", {"name": "docs"}, 7]),
        ],
        [
            issue(5, "Add Table.pivot_wider", pull_request={"url": f"{API}/pulls/5"}),
            issue(6, "Closed one", "body", state="closed", reactions=None),
        ],
    )
    comments = pages(
        [
            comment(902, 3, "Second, same time, larger id", "2024-01-04T00:00:00Z"),
            comment(17, 3, "First\r\nreply", "2024-01-03T09:00:00Z", reactions=reactions(1)),
            comment(901, 3, "Second, same time", "2024-01-04T00:00:00Z", user=None),
        ],
        [
            comment(950, 5, "on the pull request", "2024-01-05T00:00:00Z"),
            comment(951, 99, "on an issue not exported", "2024-01-05T00:00:00Z"),
        ],
    )
    # the issues file is listed first: comments files are read first whatever the order
    results = read(tmp_path, {"issues.json": issues, "comments.json": comments})
    found = threads(results)
    assert [t.title for t in found] == [
        "to_pandas loses the timezone",
        "Docs: how to pivot?",
        "Closed one",
    ]
    first, second, third = found
    assert first.site == GITHUB and first.provenance.path == "issues.json"
    assert first.question == Post(
        id="3",
        body="Steps:\n```python\nt.to_pandas()\n```",
        url=f"{WEB}/issues/3",
        author="asker",
        role="CONTRIBUTOR",
        score=3,
        created="2024-01-03T10:00:00Z",
    )
    assert [a.id for a in first.answers] == ["17", "901", "902"]
    assert first.answers[0] == Post(
        id="17",
        body="First\nreply",
        url=f"{WEB}/issues/3#issuecomment-17",
        author="helper",
        role="MEMBER",
        score=1,
        created="2024-01-03T09:00:00Z",
    )
    assert first.answers[1].author is None and first.answers[1].score == 0
    assert first.labels == ("bug",) and first.state == "open"
    assert second.question.body == "" and second.answers == ()
    assert second.labels == ("question", "docs")
    assert third.state == "closed" and third.question.score is None
    assert reasons(results) == {"pull_request": 1, "orphan_comment": 2}
    assert isinstance(results[-1], Reject) and isinstance(results[-2], Reject)
    assert all(isinstance(r, ThreadUnit) for r in results[:2])


def test_jsonl_with_embedded_comments_and_slurped_pages(tmp_path: Path) -> None:
    embedded = issue(
        8,
        "Embedded",
        comments=[
            comment(31, 8, "later", "2024-03-02T00:00:00Z"),
            comment(30, 8, "earlier", "2024-03-01T00:00:00Z"),
            "not a comment",
        ],
    )
    data = issue(9, "Data", comments_data=[comment(40, 9, "x", "2024-03-01T00:00:00Z")])
    jsonl = "\n".join(json.dumps(r) for r in (embedded, data)) + "\n"
    slurped = json.dumps([[issue(10, "Slurped page one")], [issue(11, "Page two")]])
    results = read(tmp_path, {"a.jsonl": jsonl, "b.json": slurped})
    found = threads(results)
    assert [t.title for t in found] == ["Embedded", "Data", "Slurped page one", "Page two"]
    assert [a.body for a in found[0].answers] == ["earlier", "later"]
    assert [a.id for a in found[1].answers] == ["40"]
    assert [t.provenance.path for t in found] == ["a.jsonl", "a.jsonl", "b.json", "b.json"]
    assert reasons(results) == {"malformed_record": 1}


def test_a_comment_both_embedded_and_in_a_comments_file_counts_once(tmp_path: Path) -> None:
    reply = comment(30, 8, "same", "2024-03-01T00:00:00Z")
    results = read(
        tmp_path,
        {
            "issues.json": json.dumps([issue(8, "Both", comments=[reply])]),
            "comments.json": json.dumps([reply]),
        },
    )
    (thread,) = threads(results)
    assert [a.id for a in thread.answers] == ["30"] and not reasons(results)


def test_a_truncated_tail_keeps_every_complete_issue(tmp_path: Path) -> None:
    text = pages([issue(1, "One"), issue(2, "Two")], [issue(3, "Three"), issue(4, "Four")])
    cut = text[: text.index('"Four"') + 3]
    results = read(tmp_path, {"issues.json": cut})
    assert [t.title for t in threads(results)] == ["One", "Two", "Three"]
    assert reasons(results) == {"truncated_export": 1} and isinstance(results[-1], Reject)


CUTS = ["", ",", ', {"number": 5, "title": "x", "score": 1.', ', {"title": "\\u00']


@pytest.mark.parametrize(
    ("head", "tail"),
    [("[", cut) for cut in [*CUTS, "]\n["]] + [("[[", cut) for cut in [*CUTS, "], [", "]"]],
)
def test_an_array_cut_between_records_is_truncated(tmp_path: Path, head: str, tail: str) -> None:
    text = head + json.dumps(issue(1, "One")) + tail
    results = read(tmp_path, {"issues.json": text})
    assert [t.title for t in threads(results)] == ["One"]
    assert reasons(results) == {"truncated_export": 1}


def test_garbage_in_the_middle_stops_the_file_not_the_run(tmp_path: Path) -> None:
    first = json.dumps([issue(1, "One"), issue(2, "Two")])
    garbage = first + '\n[{"number": 3, "title": oops}]\n' + json.dumps([issue(4, "Four")])
    results = read(tmp_path, {"bad.json": garbage, "good.json": json.dumps([issue(5, "Five")])})
    assert [t.title for t in threads(results)] == ["One", "Two", "Five"]
    assert reasons(results) == {"malformed_export": 1}


def test_records_that_are_not_issues_are_malformed(tmp_path: Path) -> None:
    text = json.dumps([1, "two", None, {"number": 3}, issue(4, "Four"), [5]])
    results = read(tmp_path, {"issues.json": text})
    assert [t.title for t in threads(results)] == ["Four"]
    assert reasons(results) == {"malformed_record": 5}


def test_a_comments_file_with_bad_records(tmp_path: Path) -> None:
    comments = json.dumps([comment(1, 2, "ok", "2024-01-01T00:00:00Z"), {"id": 5}, 3])
    results = read(
        tmp_path,
        {"comments.json": comments, "issues.json": json.dumps([issue(2, "Two")])},
    )
    assert [a.body for t in threads(results) for a in t.answers] == ["ok"]
    assert reasons(results) == {"malformed_record": 2}


def test_a_file_not_utf8_keeps_the_records_before(tmp_path: Path) -> None:
    good = json.dumps([issue(1, "One")]).encode()
    data = good + b"\n" + json.dumps([issue(2, "T\u00e9")]).encode().replace(b"T", b"T\xff", 1)
    results = read(tmp_path, {"issues.json": data})
    assert [t.title for t in threads(results)] == ["One"]
    assert reasons(results) == {"malformed_export": 1}


def test_a_file_cut_inside_a_character_is_truncated(tmp_path: Path) -> None:
    data = json.dumps([issue(1, "One"), issue(2, "Caf\u00e9")], ensure_ascii=False).encode()
    cut = data[: data.index("\u00e9".encode()) + 1]
    results = read(tmp_path, {"issues.json": cut})
    assert [t.title for t in threads(results)] == ["One"]
    assert reasons(results) == {"truncated_export": 1}


def test_duplicate_issues_and_unreadable_files(tmp_path: Path) -> None:
    text = pages([issue(1, "One")], [issue(1, "One again")])
    results = read(tmp_path, {"issues.json": text})
    assert [t.title for t in threads(results)] == ["One"]
    missing = (Provenance(source="export", path="gone.json"), tmp_path / "gone.json")
    assert [r.key for r in read_threads([missing])] == ["unreadable_export"]  # type: ignore[union-attr]
    assert reasons(results) == {"duplicate_issue": 1}


def test_records_longer_than_a_chunk_are_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(github_export, "CHUNK_CHARS", 7)
    comments = [comment(i, 1, "é" * i + "\\u00e9 1e5", f"2024-01-0{i}") for i in range(1, 4)]
    records = [issue(1, "Long \U0001f600", "b" * 50, score=1.5e-3), issue(2, "Two", "")]
    results = read(
        tmp_path,
        {
            "issues.json": json.dumps(records) + "\n",
            "comments.jsonl": "\n".join(json.dumps(c) for c in comments),
        },
    )
    assert [t.title for t in threads(results)] == ["Long \U0001f600", "Two"]
    assert [len(a.body) for a in threads(results)[0].answers] == [11, 12, 13]
    assert not reasons(results)


def test_a_record_over_the_limit_is_damage(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(github_export, "MAX_RECORD_CHARS", 1000)
    monkeypatch.setattr(github_export, "CHUNK_CHARS", 100)
    text = json.dumps([issue(1, "One"), issue(2, "Big", "x" * 5000), issue(3, "Three")])
    results = read(tmp_path, {"issues.json": text})
    assert [t.title for t in threads(results)] == ["One"]
    assert reasons(results) == {"malformed_export": 1}


def test_output_is_deterministic(tmp_path: Path) -> None:
    files = {
        "b.json": pages([issue(2, "Two")], [issue(1, "One")]),
        "a.json": json.dumps([issue(3, "Three")]),
    }
    first = read(tmp_path, files)
    assert [t.title for t in threads(first)] == ["Two", "One", "Three"]
    assert read(tmp_path, files) == first


def test_recognise() -> None:
    issues = pages([issue(1, "One")])
    assert recognise(issues) == "issues"
    assert recognise("\n" + json.dumps(issue(1, "One")) + "\n") == "issues"  # JSON Lines
    assert recognise(json.dumps([[issue(1, "One")]])) == "issues"  # --slurp
    assert recognise(pages([comment(1, 2, "x", "2024")])) == "comments"
    # a head cut inside the first record is known by its keys
    assert recognise(json.dumps([issue(1, "One", "x" * 70000)])[: 64 << 10]) == "issues"
    big = json.dumps([comment(1, 2, "x" * 70000, "2024")])[: 64 << 10]
    assert recognise(big) == "comments"
    assert recognise("[1, 2, 3]") is None
    assert recognise('[{"name": "x", "url": "https://api.github.com/repos/o/r"}]') is None
    assert recognise('[{"number": 1}]') is None
    assert recognise("") is None
    assert recognise("[]") is None
    assert recognise('{"cells": [], "metadata": {}, "nbformat": 4}') is None
    assert recognise('{"cells": [{"cell_type": "code", "source": ["x' + "y" * 70000) is None


@pytest.mark.parametrize("chunk", [5, 1 << 20])
def test_every_cut_keeps_the_issues_before_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    monkeypatch.setattr(github_export, "CHUNK_CHARS", chunk)
    records = [issue(1, "One", "a\u00e9\U0001f600", closed_at=None, locked=True, score=-1.5e-3)]
    records.append(issue(2, "Two", None, comments=[comment(7, 2, "c", "2024")]))
    first = json.dumps(records[:1]).encode()
    data = first + b"\n" + json.dumps(records[1:]).encode()
    ends = [len(first) - 1, len(data) - 1]  # where each issue's object ends
    path = tmp_path / "issues.json"
    for cut in range(len(data)):
        path.write_bytes(data[:cut])
        results = list(read_threads([(Provenance(source="export", path="i.json"), path)]))
        complete = sum(end <= cut for end in ends)
        assert [t.title for t in threads(results)] == ["One", "Two"][:complete], cut
        expected = {} if cut in (0, len(first), len(first) + 1) else {"truncated_export": 1}
        assert reasons(results) == expected, cut


@pytest.mark.parametrize("garbage", [b"#", b"\xff", b"]", b"{"])
def test_garbage_anywhere_never_crashes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, garbage: bytes
) -> None:
    monkeypatch.setattr(github_export, "CHUNK_CHARS", 16)
    data = pages([issue(1, "One", "x")], [issue(2, "Two", None)]).encode()
    path = tmp_path / "issues.json"
    file_level = {"malformed_export", "truncated_export"}
    for at in range(0, len(data), 3):
        path.write_bytes(data[:at] + garbage + data[at:])
        results = list(read_threads([(Provenance(source="export", path="i.json"), path)]))
        keys = [r.key for r in results if isinstance(r, Reject)]
        assert sum(key in file_level for key in keys) <= 1, at
        assert not keys or keys[-1] in file_level or keys[-1] == "malformed_record", at
        assert len(threads(results)) <= 2
