"""The Python API, mirroring the CLI: ``mine(sources, tasks=...)`` and ``mine_to(...)``."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator, Sequence
from pathlib import Path

from ibert_mine import tasks as task_registry
from ibert_mine.core.config import DEFAULT_DIALECTS, DEFAULT_OUTPUT, Config, WalkRules
from ibert_mine.core.example import Example
from ibert_mine.core.layout import MANIFEST, mined_path, read_manifest
from ibert_mine.pipeline import manifest
from ibert_mine.pipeline.progress import Progress
from ibert_mine.pipeline.run import RunResult, run
from ibert_mine.pipeline.write import write_examples, write_json_atomic
from ibert_mine.sources.ddl import DdlError, read_schema_files
from ibert_mine.sources.ibis_api import ibis_api_names
from ibert_mine.sources.resolve import DEFAULT_SOURCE, Source, resolve


class UsageError(ValueError):
    """Options that do not name a valid run (unknown task, task without a miner)."""


def check_tasks(names: Sequence[str]) -> tuple[str, ...]:
    """Validate task names; none given means every task that has a miner, in output order."""
    if not names:
        return task_registry.implemented()
    for name in names:
        if name not in task_registry.names():
            every = ", ".join(task_registry.names())
            raise UsageError(f"unknown task {name!r}; the tasks are: {every}")
        if name not in task_registry.implemented():
            have = ", ".join(task_registry.implemented())
            raise UsageError(f"task {name!r} has no miner yet; mined today: {have}")
    order = task_registry.implemented()
    return tuple(sorted(set(names), key=order.index))


def check_dialects(names: Sequence[str]) -> tuple[str, ...]:
    """Validate ``--dialect`` names: each must be an Ibis SQL compiler."""
    for name in names:
        if (
            not name.isidentifier()
            or importlib.util.find_spec(f"ibis.backends.sql.compilers.{name}") is None
        ):
            raise UsageError(f"unknown dialect {name!r}; e.g. {', '.join(DEFAULT_DIALECTS)}")
    return tuple(dict.fromkeys(names))


def make_config(
    tasks: Sequence[str] = (),
    output: Path = DEFAULT_OUTPUT,
    workers: int = 1,
    rules: WalkRules | None = None,
    dialects: Sequence[str] = (),
    schema_files: Sequence[Path] = (),
) -> Config:
    """A :class:`Config` with the Ibis API names read off the installed package, and the
    table schemas of ``schema_files`` (SQL DDL)."""
    try:
        schemas = read_schema_files(list(schema_files))
    except DdlError as err:
        raise UsageError(f"--schema: {err}") from err
    return Config(
        tasks=check_tasks(tasks),
        output=output,
        workers=workers,
        rules=rules or WalkRules(),
        dialects=check_dialects(dialects) or DEFAULT_DIALECTS,
        ibis_api=ibis_api_names(),
        table_schemas=tuple(sorted(schemas.items())),
        schema_files=tuple(str(p) for p in schema_files),
    )


def resolve_sources(specs: Sequence[str]) -> list[Source]:
    """Resolve ``--source`` values; none given means the installed ibis package."""
    return [resolve(spec) for spec in (specs or [DEFAULT_SOURCE])]


def mine(
    sources: Sequence[str] = (), tasks: Sequence[str] = (), workers: int = 1
) -> Iterator[Example]:
    """Mine examples from ``sources`` (paths or installed packages), task by task."""
    result = run(resolve_sources(sources), make_config(tasks, workers=workers))
    for task in result.examples:
        yield from result.examples[task]


def mine_to(
    sources: Sequence[Source], config: Config, progress: Progress | None = None
) -> RunResult:
    """Mine and write ``<task>_mined.jsonl`` files and ``manifest.json`` under ``config.output``."""
    result = run(sources, config, progress=progress)
    for task, examples in result.examples.items():
        write_examples(mined_path(config.output, task), examples)
    previous = read_manifest(config.output)
    write_json_atomic(config.output / MANIFEST, manifest.build(previous, sources, config, result))
    return result
