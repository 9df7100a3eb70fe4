"""``validate``'s checks that a qa answer is found where its ``meta`` says it came from.

- :func:`check_lead`: the lead paragraph the miner wrote (``meta.lead``) has one of the
  declared forms (:data:`LEADS`);
- :func:`check_grounding`: every quoted paragraph of the answer is found, after
  :func:`~ibert_mine.tasks.qa.markup.normalise`, in the lines ``meta.lines`` of the file
  ``meta.path`` (API reference, documentation) or in the reply ``meta.answer_id`` of the
  thread ``meta.thread`` of the exports beside ``meta.path`` (community threads); each
  name a lead quotes in backticks is found there too (a how_to lead's name with its
  signature: the definition's, recomputed from the source).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from functools import lru_cache
from pathlib import Path

from ibert_mine.sources import exports
from ibert_mine.sources.files import decode
from ibert_mine.sources.pages import parse_page
from ibert_mine.sources.provenance import Provenance
from ibert_mine.sources.python import ModuleUnit, parse_module
from ibert_mine.sources.threads import ThreadUnit
from ibert_mine.tasks.contract import Record
from ibert_mine.tasks.qa.api_subjects import signature
from ibert_mine.tasks.qa.markup import normalise, paragraphs
from ibert_mine.tasks.qa.pairs import missing_paragraph

# the lead each kind of question may have (the others have none)
LEADS = {
    "how_to": re.compile(r"Use `[^`]+`( in the [\w/ ]+ backend)?\."),
    "parameter": re.compile(r"`\w+`: (`[^`]+`(, default `[^`]+`)?|default `[^`]+`)\."),
    "returns": re.compile(r"`[^`]+`\."),  # the documented type
}
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
    form = LEADS.get(record["meta"].get("question_kind", ""))
    if record["meta"].get("lead") and (form is None or not form.fullmatch(lead)):
        yield f"qa: the lead {lead[:60]!r} is not the form of its kind of question"
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
        names = text
    else:
        span = tuple(meta.get("lines", (1, 10**9)))
        names = _lines(full, meta["path"], span)  # the signature, for the lead's names
        text = names
        if meta["path"].endswith(".py") and names is not None:
            found = _definition(full, meta["path"], span[0])
            if found is None:
                return None
            text, called = found
            if called is not None:  # a how_to lead names the definition with its signature
                names = f"{names}\n{meta.get('symbol')}({called})"
        if text is None or names is None:
            return None
    lead = lead_of(record)
    missing = missing_paragraph(record["target"]["answer"], lead, text)
    if missing is not None:
        return f"qa: answer paragraph not found at {meta['path']}: {missing[:80]!r}"
    found = normalise(names)
    for name in _TICKED.findall(lead):
        if name not in found and name != meta.get("symbol"):
            return f"qa: the lead's `{name}` is not at {meta['path']}"
    return ""


def _definition(full: Path, rel: str, start: int) -> tuple[str, str | None] | None:
    """The docstring (as Python reads it: escapes evaluated) and the signature of the
    definition that starts at line ``start`` of a module, as the miner read them ("" and
    None when no documented definition starts there, None when the module is unreadable)."""
    text = _read(full, rel)
    unit = _module(text, rel) if text is not None else None
    if unit is None:
        return None
    found = next((d for d in unit.definitions if d.start == start and d.docstring), None)
    if found is None:
        return "", None
    return found.docstring or "", signature(unit, found)


@lru_cache(maxsize=8)  # the records of one module come together: it is parsed once
def _module(text: str, rel: str) -> ModuleUnit | None:
    unit = parse_module(text, Provenance("validate", rel))
    return unit if isinstance(unit, ModuleUnit) else None


def _read(full: Path, rel: str) -> str | None:
    try:
        text = decode(full.read_bytes(), rel)
    except OSError:
        return None
    return text if isinstance(text, str) else None


def _lines(full: Path, rel: str, span: tuple[int, ...]) -> str | None:
    """Lines ``span`` of a file (of a notebook: its cells ``span``, read as the miner does)."""
    text = _read(full, rel)
    if text is None:
        return None
    if rel.endswith(".ipynb"):  # the cells span[0]..span[1], read as the miner reads them
        unit = parse_page(text, Provenance("validate", rel))
        if unit.markdown is None:
            return None
        page, cell_of = unit.markdown
        kept = [ln for ln, cell in zip(page.split("\n"), cell_of, strict=False)
                if span[0] <= cell <= span[1]]  # fmt: skip
        return "\n".join(kept)
    lines = text.split("\n")
    return "\n".join(lines[span[0] - 1 : span[1]])


def _reply_text(folder: Path, thread: str, answer_id: str) -> str | None:
    return _replies(folder).get((thread, answer_id))


@lru_cache(maxsize=4)  # one validate run reads each folder of exports once
def _replies(folder: Path) -> dict[tuple[str, str], str]:
    """(thread, reply id) -> the reply's Markdown, for every export in ``folder``."""
    out: dict[tuple[str, str], str] = {}
    for unit in exports.threads_in(folder):
        if isinstance(unit, ThreadUnit):
            for reply in unit.answers:
                out[(unit.question.id, reply.id)] = reply.body
    return out
