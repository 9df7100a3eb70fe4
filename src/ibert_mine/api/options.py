"""Checking what a caller asks for, before any work: tasks, dialects, workers, schemas, output.

Every problem is a :class:`UsageError` (a ``ValueError``) whose message is the one the CLI
prints; nothing here mines or writes.
"""

from __future__ import annotations

import importlib.util
import os
import tempfile
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from ibert_mine import tasks as task_registry
from ibert_mine.core.config import (
    DEFAULT_DIALECTS,
    DEFAULT_INCLUDE,
    DEFAULT_MAX_BYTES,
    DEFAULT_OUTPUT,
    Config,
    WalkRules,
)
from ibert_mine.pipeline.run import default_workers
from ibert_mine.sources.ddl import DdlError, read_schema_files
from ibert_mine.sources.ibis_api import ibis_api_names, ibis_exports
from ibert_mine.sources.resolve import DEFAULT_SOURCE, Source, resolve

PathLike = str | os.PathLike[str]


class UsageError(ValueError):
    """Options that do not name a valid run (unknown task, task without a miner, ...)."""


def check_tasks(names: Sequence[str]) -> tuple[str, ...]:
    """Validate task names; none given means every task that has a miner, in output order."""
    if isinstance(names, str):
        names = [names]
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
    if isinstance(names, str):
        names = [names]
    for name in names:
        if (
            not name.isidentifier()
            or importlib.util.find_spec(f"ibis.backends.sql.compilers.{name}") is None
        ):
            raise UsageError(f"unknown dialect {name!r}; e.g. {', '.join(DEFAULT_DIALECTS)}")
    return tuple(dict.fromkeys(names))


def check_count(name: str, value: int) -> int:
    """A count option (``--workers``, ``--max-bytes``) is a whole number of at least 1."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise UsageError(f"{name} must be a whole number of at least 1, not {value!r}")
    return value


def make_config(
    tasks: Sequence[str] = (),
    output: PathLike = DEFAULT_OUTPUT,
    workers: int | None = None,
    rules: WalkRules | None = None,
    dialects: Sequence[str] = (),
    schema_files: Sequence[PathLike] = (),
) -> Config:
    """A checked :class:`Config` with the CLI's defaults (``workers``: every core), the Ibis
    API names read off the installed package, and the table schemas of ``schema_files``."""
    rules = rules or WalkRules()
    check_count("--max-bytes", rules.max_bytes)
    try:
        schemas = read_schema_files([Path(p) for p in schema_files])
    except DdlError as err:
        raise UsageError(f"--schema: {err}") from err
    return Config(
        tasks=check_tasks(tasks),
        output=Path(output),
        workers=check_count("--workers", default_workers() if workers is None else workers),
        rules=rules,
        dialects=check_dialects(dialects) or DEFAULT_DIALECTS,
        ibis_api=ibis_api_names(),
        ibis_exports=ibis_exports(),
        table_schemas=tuple(sorted(schemas.items())),
        schema_files=tuple(str(p) for p in schema_files),
    )


def walk_rules(
    include: Sequence[str] = (), exclude: Sequence[str] = (), max_bytes: int = DEFAULT_MAX_BYTES
) -> WalkRules:
    """The ``--include`` / ``--exclude`` / ``--max-bytes`` rules (the default include: Python
    modules, pages and notebooks)."""
    include = [include] if isinstance(include, str) else include
    exclude = [exclude] if isinstance(exclude, str) else exclude
    return WalkRules(tuple(include or DEFAULT_INCLUDE), tuple(exclude), max_bytes)


def check_config(config: Config) -> Config:
    """A :class:`Config` built by hand, checked as :func:`make_config` checks options; the
    Ibis API names and exports are filled in when it has none."""
    check_tasks(config.tasks)
    check_dialects(config.dialects)
    check_count("--workers", config.workers)
    check_count("--max-bytes", config.rules.max_bytes)
    if not config.tasks:
        config = replace(config, tasks=task_registry.implemented())
    if not config.ibis_api:
        config = replace(config, ibis_api=ibis_api_names())
    return config if config.ibis_exports else replace(config, ibis_exports=ibis_exports())


def resolve_sources(specs: PathLike | Sequence[PathLike]) -> list[Source]:
    """Resolve ``--source`` values: a path, a package name, or a list of them; none given
    means the installed ibis package."""
    if isinstance(specs, str | os.PathLike):
        specs = [specs]
    return [resolve(os.fspath(spec)) for spec in (specs or [DEFAULT_SOURCE])]


def check_output(path: PathLike, what: str = "--output") -> Path:
    """``path`` as a folder that can be written (created if need be), or a
    :class:`UsageError` saying why not. Nothing is left behind by the check."""
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise UsageError(f"{what} {path} is a file, not a folder")
    existing = path
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir():
        raise UsageError(f"{what} {path} cannot be created: {existing} is a file")
    try:
        fd, probe = tempfile.mkstemp(prefix=".ibert-mine-probe-", dir=existing)
    except OSError as err:
        raise UsageError(f"{what} {path} is not writable ({err.strerror}: {existing})") from None
    os.close(fd)
    os.unlink(probe)
    return path
