"""Threads of a Stack Exchange data dump's ``Posts.xml``: Ibis questions with their answers.

``Posts.xml`` holds one ``<row>`` per post, sorted by ``Id``, its HTML body in an attribute:
a question (``PostTypeId="1"``: ``Title``, ``Tags``, ``AcceptedAnswerId``) before its
answers (``PostTypeId="2"``: ``ParentId``); other post types are ignored. :func:`read_threads`
streams the file through ``defusedxml``'s parser, keeping only the questions tagged with one
of :data:`IBIS_TAGS` (``<a><b>`` or, in newer dumps, ``|a|b|``) and their answers, so a dump
of many GB is never held in memory; other questions are not ours and are not counted.

URLs are ``https://{site}/q/{id}`` and ``https://{site}/a/{id}``: a dump names no site
inside its ``Posts.xml``, so ``site`` is the domain the name of the folder holding it starts
with (``dba.stackexchange.com/``, ``stackoverflow.com-Posts/``), else ``stackoverflow.com``.

Damage is no crash: the threads read before it come out, then one reason. A parse error met
while the file is fed is ``malformed_export``; one met only when the parser is told the input
has ended (a cut mid-row, no ``</posts>``) is ``truncated_export``. A DOCTYPE (entities,
"billion laughs", external references) gives ``unsafe_xml`` and nothing else: dumps have none.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import XMLParser
from markdownify import MarkdownConverter

from ibert_mine.core.reasons import Reason, Reject
from ibert_mine.sources.provenance import Provenance
from ibert_mine.sources.threads import (
    MALFORMED_EXPORT,
    MALFORMED_RECORD,
    STACKEXCHANGE,
    TRUNCATED_EXPORT,
    UNREADABLE_EXPORT,
    Post,
    ThreadUnit,
)

IBIS_TAGS = frozenset({"ibis", "ibis-framework", "python-ibis"})
DEFAULT_SITE = "stackoverflow.com"
CHUNK_BYTES = 1 << 20
QUESTION, ANSWER = 1, 2

HTML_NOT_CONVERTED = Reason("html_not_converted", "a post body whose HTML fails to convert")
EMPTY_BODY = Reason("empty_body", "a post body that converts to no Markdown text")
UNSAFE_XML = Reason(
    "unsafe_xml", "the export declares a DOCTYPE (entities, external references): none read"
)
REASONS: tuple[Reason, ...] = (MALFORMED_RECORD, HTML_NOT_CONVERTED, EMPTY_BODY,
    TRUNCATED_EXPORT, MALFORMED_EXPORT, UNSAFE_XML, UNREADABLE_EXPORT)  # fmt: skip

_HEAD = re.compile(  # declaration, comments, a DOCTYPE (refused later), <posts>, a <row>
    r"\ufeff?\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*|<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>\s*)*"
    r"<posts\b[^>]*>\s*(?:<!--.*?-->\s*)*<row\b",
    re.DOTALL,
)
_DOMAIN = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,63}(?![a-z0-9])")
_ANGLE_TAG = re.compile(r"<([^<>]+)>")
_FENCE = re.compile(r"`{3,}")
_LANGUAGES = {"py": "python", "python3": "python", "none": "", "default": ""}


def recognise(head: str) -> bool:
    """True when ``head`` (the first 64 KiB of a file, decoded) starts a Stack Exchange
    Posts.xml (a <posts> root with <row> elements)."""
    return _HEAD.match(head) is not None


def site_of(path: Path) -> str:
    """The dump's site domain: the leading domain of the name of the folder holding
    ``path`` (``dba.stackexchange.com``, ``stackoverflow.com-Posts``), else
    ``stackoverflow.com``."""
    found = _DOMAIN.match(path.parent.name.lower())
    return found.group(0) if found else DEFAULT_SITE


def tags_of(value: str) -> tuple[str, ...]:
    """The tags of a ``Tags`` attribute, written ``<a><b>`` or ``|a|b|``."""
    if value.startswith("|"):
        return tuple(tag for tag in value.split("|") if tag)
    return tuple(_ANGLE_TAG.findall(value))


class _Converter(MarkdownConverter):
    """markdownify with ``` fences long enough for their code, and images as alt text."""

    def convert_img(self, el: Any, text: str, parent_tags: set[str]) -> str:
        return str(el.attrs.get("alt") or "")

    def convert_pre(self, el: Any, text: str, parent_tags: set[str]) -> str:
        out = super().convert_pre(el, text, parent_tags)
        longest = max((len(run) for run in _FENCE.findall(text)), default=0)
        if not longest:
            return out
        fence = "`" * (longest + 1)
        return f"\n\n{fence}{out.strip(chr(10))[3:-3]}{fence}\n\n"


def _language(el: Any) -> str:
    """The language of a ``<pre>``'s ``lang-py`` / ``language-python`` class, if any."""
    code = el.find("code")
    inner = (code.get("class") or []) if code is not None else []
    classes = [*(el.get("class") or []), *inner]
    for name in classes:
        prefix, _, language = name.partition("-")
        if prefix in ("lang", "language") and language:
            return _LANGUAGES.get(language, language)
    return ""


_OPTIONS: dict[str, Any] = {
    "heading_style": "ATX",
    "code_language": "",
    "code_language_callback": _language,
    "escape_underscores": False,
}


def _tidy(markdown: str) -> str:
    """Markdown with runs of blank lines outside code blocks made one, stripped."""
    out: list[str] = []
    fence, blank = "", False
    for line in markdown.splitlines():
        stripped = line.strip()
        if fence:  # inside a fenced block: as written
            out.append(line)
            if stripped.startswith(fence) and not stripped.strip("`"):
                fence = ""
            continue
        if stripped.startswith("```"):
            fence = stripped[: len(stripped) - len(stripped.lstrip("`"))]
        elif not stripped:
            if not blank:
                out.append("")
            blank = True
            continue
        blank = False
        out.append(line.rstrip() if not line.endswith("  ") else line)
    return "\n".join(out).strip()


def _convert(html: str) -> str:
    return _tidy(_Converter(**_OPTIONS).convert(html))


def to_markdown(html: str) -> str | None:
    """A post body's HTML as Markdown (code blocks fenced, inline code in backticks), or
    None when it does not convert or converts to nothing."""
    try:
        return _convert(html) or None
    except Exception:
        return None


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


class _Reader:
    """The parser's target: keeps the Ibis questions and their answers as rows arrive."""

    def __init__(self, provenance: Provenance, site: str) -> None:
        self.provenance, self.site = provenance, site
        # question id -> its thread (no answers yet), its accepted answer's id, its answers
        self.threads: dict[int, tuple[ThreadUnit, int | None, dict[int, Post]]] = {}
        self.rejects: list[Reject] = []

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        """Read one ``<row>``: keep it when it is an Ibis question or an answer to one."""
        if tag != "row":
            return
        post_id, kind = _int(attrib.get("Id")), _int(attrib.get("PostTypeId"))
        if post_id is None or kind is None:
            self.rejects.append(MALFORMED_RECORD())
        elif kind == QUESTION:
            self._question(post_id, attrib)
        elif kind == ANSWER:
            self._answer(post_id, attrib)

    def _question(self, post_id: int, attrib: dict[str, str]) -> None:
        labels = tags_of(attrib.get("Tags", ""))
        if IBIS_TAGS.isdisjoint(labels):
            return
        if "Title" not in attrib or post_id in self.threads:
            self.rejects.append(MALFORMED_RECORD())
            return
        post = self._post(post_id, attrib, f"https://{self.site}/q/{post_id}", False)
        if post is not None:
            unit = ThreadUnit(self.provenance, STACKEXCHANGE, attrib["Title"], post, (), labels)
            self.threads[post_id] = (unit, _int(attrib.get("AcceptedAnswerId")), {})

    def _answer(self, post_id: int, attrib: dict[str, str]) -> None:
        parent = _int(attrib.get("ParentId"))
        if parent is None:
            self.rejects.append(MALFORMED_RECORD())
            return
        if parent not in self.threads:  # not an Ibis question's (or its question was dropped)
            return
        _, accepted, answers = self.threads[parent]
        if post_id in answers:
            self.rejects.append(MALFORMED_RECORD())
            return
        post = self._post(post_id, attrib, f"https://{self.site}/a/{post_id}", post_id == accepted)
        if post is not None:
            answers[post_id] = post

    def _post(self, post_id: int, attrib: dict[str, str], url: str, accepted: bool) -> Post | None:
        score = attrib.get("Score")
        if score is not None and _int(score) is None:
            self.rejects.append(MALFORMED_RECORD())
            return None
        try:
            body = _convert(attrib.get("Body", ""))
        except Exception:
            self.rejects.append(HTML_NOT_CONVERTED())
            return None
        if not body:
            self.rejects.append(EMPTY_BODY())
            return None
        user = attrib.get("OwnerUserId")
        author = attrib.get("OwnerDisplayName") or (f"user {user}" if user else None)
        return Post(
            id=str(post_id),
            body=body,
            url=url,
            author=author,
            score=_int(score),
            accepted=accepted,
            created=attrib.get("CreationDate"),
            license=attrib.get("ContentLicense"),
        )

    def units(self) -> Iterator[ThreadUnit]:
        """The kept threads, in question ``Id`` order, answers in ``Id`` order."""
        for _, (unit, _, answers) in sorted(self.threads.items()):
            yield replace(unit, answers=tuple(post for _, post in sorted(answers.items())))


def _parse(reader: _Reader, path: Path) -> Reason | None:
    """Feed ``path`` to a defused parser whose target is ``reader``; the damage, if any.
    Raises :class:`defusedxml.DefusedXmlException` for a DOCTYPE or an external reference."""
    parser = XMLParser(target=reader, forbid_dtd=True)
    try:
        with path.open("rb") as file:
            while chunk := file.read(CHUNK_BYTES):
                try:
                    parser.feed(chunk)
                except ParseError:
                    return MALFORMED_EXPORT
    except OSError:
        return UNREADABLE_EXPORT
    try:
        parser.close()
    except ParseError:
        return TRUNCATED_EXPORT
    return None


def read_threads(provenance: Provenance, path: Path) -> Iterator[ThreadUnit | Reject]:
    """The threads of questions tagged with an Ibis tag, each with all its answers.

    Yields, once the file is read: the threads in question ``Id`` order, then a reject for
    each dropped Ibis post (``malformed_record``, ``html_not_converted``, ``empty_body``;
    a dropped question drops its answers uncounted), then the damage if any
    (``truncated_export``, ``malformed_export``, ``unreadable_export``), the threads read before it
    kept. A file declaring a DOCTYPE yields only ``unsafe_xml``.
    """
    reader = _Reader(provenance, site_of(path))
    try:
        damage = _parse(reader, path)
    except DefusedXmlException:
        yield UNSAFE_XML()
        return
    yield from reader.units()
    yield from reader.rejects
    if damage is not None:
        yield damage()
