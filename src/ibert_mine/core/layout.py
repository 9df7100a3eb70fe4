"""Where a run's files live in its output folder: ``<task>_mined.jsonl`` and ``manifest.json``."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

MANIFEST = "manifest.json"
TIMINGS = "timings.json"  # seconds per stage of the last run (the manifest holds no clock time)


def mined_path(output: Path, task: str) -> Path:
    """``<output>/<task>_mined.jsonl``, the file name the prototype used."""
    return output / f"{task}_mined.jsonl"


def excluded_path(output: Path, task: str) -> Path:
    """``<output>/excluded/<task>.jsonl``: the examples dedup dropped, with their reason."""
    return output / "excluded" / f"{task}.jsonl"


def task_files(directory: Path, tasks: Iterable[str]) -> list[Path]:
    """The ``<task>_mined.jsonl`` files of ``tasks`` present in ``directory``, in that order."""
    return [p for t in tasks if (p := mined_path(directory, t)).exists()]


def read_manifest(output: Path) -> dict[str, Any]:
    """The manifest beside the mined files, or an empty one."""
    path = output / MANIFEST
    if not path.exists():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return {}
