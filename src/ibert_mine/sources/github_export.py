"""GitHub REST exports of issues and their comments, read as threads.

Two kinds of ``--source`` file, recognised by their content (:func:`recognise`): *issues*,
as ``gh api --paginate 'repos/OWNER/REPO/issues?state=all'`` writes them (``url``,
``html_url``, ``number``, ``title``, ``body``, ``user``, ``labels``, ``author_association``,
``state``, ``created_at``, ``reactions``; pull requests also ``pull_request``; comments may
be embedded as a list, ``comments`` or ``comments_data``), and *comments*, as ``gh api
--paginate repos/OWNER/REPO/issues/comments`` writes them (``id``, ``issue_url``, ...).

A file is a JSON array, arrays one after another (``--paginate`` writes one per page), an
array of page arrays (``--slurp``) or JSON Lines, streamed a record at a time: only one
record (at most :data:`MAX_RECORD_CHARS`) is held, and the comments of comments files. A
damaged file gives every complete record before the damage, then ``truncated_export`` (it
ends too soon) or ``malformed_export`` (bad JSON or bytes not UTF-8 in the middle).
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, BinaryIO

from ibert_mine.core.reasons import Reason, Reject
from ibert_mine.sources import threads as shared
from ibert_mine.sources.provenance import Provenance
from ibert_mine.sources.threads import GITHUB, Post, ThreadUnit

HEAD_BYTES = 64 << 10  # what :func:`recognise` is given of a file
CHUNK_CHARS = 1 << 20
MAX_RECORD_CHARS = 64 << 20  # a record longer than this is taken for damage

# fmt: off
PULL_REQUEST = Reason("pull_request", "a pull request of an issues export: not a question thread")
DUPLICATE_ISSUE = Reason("duplicate_issue", "an issue listed again (pages fetched as it changed)")
ORPHAN_COMMENT = Reason("orphan_comment", "a comment on a pull request or an issue not exported")
REASONS: tuple[Reason, ...] = (PULL_REQUEST, DUPLICATE_ISSUE, ORPHAN_COMMENT, *shared.DAMAGE)
# fmt: on

_DECODER = json.JSONDecoder()
_WS = re.compile(r"[ \t\n\r\ufeff]*")
_OPENING = re.compile(r"[\s\ufeff]*(?:\[\s*){0,2}\{")
_ISSUE_URL = re.compile(r"([^/]+/[^/]+)/(?:issues|pull|pulls)/(\d+)/?$")
_NUMBER_TAIL = re.compile(r"\.|[eE][-+]?")  # what may follow the digits of a cut number
_LITERALS = ("true", "false", "null", "-")
_TOP, _FIRST, _AFTER, _NEXT = range(4)  # outside arrays; after "["; after an element; ","
_Posts = list[tuple[Any, Post]]  # (sort key, post) of comments
_Comments = dict[str, _Posts]  # by issue key


def recognise(head: str) -> str | None:
    """``"issues"`` or ``"comments"`` when ``head`` (the first 64 KiB of a file, decoded)
    starts a GitHub REST export of that kind, else None.

    >>> recognise('[{"number": 1, "title": "Bug"}]'), recognise('{"id": 7, "issue_url": "u"}')
    ('issues', 'comments')
    """
    opening = _OPENING.match(head)
    if opening is None:
        return None
    try:
        return _kind(_DECODER.raw_decode(head, opening.end() - 1)[0])
    except json.JSONDecodeError:  # the first record is longer than the head: read its keys
        issue = re.search(r'"number"\s*:\s*\d', head)
        comment = re.search(r'"issue_url"\s*:', head)
        if issue and '"title"' in head and (comment is None or issue.start() < comment.start()):
            return "issues"
        return "comments" if comment else None


def _kind(record: Any) -> str | None:
    if not isinstance(record, dict):
        return None
    if isinstance(record.get("issue_url"), str) and "id" in record:
        return "comments"
    issue = type(record.get("number")) is int and isinstance(record.get("title"), str)
    return "issues" if issue else None


def read_threads(files: Sequence[tuple[Provenance, Path]]) -> Iterator[ThreadUnit | Reject]:
    """Every issue thread of the given export files (issues files and comments files, in
    any order), and a reason for each record dropped.

    ``files`` pairs each file's provenance (that of the threads read from it) with its path
    on disk. Comments files are read first; then each issue of the other files, in order,
    gives a thread with its comments as answers, by creation time and id. One
    ``orphan_comment`` follows the threads for each comment no issue took."""
    kinds = [(provenance, path, _file_kind(path)) for provenance, path in files]
    comments: _Comments = {}
    for path in (path for _, path, kind in kinds if kind == "comments"):
        yield from _read_comments(path, comments)
    seen: set[str] = set()
    for provenance, path in ((prov, path) for prov, path, kind in kinds if kind != "comments"):
        yield from _read_issues(provenance, path, comments, seen)
    yield from (ORPHAN_COMMENT() for posts in comments.values() for _ in posts)


def _file_kind(path: Path) -> str:
    try:
        with path.open("rb") as raw:
            return recognise(raw.read(HEAD_BYTES).decode("utf-8", errors="replace")) or "issues"
    except OSError:
        return "issues"  # reading it again gives its reason


def _read_comments(path: Path, comments: _Comments) -> Iterator[Reject]:
    for record in _records(path):
        comment = None if isinstance(record, Reject) else _comment(record)
        if comment is None or not isinstance(record.get("issue_url"), str):
            yield record if isinstance(record, Reject) else shared.MALFORMED_RECORD()
        else:
            url = record["issue_url"]
            comments.setdefault(_issue_key(url) or url, []).append(comment)


def _read_issues(
    provenance: Provenance, path: Path, comments: _Comments, seen: set[str]
) -> Iterator[ThreadUnit | Reject]:
    for record in _records(path):
        if isinstance(record, Reject):
            yield record
        elif _kind(record) != "issues":
            yield shared.MALFORMED_RECORD()
        elif record.get("pull_request") is not None or "/pull/" in _str(record, "html_url"):
            yield PULL_REQUEST()
        else:
            key = _issue_key(_str(record, "url")) or _issue_key(_str(record, "html_url"))
            key = key or f"#{record['number']}"
            if key in seen:
                yield DUPLICATE_ISSUE()
                continue
            seen.add(key)
            answers = comments.pop(key, [])
            embedded = record.get("comments")
            embedded = embedded if isinstance(embedded, list) else record.get("comments_data")
            for comment in map(_comment, embedded if isinstance(embedded, list) else []):
                if comment is None:
                    yield shared.MALFORMED_RECORD()
                else:
                    answers.append(comment)
            yield _thread(provenance, record, answers)


def _thread(provenance: Provenance, issue: dict[str, Any], comments: _Posts) -> ThreadUnit:
    answers: dict[str, Post] = {}
    for _, post in sorted(comments, key=lambda pair: pair[0]):
        answers.setdefault(post.id, post)  # a comment both embedded and in a comments file
    labels = issue.get("labels") if isinstance(issue.get("labels"), list) else []
    names = [label.get("name") if isinstance(label, dict) else label for label in labels]
    return ThreadUnit(
        provenance=provenance,
        site=GITHUB,
        title=issue["title"],
        question=_post(issue, str(issue["number"])),
        answers=tuple(answers.values()),
        labels=tuple(name for name in names if isinstance(name, str)),
        state=_str(issue, "state") or None,
    )


def _comment(record: Any) -> tuple[Any, Post] | None:  # (sort key, post)
    if not isinstance(record, dict) or not isinstance(record.get("id"), int | str):
        return None
    ident = record["id"]
    post = _post(record, str(ident))
    order = (0, ident, "") if type(ident) is int else (1, 0, str(ident))
    return (post.created or "", *order), post


def _post(record: dict[str, Any], ident: str) -> Post:
    user = record.get("user")
    return Post(
        id=ident,
        body=_str(record, "body").replace("\r\n", "\n"),
        url=_str(record, "html_url") or None,
        author=_str(user, "login") or None if isinstance(user, dict) else None,
        role=_str(record, "author_association") or None,
        score=_score(record.get("reactions")),
        created=_str(record, "created_at") or None,
    )


def _score(reactions: Any) -> int | None:
    votes = [reactions.get(key, 0) for key in ("+1", "-1")] if isinstance(reactions, dict) else []
    return votes[0] - votes[1] if votes and all(type(v) is int for v in votes) else None


def _issue_key(url: str) -> str | None:
    """``owner/repo#number`` of an issue's API or web URL (None for another URL)."""
    match = _ISSUE_URL.search(url)
    return f"{match.group(1).lower()}#{int(match.group(2))}" if match else None


def _str(record: dict[str, Any], key: str) -> str:
    value = record.get(key)
    return value if isinstance(value, str) else ""


def _records(path: Path) -> Iterator[Any]:
    """The records of an export file, a :class:`Reject` last if it is damaged."""
    try:
        with path.open("rb") as raw:
            yield from _Reader(raw).values()
    except OSError:  # only opening it: _Reader catches the errors of reading
        yield shared.UNREADABLE_EXPORT()


class _Reader:
    """A window onto a file's text, sliding as the values in it are read."""

    def __init__(self, raw: BinaryIO) -> None:
        self.raw, self.decoder = raw, codecs.getincrementaldecoder("utf-8")()
        self.text, self.pos, self.eof = "", 0, False
        self.damage: Reason | None = None  # why reading stopped before the end

    def values(self) -> Iterator[Any]:
        """The values, the elements of arrays (two deep) one by one; a Reject on damage."""
        depth, state = 0, _TOP
        while (char := self._peek()) is not None:
            if char == "[" and state != _AFTER and depth < 2:
                depth, state = depth + 1, _FIRST
            elif char == "]" and state in (_FIRST, _AFTER):
                depth -= 1
                state = _AFTER if depth else _TOP
            elif char == "," and state == _AFTER:
                state = _NEXT
            else:
                value = shared.MALFORMED_EXPORT() if state == _AFTER else self._value()
                if isinstance(value, Reject):
                    yield self.damage() if self.damage else value
                    return
                yield value
                state = _AFTER if depth else _TOP
                continue
            self.pos += 1
        if self.damage or depth:
            yield (self.damage or shared.TRUNCATED_EXPORT)()

    def _more(self, size: int = 0) -> bool:
        """Drop the text read, add the next ``size`` bytes (a chunk); False at the end."""
        if self.eof:
            return False
        try:
            data = self.raw.read(size or CHUNK_CHARS)
            text = self.decoder.decode(data, final=not data)
        except UnicodeDecodeError as err:
            text = err.object[: err.start].decode("utf-8")
            if err.reason != "unexpected end of data":  # else cut inside a character
                self.damage = shared.MALFORMED_EXPORT
            self.eof = True
        except OSError:
            text, self.eof, self.damage = "", True, shared.UNREADABLE_EXPORT
        else:
            self.eof = not data
        self.text, self.pos = self.text[self.pos :] + text, 0
        return True

    def _peek(self) -> str | None:
        while True:
            self.pos = _WS.match(self.text, self.pos).end()  # type: ignore[union-attr]
            if self.pos < len(self.text):
                return self.text[self.pos]
            if not self._more():
                return None

    def _value(self) -> Any:
        while True:
            try:
                value, end = _DECODER.raw_decode(self.text, self.pos)
            except json.JSONDecodeError as err:
                if not _cut_short(err) or len(self.text) - self.pos > MAX_RECORD_CHARS:
                    return shared.MALFORMED_EXPORT()
                if not self._more(max(CHUNK_CHARS, len(self.text) - self.pos)):
                    return shared.TRUNCATED_EXPORT()
                continue
            if end == len(self.text) and self._more():
                continue  # a number or a literal may go on in the next chunk
            self.pos = end
            return value


def _cut_short(err: json.JSONDecodeError) -> bool:
    """Whether JSON failed to decode only because its text ends too soon."""
    if err.msg.startswith("Unterminated string"):
        return True
    if len(err.doc) - err.pos > 6:
        return False
    rest = err.doc[err.pos :]  # "nul", "-", "1." or a "\\u12" escape, cut at the end
    if err.msg == "Expecting value":
        return any(literal.startswith(rest) for literal in _LITERALS)
    number = err.msg == "Expecting ',' delimiter" and _NUMBER_TAIL.fullmatch(rest)
    return not rest or bool(number) or err.msg.startswith("Invalid \\uXXXX")
