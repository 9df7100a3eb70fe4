"""Planning: the sorted list of files to mine from every source, and the files skipped."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ibert_mine.core.config import Config
from ibert_mine.pipeline.counts import FILES, RejectCounts, file_counts
from ibert_mine.sources import files
from ibert_mine.sources.resolve import Source


@dataclass(frozen=True, slots=True)
class FileJob:
    """One file of one source to mine."""

    source: Source
    path: str


@dataclass(slots=True)
class Plan:
    """The files to mine in order, and the files the walk skipped (counted and named)."""

    files: list[FileJob]
    skipped: RejectCounts
    skipped_paths: list[tuple[str, str, str]]  # (source, path, reason)


def plan(sources: Sequence[Source], config: Config) -> Plan:
    """The sorted list of files to mine, and the files skipped while walking."""
    found = Plan([], file_counts(), [])
    for source in sources:
        for item in files.walk(source.root, config.rules, base=source.base):
            if isinstance(item, files.Skip):
                found.skipped.add(FILES, item.reason())
                found.skipped_paths.append((source.name, item.path, item.reason.name))
            else:
                found.files.append(FileJob(source, item))
    return found
