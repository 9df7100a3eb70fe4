"""The translation stage: run each distinct program once in the sandbox, build examples.

Programs found in several places are verified once (the first site, in file order,
gives the provenance). Sandbox outcomes that are not ``ok`` are counted per task as
``program_error:<ExceptionType>``, ``timeout`` or ``crashed``. Hand-written SQL (for
sql_to_ibis) is then paired with Ibis in the sandbox the same way, once per distinct SQL.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

from ibert_mine import tasks
from ibert_mine.config import Config
from ibert_mine.pipeline.progress import Progress
from ibert_mine.schema import Example
from ibert_mine.snippets.sandbox import Sandbox
from ibert_mine.snippets.site import ProgramSite, SqlSite
from ibert_mine.tasks import sql_to_ibis

VERIFY = "ibert_mine.snippets.verify:verify_program"
VERIFY_HUMAN = "ibert_mine.snippets.verify_human:verify_human_sql"


Site = TypeVar("Site", ProgramSite, SqlSite)


def distinct(sites: list[Site]) -> list[Site]:
    """The first site of each distinct program (or SQL text)."""
    seen: set[str] = set()
    kept: list[Site] = []
    for site in sites:
        if site.key not in seen:
            seen.add(site.key)
            kept.append(site)
    return kept


def translate(
    sites: list[ProgramSite],
    sql_sites: list[SqlSite],
    config: Config,
    rejects: Counter[str],
    progress: Progress | None = None,
) -> Iterator[Example]:
    """Verify every distinct program in the sandbox and yield the translation examples."""
    program_tasks = [t for t in config.tasks if tasks.uses_programs(t)]
    unique = distinct(sites)
    for task in program_tasks:
        if len(sites) > len(unique):
            rejects[f"{task}:duplicate_program"] += len(sites) - len(unique)
    readable = "sql_to_ibis" in program_tasks
    payloads = [site.payload(config.dialects, readable) for site in unique]
    with Sandbox(
        workers=config.workers, time_limit=config.time_limit, memory_limit=config.memory_limit
    ) as sandbox:
        outcomes: Iterable[Any] = sandbox.map(VERIFY, payloads)
        if progress is not None:
            outcomes = progress(outcomes, len(payloads), "verifying programs")
        from_programs = list(_program_examples(unique, outcomes, program_tasks, config, rejects))
        # hand-written SQL first: where a readable rewrite is the very same pair, dedup keeps
        # the example whose SQL a person wrote
        if "sql_to_ibis" in program_tasks and sql_sites:
            yield from _human_examples(sql_sites, sandbox, rejects, progress)
        yield from from_programs


def _program_examples(
    unique: list[ProgramSite],
    outcomes: Iterable[Any],
    program_tasks: list[str],
    config: Config,
    rejects: Counter[str],
) -> Iterator[Example]:
    """The examples of every program's task, from its sandbox outcome."""
    for site, outcome in zip(unique, outcomes, strict=True):
        if not outcome.ok:
            reason = (
                f"program_error:{outcome.error_type}"
                if outcome.status == "error"
                else outcome.status
            )
            for task in program_tasks:
                rejects[f"{task}:{reason}"] += 1
            continue
        for task in program_tasks:
            for item in tasks.BY_NAME[task].examples(site, outcome.value, config):
                if isinstance(item, Example):
                    yield item
                else:
                    rejects[f"{task}:{item.reason}"] += 1


def _human_examples(
    sql_sites: list[SqlSite],
    sandbox: Sandbox,
    rejects: Counter[str],
    progress: Progress | None,
) -> Iterator[Example]:
    """Pair each distinct hand-written SQL with Ibis in the sandbox; its sql_to_ibis example."""
    unique = distinct(sql_sites)
    if len(sql_sites) > len(unique):
        rejects["sql_to_ibis:duplicate_human_sql"] += len(sql_sites) - len(unique)
    outcomes: Iterable[Any] = sandbox.map(VERIFY_HUMAN, [site.payload() for site in unique])
    if progress is not None:
        outcomes = progress(outcomes, len(unique), "pairing hand-written SQL")
    for site, outcome in zip(unique, outcomes, strict=True):
        if not outcome.ok:
            what = outcome.error_type if outcome.status == "error" else outcome.status
            rejects[f"sql_to_ibis:human_sql_{what}"] += 1
            continue
        item = sql_to_ibis.human_example(site, outcome.value)
        if isinstance(item, Example):
            yield item
        else:
            rejects[f"sql_to_ibis:{item.reason}"] += 1
