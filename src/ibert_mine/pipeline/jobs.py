"""Phase two: run each distinct job of each stage once in the sandbox, and build examples.

Jobs found in several places run once (the first found, in file order, gives the
provenance; the others count as the kind's duplicate reason). A job that does not return
(``error``, ``timeout``, ``crashed``) is charged to its stage once. Each task that takes
the job's kind then builds its examples from the one returned value; a task's examples are
written kind by kind, in the order the task lists its kinds.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from typing import Any

from ibert_mine.core.config import Config
from ibert_mine.core.example import Example
from ibert_mine.execution import PRELOAD
from ibert_mine.pipeline.counts import RejectCounts
from ibert_mine.pipeline.progress import Progress
from ibert_mine.sandbox.pool import Sandbox
from ibert_mine.tasks.contract import Job, JobKind, JobStage, Task, TwoPhase


def distinct(jobs: Iterable[Job]) -> list[Job]:
    """The first job of each key, in order."""
    seen: set[str] = set()
    kept: list[Job] = []
    for job in jobs:
        if job.key not in seen:
            seen.add(job.key)
            kept.append(job)
    return kept


class _LazySandbox:
    """The run's sandbox, started only when a first job needs it."""

    def __init__(self, config: Config, stack: ExitStack) -> None:
        self._config, self._stack, self._box = config, stack, None

    def map(self, func: str, payloads: list[Any]) -> Iterator[Any]:
        if self._box is None:
            config = self._config
            self._box = self._stack.enter_context(
                Sandbox(config.workers, config.time_limit, config.memory_limit, PRELOAD)
            )
        return self._box.map(func, payloads)


def run_jobs(
    found: dict[str, list[Job]],
    tasks: tuple[Task, ...],
    stages: tuple[JobStage, ...],
    config: Config,
    rejects: RejectCounts,
    progress: Progress | None = None,
) -> dict[str, list[Example]]:
    """The examples of every two-phase task of ``tasks``, from the jobs ``found`` per stage."""
    out: dict[str, list[Example]] = {}
    with ExitStack() as stack:
        sandbox = _LazySandbox(config, stack)
        for stage in stages:
            takers = [t for t in tasks if isinstance(t.miner, TwoPhase) and t.miner.stage is stage]
            options = frozenset().union(*(t.miner.needs for t in takers))  # type: ignore[union-attr]
            buckets: dict[tuple[str, str], list[Example]] = {}
            for kind in stage.kinds:
                wanted = [t for t in takers if kind.name in t.miner.kinds]  # type: ignore[union-attr]
                jobs = [j for j in found.get(stage.name, []) if j.kind == kind.name]
                if not wanted or not jobs:
                    continue
                unique = distinct(jobs)
                if len(jobs) > len(unique):
                    rejects.add(stage.name, kind.duplicate(), len(jobs) - len(unique))
                payloads = [stage.payload(job, config, options) for job in unique]
                outcomes: Iterable[Any] = sandbox.map(kind.func, payloads)
                if progress is not None:
                    outcomes = progress(outcomes, len(payloads), kind.label)
                for job, outcome in zip(unique, outcomes, strict=True):
                    _examples(stage, kind, job, outcome, wanted, config, rejects, buckets)
            for task in takers:
                kinds = task.miner.kinds  # type: ignore[union-attr]
                out[task.name] = [e for k in kinds for e in buckets.get((task.name, k), [])]
    return out


def _examples(
    stage: JobStage,
    kind: JobKind,
    job: Job,
    outcome: Any,
    tasks: list[Task],
    config: Config,
    rejects: RejectCounts,
    buckets: dict[tuple[str, str], list[Example]],
) -> None:
    """Add the examples every task of ``tasks`` builds from one job's ``outcome``."""
    if not outcome.ok:
        rejects.add(stage.name, kind.failed(outcome))
        return
    for task in tasks:
        bucket = buckets.setdefault((task.name, kind.name), [])
        for item in task.miner.examples(job, outcome.value, config):  # type: ignore[union-attr]
            if isinstance(item, Example):
                bucket.append(item)
            else:
                rejects.add(task.name, item)
