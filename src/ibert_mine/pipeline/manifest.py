"""``manifest.json``: what a run mined, from what, with which versions and options.

It holds no clock time, so two runs over the same sources write the same bytes (the
seconds per stage go to ``timings.json`` beside it). Skipped files are named, at most
``MAX_LISTED`` of them, with their total.
Entries of tasks (and job stages) that a run did not mine are kept from the previous
manifest. ``commits`` says how many commits the history phase walked and mined, the
commits it skipped by reason, and why a source had no history (a folder, a shallow clone);
``exports`` the community exports read, the threads they gave and what could not be read.
Rejects are recorded where they were counted: under the task, or once under
the job stage whose jobs several tasks share (with the tasks each kind of job serves).
"""

from __future__ import annotations

import importlib.metadata
import platform
from collections.abc import Sequence
from typing import Any

from ibert_mine.core import VERSION
from ibert_mine.core.config import Config
from ibert_mine.pipeline.history import reads_commits
from ibert_mine.pipeline.run import RunResult
from ibert_mine.sources.resolve import MAX_LISTED, Source
from ibert_mine.tasks import selected, stages
from ibert_mine.tasks.contract import JobStage, Task

VERSIONED = ("ibis-framework", "sqlglot", "duckdb", "docstring-parser", "markdownify", "defusedxml")


def versions() -> dict[str, str]:
    """Versions of ibert-mine, Python and the libraries that shape the output."""
    out = {"ibert-mine": VERSION, "python": platform.python_version()}
    for dist in VERSIONED:
        try:
            out[dist] = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            out[dist] = "not installed"
    return out


def _served(stage: JobStage, tasks: Sequence[Task]) -> dict[str, list[str]]:
    """Job kind -> the tasks of this run that take jobs of that kind."""
    return {
        kind.name: [
            t.name
            for t in tasks
            if (miner := t.taking(stage)) is not None and kind.name in miner.kinds
        ]
        for kind in stage.kinds
    }


def build(
    previous: dict[str, Any], sources: Sequence[Source], config: Config, result: RunResult
) -> dict[str, Any]:
    """The new manifest: this run's tasks and stages replace their entries, others are kept."""
    described = [s.describe() for s in sources]
    names = [s["name"] for s in described]
    chosen = selected(config.tasks)
    tasks = dict(previous.get("tasks", {}))
    for task, examples in result.examples.items():
        tasks[task] = {
            "count": len(examples),
            "rejects": result.rejects.of(task),
            "sources": names,
            "options": config.options(),
        }
    job_stages = dict(previous.get("stages", {}))
    for stage in stages(chosen):
        job_stages[stage.name] = {
            "serves": _served(stage, chosen),
            "rejects": result.rejects.of(stage.name),
            "sources": names,
            "options": config.options(),
        }
    commits = result.history.describe() if reads_commits(chosen) else previous.get("commits")
    known = {s["name"]: s for s in previous.get("sources", [])}
    known.update({s["name"]: s for s in described})
    return {
        "versions": versions(),
        "sources": [known[name] for name in sorted(known)],
        "tasks": {t: tasks[t] for t in sorted(tasks)},
        "stages": {s: job_stages[s] for s in sorted(job_stages)},
        "files": {
            "mined": result.files_mined,
            "skipped": result.files_skipped,
            "skipped_files": [
                {"source": source, "path": path, "reason": reason}
                for source, path, reason in result.skipped_paths[:MAX_LISTED]
            ],
            "skipped_total": len(result.skipped_paths),
        },
        **({"commits": commits} if commits else {}),
        **({"exports": result.exports} if result.exports else {}),
    }
