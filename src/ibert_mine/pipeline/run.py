"""Orchestration: sources -> files -> parsed units -> task miners -> dedup -> results.

Each file is read and parsed once, in a worker process, and every selected task
miner runs on that one parse. Results come back in the order of the sorted file
list whatever the number of workers, so the output never depends on ``--workers``.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from ibert_mine import tasks
from ibert_mine.config import Config
from ibert_mine.pipeline.dedup import dedup
from ibert_mine.pipeline.progress import Progress
from ibert_mine.pipeline.translate import translate
from ibert_mine.reject import Reject
from ibert_mine.schema import Example
from ibert_mine.snippets.extract import doc_programs, is_test_path, programs
from ibert_mine.snippets.fixtures import fixtures_for
from ibert_mine.snippets.human_sql import HumanSql
from ibert_mine.snippets.site import ProgramSite, SqlSite
from ibert_mine.snippets.tpc import is_tpc_module, tpc_pairs
from ibert_mine.sources import files
from ibert_mine.sources.docs import is_doc
from ibert_mine.sources.python import ModuleUnit, Provenance, parse_module
from ibert_mine.sources.resolve import Source

CHUNK_SIZE = 4


@dataclass(frozen=True, slots=True)
class FileJob:
    """One file of one source to mine."""

    source: Source
    path: str


@dataclass(slots=True)
class FileResult:
    """What mining one file gave: examples, and counts of what was passed over."""

    examples: list[Example] = field(default_factory=list)
    programs: list[ProgramSite] = field(default_factory=list)
    sql_sites: list[SqlSite] = field(default_factory=list)  # hand-written SQL to pair
    rejects: Counter[str] = field(default_factory=Counter)
    skipped: str | None = None  # the reason the whole file was skipped


@dataclass(slots=True)
class RunResult:
    """Everything a run produced: examples per task, rejects per reason, file counts."""

    examples: dict[str, list[Example]]
    rejects: Counter[str]
    files_mined: int
    files_skipped: Counter[str]


def plan(sources: Sequence[Source], config: Config) -> tuple[list[FileJob], Counter[str]]:
    """The sorted list of files to mine, and the files skipped while walking."""
    jobs: list[FileJob] = []
    skipped: Counter[str] = Counter()
    for source in sources:
        for item in files.walk(source.root, config.rules, base=source.base):
            if isinstance(item, files.Skip):
                skipped[item.reason] += 1
            else:
                jobs.append(FileJob(source, item))
    return jobs, skipped


def mine_file(job: FileJob, config: Config) -> FileResult:
    """Read, parse and mine one file with every task of ``config``; never raises on bad input."""
    result = FileResult()
    read = files.read_text(job.source.base, job.path, config.rules.max_bytes)
    if isinstance(read, files.Skip):
        result.skipped = read.reason
        return result
    provenance = Provenance(
        source=job.source.name,
        path=job.path,
        commit=job.source.commit,
        repo=job.source.name if job.source.kind == "git" else None,
        version=job.source.version,
    )
    program_tasks = [t for t in config.tasks if tasks.uses_programs(t)]
    if is_doc(job.path):  # pages and notebooks: only their code cells, for programs
        if program_tasks:
            found = doc_programs(read.text, job.path)
            _add_programs(job, provenance, found, result, program_tasks)
        return result
    unit = parse_module(read.text, provenance)
    if isinstance(unit, files.Skip):
        result.skipped = unit.reason
        return result
    for task in config.tasks:
        if task in program_tasks:
            continue
        try:
            for item in tasks.miner(task)(unit, config):
                if isinstance(item, Example):
                    result.examples.append(item)
                else:
                    result.rejects[f"{task}:{item.reason}"] += 1
        except RecursionError:
            result.rejects[f"{task}:too_deeply_nested"] += 1
    if program_tasks:
        _extract_programs(job, unit, result, config, program_tasks)
    return result


def _extract_programs(
    job: FileJob, unit: ModuleUnit, result: FileResult, config: Config, program_tasks: list[str]
) -> None:
    """Add the unit's candidate programs (with provenance) to ``result``."""
    fixtures = (
        fixtures_for(job.source.root, job.source.base, job.path, unit.tree)
        if is_test_path(job.path)
        else {}
    )
    try:
        if is_tpc_module(job.path):
            found = list(tpc_pairs(unit, job.source.base, dict(config.table_schemas)))
        else:
            found = list(programs(unit, fixtures))
    except RecursionError:
        found = [Reject("too_deeply_nested")]
    _add_programs(job, unit.provenance, found, result, program_tasks)


def _add_programs(
    job: FileJob,
    provenance: Provenance,
    found: list[Any],
    result: FileResult,
    program_tasks: list[str],
) -> None:
    """Count the rejected candidates and add the programs, with provenance, to ``result``."""
    for item in found:
        if isinstance(item, Reject):
            # hand-written SQL only ever gives sql_to_ibis examples
            human = item.reason.startswith("human_sql")
            for task in program_tasks:
                if not human or task == "sql_to_ibis":
                    result.rejects[f"{task}:{item.reason}"] += 1
            continue
        if isinstance(item, HumanSql):
            if "sql_to_ibis" in program_tasks:
                meta = {
                    **provenance.meta(lines=item.text.lines),
                    "origin": "human_sql",
                    "program_origin": item.origin,
                    "symbol": item.symbol,
                    "sql_from": item.text.how,
                }
                result.sql_sites.append(SqlSite(item, provenance.source, meta))
            continue
        program, human_sql, sql_path = item if isinstance(item, tuple) else (item, None, None)
        meta = {
            **provenance.meta(lines=program.lines),
            "origin": program.origin,
            "symbol": program.symbol,
        }
        if sql_path:
            meta["sql_path"] = sql_path
        snapshot = _snapshot_text(job, program.snapshot)
        if snapshot is not None:
            meta["snapshot"] = program.snapshot
        site = ProgramSite(program, provenance.source, meta, human_sql, snapshot)
        result.programs.append(site)


def _snapshot_text(job: FileJob, rel_path: str | None) -> str | None:
    """The snapshot file a program's SQL was checked against in its test, when it exists."""
    if rel_path is None:
        return None
    read = files.read_text(job.source.base, rel_path)
    return None if isinstance(read, files.Skip) else read.text


_WORKER_CONFIG: Config | None = None


def _init_worker(config: Config) -> None:
    global _WORKER_CONFIG
    _WORKER_CONFIG = config


def _mine_in_worker(job: FileJob) -> FileResult:
    assert _WORKER_CONFIG is not None
    return mine_file(job, _WORKER_CONFIG)


def _results(jobs: list[FileJob], config: Config) -> Iterator[FileResult]:
    if config.workers <= 1 or len(jobs) <= 1:
        for job in jobs:
            yield mine_file(job, config)
        return
    with ProcessPoolExecutor(
        max_workers=config.workers, initializer=_init_worker, initargs=(config,)
    ) as pool:
        yield from pool.map(_mine_in_worker, jobs, chunksize=CHUNK_SIZE)


def run(
    sources: Sequence[Source],
    config: Config,
    progress: Progress | None = None,
) -> RunResult:
    """Mine ``sources`` with ``config``; ``progress`` may wrap the stream of file results."""
    jobs, skipped = plan(sources, config)
    stream: Iterable[FileResult] = _results(jobs, config)
    if progress is not None:
        stream = progress(stream, len(jobs), "mining files")
    by_task: dict[str, list[Example]] = {task: [] for task in config.tasks}
    rejects: Counter[str] = Counter()
    sites: list[ProgramSite] = []
    sql_sites: list[SqlSite] = []
    mined = 0
    for result in stream:
        if result.skipped:
            skipped[result.skipped] += 1
            continue
        mined += 1
        rejects.update(result.rejects)
        sites.extend(result.programs)
        sql_sites.extend(result.sql_sites)
        for example in result.examples:
            by_task[example.task].append(example)
    if sites or sql_sites:
        for example in translate(sites, sql_sites, config, rejects, progress):
            by_task[example.task].append(example)
    for task, examples in by_task.items():
        kept, dropped = dedup(examples)
        by_task[task] = kept
        if dropped:
            rejects[f"{task}:duplicate"] += dropped
    return RunResult(by_task, rejects, mined, skipped)


def default_workers() -> int:
    """The number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)
