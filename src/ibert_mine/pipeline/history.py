"""The history phase: the commits of each git checkout, mined by the tasks that read them.

When a selected task consumes ``commit`` units, each source that is a git checkout has its
history walked once (:func:`ibert_mine.sources.history.walk`, one ``git log`` process);
the walk's commits are mined in worker processes by :func:`~.mine_files.mine_unit` (the
tasks' direct miners), each worker reading blobs through its own ``git cat-file``.
Results are taken in history order whatever the number of workers. A source with no
history to walk (a folder, a shallow clone) gets a note, shown by ``stats``.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from ibert_mine.core.config import Config
from ibert_mine.core.example import Example
from ibert_mine.pipeline.counts import RejectCounts
from ibert_mine.pipeline.mine_files import FileResult, mine_unit, ordered_results
from ibert_mine.pipeline.progress import Progress
from ibert_mine.sources import blobs, history
from ibert_mine.sources.files import Skip
from ibert_mine.sources.history import COMMITS, CommitUnit
from ibert_mine.sources.resolve import Source
from ibert_mine.tasks.contract import Task

CHUNK_SIZE = 16


@dataclass(slots=True)
class History:
    """What the history phase gave: examples per task, rejects, and the walk's counts."""

    examples: dict[str, list[Example]] = field(default_factory=dict)
    skipped: RejectCounts = field(default_factory=lambda: RejectCounts({COMMITS: history.REASONS}))
    walked: int = 0  # commits the walk listed, skipped ones included
    mined: int = 0  # commits handed to the miners
    notes: list[tuple[str, str]] = field(default_factory=list)  # (source, why no history)
    seconds: dict[str, float] = field(default_factory=dict)

    def describe(self) -> dict[str, object]:
        """The manifest's ``commits`` entry."""
        return {
            "walked": self.walked,
            "mined": self.mined,
            "skipped": self.skipped.of(COMMITS),
            "notes": [{"source": s, "note": n} for s, n in self.notes],
        }


def reads_commits(tasks: Sequence[Task]) -> bool:
    """True when one of ``tasks`` consumes commit units."""
    return any(CommitUnit.KIND in task.consumes for task in tasks)


def walk_sources(sources: Sequence[Source], found: History) -> list[CommitUnit]:
    """The commits of every checkout among ``sources``, in history order; skips and notes
    go to ``found``."""
    units: list[CommitUnit] = []
    for source in sources:
        note = history.history_note(source)
        if note is not None:
            found.notes.append((source.name, note))
            continue
        for item in history.walk(source):
            found.walked += 1
            if isinstance(item, Skip):
                found.skipped.add(COMMITS, item.reason())
            else:
                units.append(item)
    return units


def mine_history(
    sources: Sequence[Source],
    tasks: Sequence[Task],
    config: Config,
    rejects: RejectCounts,
    progress: Progress | None = None,
) -> History:
    """Walk and mine the history of every checkout among ``sources`` (nothing when no task
    of ``tasks`` reads commits); rejects are counted into ``rejects`` under each task."""
    found = History({task.name: [] for task in tasks})
    if not reads_commits(tasks):
        return found
    clock = time.perf_counter()
    units = walk_sources(sources, found)
    found.mined = len(units)
    if len(found.notes) == len(sources):
        return found  # no source has a history: nothing was walked, nothing to time
    found.seconds["history"] = time.perf_counter() - clock
    clock = time.perf_counter()
    stream: Iterable[FileResult] = commit_results(units, config)
    if progress is not None and units:
        stream = progress(stream, len(units), "mining commits")
    for result in stream:
        for (stage, reject), count in result.rejects.items():
            rejects.add(stage, reject, count)
        for task, examples in result.examples.items():
            found.examples[task].extend(examples)
    found.seconds["commits"] = time.perf_counter() - clock
    return found


def commit_results(units: list[CommitUnit], config: Config) -> Iterator[FileResult]:
    """The result of every commit, in the order of ``units``, on ``config.workers``
    processes (each reads blobs through its own ``git cat-file``)."""
    try:
        yield from ordered_results(mine_unit, units, config, CHUNK_SIZE)
    finally:
        blobs.close_readers()  # this process's readers (a pool's go with its workers)
