"""The exports phase: community exports streamed into threads, mined in worker processes.

When a selected task consumes ``thread`` units, the exports the plan recognised are read
once (:func:`ibert_mine.sources.exports.read_exports`; what cannot be read is counted
under the ``exports`` stage) and their threads are mined by
:func:`~.mine_files.mine_unit`, in thread order whatever the number of workers.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from ibert_mine.core.config import Config
from ibert_mine.pipeline.counts import RejectCounts
from ibert_mine.pipeline.mine_files import FileResult, mine_unit, ordered_results
from ibert_mine.sources.exports import REASONS, ExportFile, read_exports
from ibert_mine.sources.threads import ThreadUnit
from ibert_mine.tasks.contract import Task

EXPORTS = "exports"  # the stage the exports' unreadable parts are counted under
CHUNK_SIZE = 16


def reads_threads(tasks: Sequence[Task]) -> bool:
    """True when one of ``tasks`` consumes thread units."""
    return any(ThreadUnit.KIND in task.consumes for task in tasks)


def declared(exports: Sequence[ExportFile]) -> dict[str, tuple]:
    """The ``exports`` stage and its reasons, when there are exports."""
    return {EXPORTS: REASONS} if exports else {}


def thread_units(exports: Sequence[ExportFile], rejects: RejectCounts) -> list[ThreadUnit]:
    """The threads of every export; rejects are counted under :data:`EXPORTS`."""
    units: list[ThreadUnit] = []
    for item in read_exports(exports):
        if isinstance(item, ThreadUnit):
            units.append(item)
        else:
            rejects.add(EXPORTS, item)
    return units


def thread_results(units: list[ThreadUnit], config: Config) -> Iterator[FileResult]:
    """The result of every thread, in order, on ``config.workers`` processes."""
    return ordered_results(mine_unit, units, config, CHUNK_SIZE)


def describe_exports(
    exports: Sequence[ExportFile], threads: int, rejects: RejectCounts
) -> dict[str, object]:
    """The manifest's ``exports`` entry: the files read, the threads they gave, the rejects."""
    files = [{"source": e.provenance.source, "path": e.provenance.path, "kind": e.kind}
             for e in exports]  # fmt: skip
    return {"files": files, "threads": threads, "rejects": rejects.of(EXPORTS)}
