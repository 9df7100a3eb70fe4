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


def plan(sources: Sequence[Source], config: Config) -> tuple[list[FileJob], RejectCounts]:
    """The sorted list of files to mine, and the files skipped while walking."""
    jobs: list[FileJob] = []
    skipped = file_counts()
    for source in sources:
        for item in files.walk(source.root, config.rules, base=source.base):
            if isinstance(item, files.Skip):
                skipped.add(FILES, item.reason())
            else:
                jobs.append(FileJob(source, item))
    return jobs, skipped
