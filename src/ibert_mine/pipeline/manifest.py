"""``manifest.json``: what a run mined, from what, with which versions and options.

It holds no clock time, so two runs over the same sources write the same bytes.
Entries of tasks that a run did not mine are kept from the previous manifest.
"""

from __future__ import annotations

import importlib.metadata
import platform
from collections import Counter
from collections.abc import Sequence
from typing import Any

from ibert_mine import __version__
from ibert_mine.config import Config
from ibert_mine.pipeline.run import RunResult
from ibert_mine.sources.resolve import Source

VERSIONED = ("ibis-framework", "sqlglot", "duckdb", "docstring-parser")


def versions() -> dict[str, str]:
    """Versions of ibert-mine, Python and the libraries that shape the output."""
    out = {"ibert-mine": __version__, "python": platform.python_version()}
    for dist in VERSIONED:
        try:
            out[dist] = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            out[dist] = "not installed"
    return out


def _rejects_of(rejects: Counter[str], task: str) -> dict[str, int]:
    prefix = f"{task}:"
    return {k[len(prefix) :]: v for k, v in sorted(rejects.items()) if k.startswith(prefix)}


def build(
    previous: dict[str, Any], sources: Sequence[Source], config: Config, result: RunResult
) -> dict[str, Any]:
    """The new manifest: this run's tasks replace their entries, others are kept."""
    described = [s.describe() for s in sources]
    tasks = dict(previous.get("tasks", {}))
    for task, examples in result.examples.items():
        tasks[task] = {
            "count": len(examples),
            "rejects": _rejects_of(result.rejects, task),
            "sources": [s["name"] for s in described],
            "options": config.options(),
        }
    known = {s["name"]: s for s in previous.get("sources", [])}
    known.update({s["name"]: s for s in described})
    return {
        "versions": versions(),
        "sources": [known[name] for name in sorted(known)],
        "tasks": {t: tasks[t] for t in sorted(tasks)},
        "files": {
            "mined": result.files_mined,
            "skipped": dict(sorted(result.files_skipped.items())),
        },
    }
