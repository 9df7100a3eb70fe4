"""Orchestration: sources -> files -> units -> task miners and job stages -> sandbox -> dedup.

1. :func:`~ibert_mine.pipeline.plan.plan` walks the sources into a sorted list of files;
2. :mod:`~ibert_mine.pipeline.mine_files` reads and parses each file once, in worker
   processes, and runs every selected task on it (direct miners give examples, job stages
   give jobs);
3. :mod:`~ibert_mine.pipeline.jobs` runs each distinct job once in the sandbox and lets
   the two-phase tasks build their examples;
4. :mod:`~ibert_mine.pipeline.history` walks each git checkout's history once, when a
   selected task reads commits, and mines its commits in worker processes;
5. :func:`~ibert_mine.pipeline.dedup.dedup` keeps the first of equal examples per task.

A run that finds no file to mine, or can read none of them, raises :class:`NothingToMine`
before anything is written (unless its tasks read commits only and a history gave some).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace

from ibert_mine.core.config import Config
from ibert_mine.core.example import Example
from ibert_mine.pipeline.counts import FILES, RejectCounts, declared_reasons, file_counts
from ibert_mine.pipeline.dedup import Dropped, deduplicate
from ibert_mine.pipeline.exports import (
    declared,
    describe_exports,
    reads_threads,
    thread_results,
    thread_units,
)
from ibert_mine.pipeline.history import History, mine_history, reads_commits
from ibert_mine.pipeline.jobs import run_jobs
from ibert_mine.pipeline.mine_files import FileResult, file_results
from ibert_mine.pipeline.plan import FileJob, Plan, plan
from ibert_mine.pipeline.progress import Progress
from ibert_mine.sources import release_notes
from ibert_mine.sources.resolve import Source
from ibert_mine.sources.units import FILE_KINDS
from ibert_mine.tasks import selected, stages
from ibert_mine.tasks.contract import Task


class NothingToMine(ValueError):
    """The sources hold no file the rules let through, or none that can be read."""


@dataclass(slots=True)
class RunResult:
    """Everything a run produced: examples per task, rejects per stage, files, timings."""

    examples: dict[str, list[Example]]
    rejects: RejectCounts  # per task and per job stage
    files_mined: int
    skipped: RejectCounts  # files, under the ``files`` stage
    skipped_paths: list[tuple[str, str, str]] = field(default_factory=list)  # source, path, why
    seconds: dict[str, float] = field(default_factory=dict)  # per stage, see :func:`run`
    excluded: dict[str, list[Dropped]] = field(default_factory=dict)  # dropped by dedup
    history: History = field(default_factory=History)  # commits walked (when a task reads them)
    exports: dict[str, object] = field(default_factory=dict)  # the manifest's ``exports`` entry

    @property
    def files_skipped(self) -> dict[str, int]:
        """Skipped files by reason."""
        return self.skipped.of(FILES)


def describe_rules(sources: Sequence[Source], config: Config) -> str:
    """The sources and the walk's rules, as a message names them."""
    names = ", ".join(str(s.root) for s in sources)
    rules = f"include {', '.join(config.rules.include)}"
    if config.rules.exclude:
        rules += f"; exclude {', '.join(config.rules.exclude)}"
    return f"{names} ({rules})"


def run(
    sources: Sequence[Source],
    config: Config,
    progress: Progress | None = None,
) -> RunResult:
    """Mine ``sources`` with ``config``; ``progress`` may wrap each stage's stream.

    ``seconds`` holds the wall-clock time of ``walk``, ``files`` (reading, parsing and
    mining every file, on all workers), ``verify`` (the sandbox jobs), ``history`` (the
    ``git log`` walks), ``commits`` (mining the commits, on all workers) and ``dedup``, and
    the time the workers spent ``parse``-ing and ``mine``-ing, summed over files.
    """
    clock = time.perf_counter()
    tasks = selected(config.tasks)
    config = with_release_notes(config, sources)
    planned = plan(sources, config) if reads_files(tasks) else Plan([], file_counts(), [])
    if not reads_threads(tasks):
        planned.exports.clear()
    if not planned.files and not planned.exports and not reads_commits(tasks):
        raise NothingToMine(f"no file to mine in {describe_rules(sources, config)}")
    result = RunResult(
        {task.name: [] for task in tasks},
        RejectCounts({**declared_reasons(tasks), **declared(planned.exports)}),
        0,
        planned.skipped,
        planned.skipped_paths,
        {"walk": time.perf_counter() - clock, "parse": 0.0, "mine": 0.0},
    )
    if planned.files or planned.exports:
        _files_and_jobs(planned, tasks, config, result, progress, sources)
    result.history = mine_history(sources, tasks, config, result.rejects, progress)
    result.seconds.update(result.history.seconds)
    if not planned.files and not planned.exports and not result.history.mined:
        notes = "; ".join(f"{s}: {n}" for s, n in result.history.notes)
        raise NothingToMine(f"no file to mine in {describe_rules(sources, config)}"
                            + (f" and no commit ({notes})" if notes else ""))  # fmt: skip
    for task, examples in result.history.examples.items():
        result.examples[task].extend(examples)
    clock = time.perf_counter()
    for task in tasks:
        kept, dropped = deduplicate(task, result.examples[task.name])
        for left_out in dropped:
            result.rejects.add(task.name, left_out.reject)
        result.examples[task.name] = kept
        result.excluded[task.name] = dropped
    result.seconds["dedup"] = time.perf_counter() - clock
    result.skipped_paths.sort()
    return result


def reads_files(tasks: tuple[Task, ...]) -> bool:
    """True when one of ``tasks`` consumes units read from files (modules, pages)."""
    return any(kind in FILE_KINDS for task in tasks for kind in task.consumes)


def _files_and_jobs(
    planned: Plan,
    tasks: tuple[Task, ...],
    config: Config,
    result: RunResult,
    progress: Progress | None,
    sources: Sequence[Source],
) -> None:
    """Phase one (the files, then the exports' threads) and phase two (their jobs in the
    sandbox), into ``result``."""
    clock = time.perf_counter()
    stream: Iterable[FileResult] = file_results(planned.files, config)
    if progress is not None and planned.files:
        stream = progress(stream, len(planned.files), "mining files")
    found = _collect(zip(planned.files, stream, strict=True), result)
    result.seconds["files"] = time.perf_counter() - clock
    if planned.exports:
        clock = time.perf_counter()
        units = thread_units(planned.exports, result.rejects)
        threads: Iterable[FileResult] = thread_results(units, config)
        if progress is not None and units:
            threads = progress(threads, len(units), "mining threads")
        for stage, jobs in _collect_units(threads, result).items():
            found.setdefault(stage, []).extend(jobs)
        result.seconds["threads"] = time.perf_counter() - clock
        result.exports = describe_exports(planned.exports, len(units), result.rejects)
    if planned.files and not result.files_mined:
        counts = ", ".join(f"{n} {r}" for r, n in result.files_skipped.items())
        raise NothingToMine(
            f"none of the {len(planned.files)} files of {describe_rules(sources, config)}"
            f" could be read ({counts})"
        )
    clock = time.perf_counter()
    if any(found.values()):
        made = run_jobs(found, tasks, stages(tasks), config, result.rejects, progress)
        for task, examples in made.items():
            result.examples[task].extend(examples)
    result.seconds["verify"] = time.perf_counter() - clock


def with_release_notes(config: Config, sources: Sequence[Source]) -> Config:
    """``config`` with the renames the sources' release notes record (none without)."""
    found: dict[str, tuple[str, str, str, str]] = {}
    for source in sources:
        for entry in release_notes.renames_of(source.base):
            found.setdefault(entry[0], entry)
    return replace(config, migrations=tuple(found.values())) if found else config


def _collect_units(results: Iterable[FileResult], run: RunResult) -> dict[str, list]:
    """Add each unit's examples and rejects to ``run``; the jobs found, per stage."""
    found: dict[str, list] = {}
    for result in results:
        for (stage, reject), count in result.rejects.items():
            run.rejects.add(stage, reject, count)
        for stage, jobs in result.jobs.items():
            found.setdefault(stage, []).extend(jobs)
        for task, examples in result.examples.items():
            run.examples[task].extend(examples)
    return found


def _collect(results: Iterable[tuple[FileJob, FileResult]], run: RunResult) -> dict[str, list]:
    """Add each file's examples, rejects and skip to ``run``; the jobs found, per stage."""

    def mined() -> Iterator[FileResult]:
        for job, result in results:
            run.seconds["parse"] += result.seconds[0]
            run.seconds["mine"] += result.seconds[1]
            if result.skipped is not None:
                run.skipped.add(FILES, result.skipped)
                run.skipped_paths.append((job.source.name, job.path, result.skipped.key))
                continue
            run.files_mined += 1
            yield result

    return _collect_units(mined(), run)


def default_workers() -> int:
    """The number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)
