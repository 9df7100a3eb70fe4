"""Community exports among a source's files, recognised by their content, read as threads.

:func:`export_kind` reads the first :data:`HEAD_BYTES` of a ``.json``, ``.jsonl``,
``.ndjson`` or ``.xml`` file (or of any file given alone as a ``--source``) and says
whether it is a GitHub issues or comments export or a Stack Exchange ``Posts.xml``.
:func:`read_exports` streams them into :class:`~ibert_mine.sources.threads.ThreadUnit`
values: the GitHub files of a run together (comments join their issues across files),
each ``Posts.xml`` alone.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from ibert_mine.core.reasons import Reason, Reject
from ibert_mine.sources import github_export, stackexchange
from ibert_mine.sources.provenance import Provenance
from ibert_mine.sources.threads import ThreadUnit

HEAD_BYTES = 1 << 16
EXPORT_SUFFIXES = (".json", ".jsonl", ".ndjson", ".xml")
GITHUB_ISSUES, GITHUB_COMMENTS, STACKEXCHANGE = "github_issues", "github_comments", "stackexchange"
REASONS: tuple[Reason, ...] = tuple(
    {r.name: r for r in (*github_export.REASONS, *stackexchange.REASONS)}.values()
)


@dataclass(frozen=True, slots=True)
class ExportFile:
    """An export among a source's files: where it is, what kind it is, its provenance."""

    provenance: Provenance
    full: Path
    kind: str  # GITHUB_ISSUES | GITHUB_COMMENTS | STACKEXCHANGE


def may_be_export(path: str) -> bool:
    """True for the file names an export may have (its content decides)."""
    return path.lower().endswith(EXPORT_SUFFIXES)


def export_kind(full: Path) -> str | None:
    """The kind of export ``full`` is, or None (also when it cannot be read)."""
    try:
        with full.open("rb") as handle:
            head = handle.read(HEAD_BYTES).decode("utf-8", errors="ignore")
    except OSError:
        return None
    github = github_export.recognise(head)
    if github is not None:
        return GITHUB_ISSUES if github == "issues" else GITHUB_COMMENTS
    return STACKEXCHANGE if stackexchange.recognise(head) else None


def read_exports(files: Sequence[ExportFile]) -> Iterator[ThreadUnit | Reject]:
    """The threads of every export, in file order (the GitHub files' threads first)."""
    github = [(f.provenance, f.full) for f in files if f.kind != STACKEXCHANGE]
    if github:
        yield from github_export.read_threads(github)
    for export in files:
        if export.kind == STACKEXCHANGE:
            yield from stackexchange.read_threads(export.provenance, export.full)


def threads_in(folder: Path) -> Iterator[ThreadUnit | Reject]:
    """The threads of every export directly in ``folder`` (``validate`` finds answers in
    them), files in name order: any file whose first bytes make it an export, as a file
    given alone as a ``--source`` is."""
    found = []
    for full in sorted(p for p in folder.iterdir() if p.is_file()):
        kind = export_kind(full)
        if kind is not None:
            found.append(ExportFile(Provenance(folder.name, full.name), full, kind))
    return read_exports(found)
