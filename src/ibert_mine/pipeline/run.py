"""Orchestration: sources -> files -> units -> task miners and job stages -> sandbox -> dedup.

1. :func:`~ibert_mine.pipeline.plan.plan` walks the sources into a sorted list of files;
2. :mod:`~ibert_mine.pipeline.mine_files` reads and parses each file once, in worker
   processes, and runs every selected task on it (direct miners give examples, job stages
   give jobs);
3. :mod:`~ibert_mine.pipeline.jobs` runs each distinct job once in the sandbox and lets
   the two-phase tasks build their examples;
4. :func:`~ibert_mine.pipeline.dedup.dedup` keeps the first of equal examples per task.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ibert_mine.core.config import Config
from ibert_mine.core.example import Example
from ibert_mine.core.reasons import DUPLICATE
from ibert_mine.pipeline.counts import FILES, RejectCounts, declared_reasons
from ibert_mine.pipeline.dedup import dedup
from ibert_mine.pipeline.jobs import run_jobs
from ibert_mine.pipeline.mine_files import FileResult, file_results
from ibert_mine.pipeline.plan import plan
from ibert_mine.pipeline.progress import Progress
from ibert_mine.sources.resolve import Source
from ibert_mine.tasks import selected, stages


@dataclass(slots=True)
class RunResult:
    """Everything a run produced: examples per task, rejects per stage, file counts."""

    examples: dict[str, list[Example]]
    rejects: RejectCounts  # per task and per job stage
    files_mined: int
    skipped: RejectCounts  # files, under the ``files`` stage

    @property
    def files_skipped(self) -> dict[str, int]:
        """Skipped files by reason."""
        return self.skipped.of(FILES)


def run(
    sources: Sequence[Source],
    config: Config,
    progress: Progress | None = None,
) -> RunResult:
    """Mine ``sources`` with ``config``; ``progress`` may wrap the stream of file results."""
    tasks = selected(config.tasks)
    job_stages = stages(tasks)
    files, skipped = plan(sources, config)
    stream: Iterable[FileResult] = file_results(files, config)
    if progress is not None:
        stream = progress(stream, len(files), "mining files")
    by_task: dict[str, list[Example]] = {task.name: [] for task in tasks}
    rejects = RejectCounts(declared_reasons(tasks))
    found: dict[str, list] = {stage.name: [] for stage in job_stages}
    mined = 0
    for result in stream:
        if result.skipped is not None:
            skipped.add(FILES, result.skipped)
            continue
        mined += 1
        for (stage, reject), count in result.rejects.items():
            rejects.add(stage, reject, count)
        for stage, jobs in result.jobs.items():
            found[stage].extend(jobs)
        for task, examples in result.examples.items():
            by_task[task].extend(examples)
    if any(found.values()):
        for task, examples in run_jobs(found, tasks, job_stages, config, rejects, progress).items():
            by_task[task].extend(examples)
    for task, examples in by_task.items():
        kept, dropped = dedup(examples)
        by_task[task] = kept
        if dropped:
            rejects.add(task, DUPLICATE(), dropped)
    return RunResult(by_task, rejects, mined, skipped)


def default_workers() -> int:
    """The number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)
