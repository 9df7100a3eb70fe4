"""``validate``'s checks that a qa answer is found where its ``meta`` says it came from.

- :func:`check_lead`: the lead paragraph the miner wrote (``meta.lead``) has one of the
  declared forms (:data:`LEADS`);
- :func:`check_grounding`: every quoted paragraph of the answer is found, after
  :func:`~ibert_mine.tasks.qa.markup.normalise`, in the lines ``meta.lines`` of the file
  ``meta.path`` (API reference, documentation) or in the reply ``meta.answer_id`` of the
  thread ``meta.thread`` of the exports beside ``meta.path`` (community threads); each
  name a lead quotes in backticks is found there too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from ibert_mine.sources import exports
from ibert_mine.sources.files import decode
from ibert_mine.sources.threads import ThreadUnit
from ibert_mine.tasks.contract import Record
from ibert_mine.tasks.qa.markup import normalise, paragraphs
from ibert_mine.tasks.qa.pairs import missing_paragraph
from ibert_mine.tasks.qa.sections import notebook_markdown

LEADS = (
    re.compile(r"Use `[^`]+`( in the [\w ]+ backend)?\."),  # how_to
    re.compile(r"`\w+`: (`[^`]+`(, default `[^`]+`)?|default `[^`]+`)\."),  # parameter
    re.compile(r"`[^`]+`\."),  # returns: the documented type
)
_TICKED = re.compile(r"`([^`]+)`")


def lead_of(record: Record) -> str:
    """The answer's lead paragraph, or "" when it has none."""
    if not record["meta"].get("lead"):
        return ""
    found = paragraphs(record["target"]["answer"])
    return found[0] if found else ""


def check_lead(record: Record) -> Iterator[str]:
    """A lead paragraph has one of the declared forms, and a quoted paragraph follows it."""
    lead = lead_of(record)
    if record["meta"].get("lead") and not any(form.fullmatch(lead) for form in LEADS):
        yield f"qa: the lead {lead[:60]!r} is none of the declared forms"
    elif lead and len(paragraphs(record["target"]["answer"])) < 2:
        yield "qa: the answer is a lead with nothing quoted after it"


def check_grounding(record: Record, bases: Mapping[str, Path]) -> str | None:
    """'' when the answer is found at its source, a reason when not, None if unreadable."""
    meta = record["meta"]
    base = bases.get(record["source"])
    if base is None or "path" not in meta:
        return None
    full = base / meta["path"]
    if not full.is_file():
        return None
    if "thread" in meta:
        text = _reply_text(full.parent, meta["thread"], meta.get("answer_id", ""))
        if text is None:
            return (
                f"qa: reply {meta.get('answer_id')} of thread {meta['thread']} not in the exports"
            )
    else:
        text = _lines(full, meta["path"], tuple(meta.get("lines", (1, 10**9))))
        if text is None:
            return None
    lead = lead_of(record)
    missing = missing_paragraph(record["target"]["answer"], lead, text)
    if missing is not None:
        return f"qa: answer paragraph not found at {meta['path']}: {missing[:80]!r}"
    found = normalise(text)
    for name in _TICKED.findall(lead):
        if name not in found and not _names_symbol(name, meta.get("symbol", "")):
            return f"qa: the lead's `{name}` is not at {meta['path']}"
    return ""


def _names_symbol(name: str, symbol: str) -> bool:
    return bool(symbol) and (name == symbol or name.endswith("." + symbol.split(".")[-1]))


def _lines(full: Path, rel: str, span: tuple[int, ...]) -> str | None:
    try:
        text = decode(full.read_bytes(), rel)
    except OSError:
        return None
    if not isinstance(text, str):
        return None
    if rel.endswith(".ipynb"):  # the cells span[0]..span[1], read as the miner reads them
        read = notebook_markdown(text)
        if read is None:
            return None
        page, cell_of = read
        kept = [ln for ln, cell in zip(page.split("\n"), cell_of, strict=False)
                if span[0] <= cell <= span[1]]  # fmt: skip
        return "\n".join(kept)
    lines = text.split("\n")
    return "\n".join(lines[span[0] - 1 : span[1]])


def _reply_text(folder: Path, thread: str, answer_id: str) -> str | None:
    replies = _replies(folder, _stamp(folder))
    return replies.get((thread, answer_id))


def _stamp(folder: Path) -> tuple[tuple[str, int, int], ...]:
    files = sorted(p for p in folder.iterdir() if p.is_file())
    return tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in files)


@lru_cache(maxsize=4)
def _replies(folder: Path, stamp: tuple[Any, ...]) -> dict[tuple[str, str], str]:
    """(thread, reply id) -> the reply's Markdown, for every export in ``folder``."""
    out: dict[tuple[str, str], str] = {}
    for unit in exports.threads_in(folder):
        if isinstance(unit, ThreadUnit):
            for reply in unit.answers:
                out[(unit.question.id, reply.id)] = reply.body
    return out
