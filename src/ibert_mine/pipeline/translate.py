"""The translation stage: run each distinct program once in the sandbox, build examples.

Programs found in several places are verified once (the first site, in file order,
gives the provenance). Sandbox outcomes that are not ``ok`` are counted per task as
``program_error:<ExceptionType>``, ``timeout`` or ``crashed``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

from ibert_mine import tasks
from ibert_mine.config import Config
from ibert_mine.pipeline.progress import Progress
from ibert_mine.schema import Example
from ibert_mine.snippets.sandbox import Sandbox
from ibert_mine.snippets.site import ProgramSite

VERIFY = "ibert_mine.snippets.verify:verify_program"


def distinct(sites: list[ProgramSite]) -> list[ProgramSite]:
    """The first site of each distinct program."""
    seen: set[str] = set()
    kept: list[ProgramSite] = []
    for site in sites:
        if site.key not in seen:
            seen.add(site.key)
            kept.append(site)
    return kept


def translate(
    sites: list[ProgramSite],
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
