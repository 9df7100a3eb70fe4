"""Planning: the sorted list of files to mine from every source, the community exports
among them (recognised by content), and the files skipped."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ibert_mine.core.config import Config
from ibert_mine.pipeline.counts import FILES, RejectCounts, file_counts
from ibert_mine.sources import files
from ibert_mine.sources.exports import ExportFile, export_kind, may_be_export
from ibert_mine.sources.resolve import Source
from ibert_mine.sources.units import provenance_of


@dataclass(frozen=True, slots=True)
class FileJob:
    """One file of one source to mine."""

    source: Source
    path: str


@dataclass(slots=True)
class Plan:
    """The files to mine in order, the exports, and the files the walk skipped."""

    files: list[FileJob]
    skipped: RejectCounts
    skipped_paths: list[tuple[str, str, str]]  # (source, path, reason)
    exports: list[ExportFile] = field(default_factory=list)  # read as threads, not as files


def plan(sources: Sequence[Source], config: Config) -> Plan:
    """The sorted list of files to mine, the exports, and the files skipped while walking.

    A file is an export when its name may be one (``.json``, ``.xml``, ...) or it is the
    whole source, and its first bytes say it is (:func:`~ibert_mine.sources.exports.
    export_kind`)."""
    found = Plan([], file_counts(), [])
    for source in sources:
        for item in files.walk(source.root, config.rules, base=source.base):
            if isinstance(item, files.Skip):
                found.skipped.add(FILES, item.reason())
                found.skipped_paths.append((source.name, item.path, item.reason.name))
                continue
            kind = None
            if may_be_export(item) or source.root.is_file():
                kind = export_kind(source.base / item)
            if kind is None:
                found.files.append(FileJob(source, item))
            else:
                provenance = provenance_of(source, item)
                found.exports.append(ExportFile(provenance, source.base / item, kind))
    return found
