"""Threads of community exports: a question and its replies, as one unit.

A ``thread`` unit (:class:`ThreadUnit`) is read from an export given as a ``--source``,
recognised by its content, not its file name:

- a GitHub REST export of issues and their comments (:mod:`~ibert_mine.sources.github_export`);
- a Stack Exchange data dump's ``Posts.xml`` (:mod:`~ibert_mine.sources.stackexchange`).

Exports are streamed: a damaged or truncated export still gives every complete thread
before the damage (and a counted reason for the rest). Bodies are Markdown: a GitHub body
as written, a Stack Exchange body converted from its HTML, code blocks fenced.
"""

from __future__ import annotations

from dataclasses import dataclass

from ibert_mine.core.reasons import Reason
from ibert_mine.sources.provenance import Provenance

GITHUB, STACKEXCHANGE = "github", "stackexchange"

# what the readers of every kind of export count (one declaration: one stage counts both)
MALFORMED_RECORD = Reason(
    "malformed_record", "an export's record lacks the keys or values of its kind (an id, a type)"
)
TRUNCATED_EXPORT = Reason(
    "truncated_export", "the export ends inside a record: the records before it are kept"
)
MALFORMED_EXPORT = Reason(
    "malformed_export", "the export is damaged before its end: the records before it are kept"
)
UNREADABLE_EXPORT = Reason("unreadable_export", "the operating system refused to read the export")
DAMAGE = (MALFORMED_RECORD, TRUNCATED_EXPORT, MALFORMED_EXPORT, UNREADABLE_EXPORT)


@dataclass(frozen=True, slots=True)
class Post:
    """One post of a thread: the question itself, or a reply to it."""

    id: str  # the GitHub issue number or comment id; the Stack Exchange post id
    body: str  # Markdown
    url: str | None = None
    author: str | None = None  # login or display name (None when deleted)
    # GitHub's author_association (OWNER, MEMBER, COLLABORATOR, CONTRIBUTOR, NONE, ...)
    role: str | None = None
    score: int | None = None  # Stack Exchange score; GitHub: reactions "+1" minus "-1"
    accepted: bool = False  # Stack Exchange: the question's accepted answer
    created: str | None = None  # ISO 8601 as the export writes it
    license: str | None = None  # Stack Exchange ContentLicense (CC BY-SA 4.0, ...)


@dataclass(frozen=True, slots=True)
class ThreadUnit:
    """A question with its replies in order (unit kind ``"thread"``).

    ``provenance.path`` is the export file the question was read from (relative to its
    source's base); each post keeps its own id and URL for ``meta``.
    """

    KIND = "thread"

    provenance: Provenance
    site: str  # GITHUB | STACKEXCHANGE
    title: str
    question: Post
    answers: tuple[Post, ...]
    labels: tuple[str, ...] = ()  # GitHub labels, Stack Exchange tags
    state: str | None = None  # GitHub: "open" | "closed"
