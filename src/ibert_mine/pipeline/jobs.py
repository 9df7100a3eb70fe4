"""Phase two: run each distinct job of each stage once in the sandbox, and build examples.

Jobs found in several places run once (the first found, in file order, gives the
provenance; the others count as the kind's duplicate reason). A job that does not return
(``error``, ``timeout``, ``crashed``) is charged to its stage once (and gives no examples,
unless its kind ``keeps_failed``: they are built from the value None). Each task that takes
the job's kind then builds its examples from the one returned value; a task's examples are
written kind by kind, in the order the task lists its kinds. A job whose payload is None
has nothing to run: it returns None at once, without the sandbox (which starts only when a
first payload needs it).
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
from ibert_mine.sandbox.outcome import Outcome
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

    def map(self, func: str, payloads: list[Any]) -> Iterator[Outcome]:
        """The outcome of each payload, in order; a None payload returns None unsandboxed."""
        sent = [p for p in payloads if p is not None]
        results = self._start().map(func, sent) if sent else iter(())
        for p in payloads:
            yield Outcome("ok") if p is None else next(results)

    def _start(self) -> Sandbox:
        if self._box is None:
            config = self._config
            self._box = self._stack.enter_context(
                Sandbox(config.workers, config.time_limit, config.memory_limit, PRELOAD)
            )
        return self._box


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
            takers = {t.name: m for t in tasks if (m := t.taking(stage)) is not None}
            options = frozenset().union(*(m.needs for m in takers.values()))
            buckets: dict[tuple[str, str], list[Example]] = {}
            for kind in stage.kinds:
                wanted = {t: m for t, m in takers.items() if kind.name in m.kinds}
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
            for task, miner in takers.items():
                made = out.setdefault(task, [])
                made.extend(e for k in miner.kinds for e in buckets.get((task, k), []))
    return out


def _examples(
    stage: JobStage,
    kind: JobKind,
    job: Job,
    outcome: Any,
    miners: dict[str, TwoPhase],
    config: Config,
    rejects: RejectCounts,
    buckets: dict[tuple[str, str], list[Example]],
) -> None:
    """Add the examples every task of ``miners`` (name -> its miner of this stage) builds
    from one job's ``outcome``."""
    value = outcome.value
    if not outcome.ok:
        rejects.add(stage.name, kind.failed(outcome))
        if not kind.keeps_failed:
            return
        value = None
    for task, miner in miners.items():
        bucket = buckets.setdefault((task, kind.name), [])
        for item in miner.examples(job, value, config):
            if isinstance(item, Example):
                bucket.append(item)
            else:
                rejects.add(task, item)
