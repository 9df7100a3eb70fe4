"""A question with its grounded answer, before its code example has run.

Every miner of the task (the API reference, documentation sections, community threads)
makes :class:`Pair` values. An answer is paragraphs of text quoted from its source, after
:func:`~ibert_mine.tasks.qa.markup.clean`, and at most one lead paragraph the miner wrote
(``Use `Table.pivot_longer`.``); ``lead`` keeps that paragraph apart so ``validate`` can
tell it from the quoted text. Phrasings vary by a stable hash (:func:`pick`), never by
chance, so a run gives the same questions every time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ibert_mine.tasks.qa.markup import clean, normalise, paragraphs


@dataclass(frozen=True, slots=True)
class Pair:
    """A question, its answer (the lead, then quoted paragraphs) and its code example."""

    question: str
    quoted: str  # the answer's text found at its source (cleaned Markdown)
    kind: str  # meta.question_kind
    meta: dict[str, Any] = field(hash=False, compare=False)  # provenance, origin, symbol, ...
    lead: str = ""  # a sentence the miner wrote before the quoted text, or ""
    code: str | None = None  # runnable code, or None
    # the name the code example must use to be this pair's (an optional parameter's)
    uses: str | None = None

    @property
    def answer(self) -> str:
        """The answer as written: the lead paragraph, then the quoted text."""
        return f"{self.lead}\n\n{self.quoted}" if self.lead else self.quoted


def seed(text: str) -> int:
    """A stable 64-bit hash of ``text``."""
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big")


def pick(options: Sequence[str], key: str) -> str:
    """One of ``options``, chosen by a stable hash of ``key``."""
    return options[seed(key) % len(options)]


def quoted_paragraphs(answer: str, lead: str) -> list[str]:
    """The answer's paragraphs after its lead, normalised: what must be found at the source."""
    body = answer.removeprefix(lead).strip() if lead else answer
    return [p for p in (normalise(x) for x in paragraphs(body)) if p]


def missing_paragraph(answer: str, lead: str, source_text: str) -> str | None:
    """The first quoted paragraph of ``answer`` that no paragraph of ``source_text`` holds,
    both normalised (a paragraph is never found across two of the source's), or None when
    every one is there."""
    haystacks = [normalise(p) for p in paragraphs(clean(source_text))]
    for paragraph in quoted_paragraphs(answer, lead):
        if not any(paragraph in haystack for haystack in haystacks):
            return paragraph
    return None
