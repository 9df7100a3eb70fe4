"""Phase one: read and parse each file once, in worker processes, and mine it.

Every selected task whose miner is :class:`~ibert_mine.tasks.contract.Direct` runs on the
unit; every job stage the selected two-phase tasks use finds its jobs in it. Results come
back in the order of the sorted file list whatever the number of workers, so the output
never depends on ``--workers``.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from ibert_mine.core.config import Config
from ibert_mine.core.example import Example
from ibert_mine.core.reasons import TOO_DEEPLY_NESTED, Reject
from ibert_mine.pipeline.plan import FileJob
from ibert_mine.sources.files import Skip
from ibert_mine.sources.units import Unit, read_unit
from ibert_mine.tasks import selected, stages
from ibert_mine.tasks.contract import Job, JobStage, Task

CHUNK_SIZE = 4


@dataclass(slots=True)
class FileResult:
    """What mining one file gave: examples per task, jobs per stage, and what was dropped."""

    examples: dict[str, list[Example]] = field(default_factory=dict)
    jobs: dict[str, list[Job]] = field(default_factory=dict)
    rejects: Counter[tuple[str, Reject]] = field(default_factory=Counter)  # (stage, reject)
    skipped: Reject | None = None  # why the whole file was skipped
    seconds: tuple[float, float] = (0.0, 0.0)  # reading and parsing it, mining it


def wanted_kinds(stage: JobStage, tasks: tuple[Task, ...]) -> frozenset[str]:
    """The job kinds of ``stage`` that some of ``tasks`` take."""
    return frozenset(
        kind for task in tasks if (miner := task.taking(stage)) for kind in miner.kinds
    )


def mine_unit(unit: Unit, config: Config) -> FileResult:
    """Run the direct miners and the job stages of ``config``'s tasks on one unit."""
    result = FileResult()
    tasks = selected(config.tasks)
    for task in tasks:
        for miner in task.direct:
            if unit.KIND not in miner.consumes:
                continue
            found = result.examples.setdefault(task.name, [])
            try:
                for item in miner.mine(unit, config):
                    if isinstance(item, Example):
                        found.append(item)
                    else:
                        result.rejects[(task.name, item)] += 1
            except RecursionError:
                result.rejects[(task.name, TOO_DEEPLY_NESTED())] += 1
    for stage in stages(tasks):
        if unit.KIND not in stage.consumes:
            continue
        jobs = result.jobs.setdefault(stage.name, [])
        for item in stage.find(unit, config, wanted_kinds(stage, tasks)):
            if isinstance(item, Job):
                jobs.append(item)
            else:
                result.rejects[(stage.name, item)] += 1
    return result


def mine_file(job: FileJob, config: Config) -> FileResult:
    """Read, parse and mine one file; never raises on bad input."""
    start = time.perf_counter()
    unit = read_unit(job.source, job.path, config.rules.max_bytes)
    parsed = time.perf_counter()
    if isinstance(unit, Skip):
        return FileResult(skipped=unit.reason(), seconds=(parsed - start, 0.0))
    result = mine_unit(unit, config)
    result.seconds = (parsed - start, time.perf_counter() - parsed)
    return result


_WORKER: tuple[Callable[[Any, Config], FileResult], Config] | None = None


def _init_worker(func: Callable[[Any, Config], FileResult], config: Config) -> None:
    global _WORKER
    _WORKER = (func, config)


def _in_worker(item: Any) -> FileResult:
    assert _WORKER is not None
    func, config = _WORKER
    return func(item, config)


def ordered_results(
    func: Callable[[Any, Config], FileResult], items: list[Any], config: Config, chunksize: int
) -> Iterator[FileResult]:
    """``func(item, config)`` of every item, in the order of ``items``, on
    ``config.workers`` processes (``func`` a module-level function, so that it pickles)."""
    if config.workers <= 1 or len(items) <= 1:
        for item in items:
            yield func(item, config)
        return
    with ProcessPoolExecutor(
        max_workers=config.workers, initializer=_init_worker, initargs=(func, config)
    ) as pool:
        yield from pool.map(_in_worker, items, chunksize=chunksize)


def file_results(jobs: list[FileJob], config: Config) -> Iterator[FileResult]:
    """The result of every file, in the order of ``jobs``, on ``config.workers`` processes."""
    return ordered_results(mine_file, jobs, config, CHUNK_SIZE)
