"""Threads read from Stack Exchange Posts.xml dumps: Ibis questions, answers, damage."""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import quoteattr

import pytest

from ibert_mine.core.reasons import Reject
from ibert_mine.sources import stackexchange as se
from ibert_mine.sources.provenance import Provenance
from ibert_mine.sources.threads import STACKEXCHANGE, ThreadUnit

HEAD = '<?xml version="1.0" encoding="utf-8"?>\n<posts>\n'
CODE_BODY = (
    "<p>How do I filter <code>t.a_b</code>? See <a href='https://ibis-project.org'>the docs</a>."
    '</p>\n\n<pre class="lang-py prettyprint-override"><code>import ibis\n'
    "t = t.filter((t.x &lt; 3) &amp; (t.y &gt; 1))\n</code></pre>\n"
    '<p><img src="https://i.sstatic.net/a.png" alt="the error"></p>\n'
)
CODE_MARKDOWN = (
    "How do I filter `t.a_b`? See [the docs](https://ibis-project.org).\n\n"
    "```python\nimport ibis\nt = t.filter((t.x < 3) & (t.y > 1))\n```\n\nthe error"
)


def row(**attrs: object) -> str:
    return "  <row " + " ".join(f"{k}={quoteattr(str(v))}" for k, v in attrs.items()) + " />\n"


def question(id: int, tags: str, body: str = "<p>How?</p>", **more: object) -> str:
    attrs = {"Id": id, "PostTypeId": 1, "CreationDate": "2023-01-01T00:00:00.000", "Score": 5}
    attrs |= {"Body": body, "OwnerUserId": 7, "Title": f"Question {id}", "Tags": tags}
    return row(**(attrs | more), ContentLicense="CC BY-SA 4.0")


def answer(id: int, parent: int, body: str = "<p>Like this.</p>", **more: object) -> str:
    attrs = {"Id": id, "PostTypeId": 2, "ParentId": parent, "Score": 3, "Body": body}
    return row(**(attrs | more), CreationDate="2023-01-02T00:00:00.000")


DUMP = (
    HEAD
    + question(1, "<python><ibis>", CODE_BODY, AcceptedAnswerId=3, OwnerDisplayName="Ann")
    + question(2, "<python><pandas>")
    + answer(3, 1, "<p>Use <code>t.x.isin([1, 2])</code>.</p>", OwnerUserId=9)
    + answer(4, 2)
    + answer(5, 1, Score=-1)
    + question(6, "|python|ibis-framework|", AcceptedAnswerId=99)
    + row(Id=7, PostTypeId=5, Body="<p>tag wiki</p>")
    + question(8, "<python-ibis><duckdb>", "<p>   </p>")
    + answer(9, 8)
    + question(10, "<python-ibis>")
    + answer(11, 10, "<p><img src='x.png'></p>")
    + answer(12, 10, Score="many")
    + row(PostTypeId=1, Tags="<ibis>", Body="<p>x</p>")
    + answer(13, 10)
    + "</posts>\n"
)


def read(path: Path) -> tuple[list[ThreadUnit], list[str]]:
    out = list(se.read_threads(Provenance("dump", path.name), path))
    threads = [item for item in out if isinstance(item, ThreadUnit)]
    rejects = [item.key for item in out if isinstance(item, Reject)]
    assert out == [*threads, *[item for item in out if isinstance(item, Reject)]]
    return threads, rejects


def write(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "Posts.xml"
    path.write_text(text, encoding="utf-8")
    return path


def test_ibis_questions_with_all_their_answers(tmp_path: Path) -> None:
    threads, rejects = read(write(tmp_path / "dump", DUMP))
    assert [t.question.id for t in threads] == ["1", "6", "10"]
    first = threads[0]
    assert first.site == STACKEXCHANGE and first.title == "Question 1"
    assert first.labels == ("python", "ibis")
    assert first.provenance == Provenance("dump", "Posts.xml")
    q = first.question
    assert (q.body, q.url, q.author, q.score) == (
        CODE_MARKDOWN,
        "https://stackoverflow.com/q/1",
        "Ann",
        5,
    )
    assert (q.created, q.license, q.accepted) == ("2023-01-01T00:00:00.000", "CC BY-SA 4.0", False)
    assert [(a.id, a.accepted, a.score) for a in first.answers] == [
        ("3", True, 3),
        ("5", False, -1),
    ]
    accepted = first.answers[0]
    assert accepted.body == "Use `t.x.isin([1, 2])`."
    assert (accepted.url, accepted.author) == ("https://stackoverflow.com/a/3", "user 9")
    assert first.answers[1].author is None and first.answers[1].license is None
    assert threads[1].labels == ("python", "ibis-framework") and threads[1].answers == ()
    assert threads[1].question.author == "user 7"
    assert [a.id for a in threads[2].answers] == ["13"]  # 11 empty, 12 a bad score
    # 8: an empty question (its answer 9 goes with it); 11: an image without alt text;
    # 12: Score="many"; a row without an Id
    assert rejects == ["empty_body", "empty_body", "malformed_record", "malformed_record"]


def test_the_output_is_a_function_of_the_input(tmp_path: Path) -> None:
    path = write(tmp_path / "dump", DUMP)
    assert list(se.read_threads(Provenance("d", "p"), path)) == list(
        se.read_threads(Provenance("d", "p"), path)
    )


@pytest.mark.parametrize(
    ("folder", "site"),
    [
        ("dba.stackexchange.com", "dba.stackexchange.com"),
        ("stackoverflow.com-Posts", "stackoverflow.com"),
        ("datascience.stackexchange.com.7z", "datascience.stackexchange.com"),
        ("dump", "stackoverflow.com"),
    ],
)
def test_urls_name_the_site_of_the_folder(tmp_path: Path, folder: str, site: str) -> None:
    (thread,) = read(
        write(tmp_path / folder, HEAD + question(1, "<ibis>") + answer(3, 1) + "</posts>")
    )[0]
    assert thread.question.url == f"https://{site}/q/1"
    assert thread.answers[0].url == f"https://{site}/a/3"


@pytest.fixture(params=[1 << 20, 7], ids=["one_chunk", "7_byte_chunks"])
def chunks(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(se, "CHUNK_BYTES", request.param)


@pytest.mark.usefixtures("chunks")
def test_a_truncated_dump_keeps_the_threads_before_the_cut(tmp_path: Path) -> None:
    cut = DUMP.index('  <row Id="10"') + 40  # mid-row
    threads, rejects = read(write(tmp_path / "dump", DUMP[:cut]))
    assert [t.question.id for t in threads] == ["1", "6"]
    assert [a.id for a in threads[0].answers] == ["3", "5"]
    assert rejects == ["empty_body", "truncated_export"]
    threads, rejects = read(write(tmp_path / "no_end", DUMP.removesuffix("</posts>\n")))
    assert [t.question.id for t in threads] == ["1", "6", "10"]
    assert rejects[-1] == "truncated_export"
    data = DUMP.replace("How?", "Wie schön?").encode()
    for cut in range(data.index(b"\xc3") + 1, len(data) - 2, 97):  # mid-character, ...
        path = tmp_path / "cuts" / "Posts.xml"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(data[:cut])
        assert read(path)[1][-1] == "truncated_export", cut


@pytest.mark.usefixtures("chunks")
def test_damage_before_the_end_is_a_malformed_export(tmp_path: Path) -> None:
    damaged = DUMP.replace('  <row Id="6"', '  <row Id="6" <broken', 1)
    threads, rejects = read(write(tmp_path / "dump", damaged))
    assert [t.question.id for t in threads] == ["1"]
    assert rejects == ["malformed_export"]
    threads, rejects = read(write(tmp_path / "junk", DUMP + "<posts>\n"))
    assert len(threads) == 3 and rejects[-1] == "malformed_export"


def test_entity_declarations_are_refused_whole(tmp_path: Path) -> None:
    laughs = "".join(f'  <!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">\n' for i in range(1, 10))
    doctype = f'<!DOCTYPE posts [\n  <!ENTITY lol0 "lol">\n{laughs}]>\n'
    text = HEAD.replace("<posts>", doctype + "<posts>") + question(1, "<ibis>", "&lol9;")
    path = write(tmp_path / "dump", text + "</posts>\n")
    assert se.recognise(path.read_text(encoding="utf-8"))
    assert read(path) == ([], ["unsafe_xml"])
    external = '<!DOCTYPE posts [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
    path = write(tmp_path / "ext", HEAD.replace("<posts>", external + "<posts>") + "</posts>")
    assert read(path) == ([], ["unsafe_xml"])


def test_a_repeated_id_is_a_malformed_record(tmp_path: Path) -> None:
    text = HEAD + question(1, "<ibis>") + answer(2, 1) + answer(2, 1, "<p>again</p>")
    threads, rejects = read(write(tmp_path / "d", text + question(1, "<ibis>") + "</posts>"))
    assert [a.body for a in threads[0].answers] == ["Like this."]
    assert threads[0].state is None and rejects == ["malformed_record", "malformed_record"]


def test_an_unreadable_dump_is_counted(tmp_path: Path) -> None:
    assert read(tmp_path / "missing" / "Posts.xml") == ([], ["unreadable_export"])


def test_a_body_that_does_not_convert(tmp_path: Path) -> None:
    deep = "<div>" * 5000 + "x" + "</div>" * 5000
    assert se.to_markdown(deep) is None
    threads, rejects = read(
        write(tmp_path / "dump", HEAD + question(1, "<ibis>", deep) + "</posts>")
    )
    assert (threads, rejects) == ([], ["html_not_converted"])


def test_markdown_of_bodies() -> None:
    assert se.to_markdown(CODE_BODY) == CODE_MARKDOWN
    html = (
        "<h2>Setup</h2>\n<p>a</p><p></p><p></p><br><br><br><p>b</p>\n"
        "<pre><code>x = 1\n\n\n\ny = '```'\n</code></pre>\n<ul><li>one</li><li>two</li></ul>"
    )
    assert se.to_markdown(html) == (
        "## Setup\n\na\n\nb\n\n````\nx = 1\n\n\n\ny = '```'\n````\n\n* one\n* two"
    )
    assert se.to_markdown("<p></p>") is None
    assert se.to_markdown("") is None


def test_tags_in_both_syntaxes() -> None:
    assert se.tags_of("<python><ibis-framework>") == ("python", "ibis-framework")
    assert se.tags_of("|python|ibis|") == ("python", "ibis")
    assert se.tags_of("") == ()


def test_recognise() -> None:
    assert se.recognise(DUMP[:200])
    assert se.recognise("\ufeff" + DUMP)
    users = HEAD.replace("posts", "users") + '  <row Id="-1" DisplayName="Community" />\n'
    assert not se.recognise(users)
    assert not se.recognise("<!DOCTYPE html>\n<html><body><p>posts</p></body></html>")
    assert not se.recognise('---\ntitle: "Posts"\n---\n\n```{python}\nimport ibis\n```\n')
    assert not se.recognise(HEAD + "</posts>\n")
