"""``stats``: counts per task, origin and dialect of the mined files; rejects from the manifest."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from rich.table import Table

from ibert_mine.pipeline.write import read_manifest, task_files


@dataclass(slots=True)
class Stats:
    """What a folder of mined files holds."""

    per_task: Counter[str] = field(default_factory=Counter)
    per_origin: Counter[tuple[str, str]] = field(default_factory=Counter)
    per_dialect: Counter[tuple[str, str]] = field(default_factory=Counter)
    rejects: Counter[tuple[str, str]] = field(default_factory=Counter)
    files_skipped: Counter[str] = field(default_factory=Counter)
    files_mined: int = 0


def collect(directory: Path) -> Stats:
    """Read the task files and the manifest of ``directory``."""
    stats = Stats()
    for path in task_files(directory):
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                try:
                    record = json.loads(line)
                except json.JSONDecodeError:
                    continue
                task = record.get("task", "?")
                meta = record.get("meta") or {}
                stats.per_task[task] += 1
                origin = meta.get("origin", "?")
                if meta.get("variant"):
                    origin = f"{origin} ({meta['variant']})"
                stats.per_origin[(task, origin)] += 1
                dialect = (record.get("input") or {}).get("dialect")
                if dialect:
                    stats.per_dialect[(task, dialect)] += 1
    manifest = read_manifest(directory)
    for task, entry in manifest.get("tasks", {}).items():
        for reason, count in entry.get("rejects", {}).items():
            stats.rejects[(task, reason)] += count
    files = manifest.get("files", {})
    stats.files_mined = files.get("mined", 0)
    stats.files_skipped.update(files.get("skipped", {}))
    return stats


def tables(stats: Stats) -> list[Table]:
    """Rich tables: examples by task and origin, by dialect, rejects and skipped files."""
    examples = Table(title="examples", show_footer=True)
    examples.add_column("task", footer="total")
    examples.add_column("origin")
    examples.add_column("count", justify="right", footer=str(sum(stats.per_task.values())))
    for (task, origin), count in sorted(stats.per_origin.items()):
        examples.add_row(task, origin, str(count))
    out = [examples]
    if stats.per_dialect:
        dialects = Table(title="by dialect")
        for name in ("task", "dialect", "count"):
            dialects.add_column(name, justify="right" if name == "count" else "left")
        for (task, dialect), count in sorted(stats.per_dialect.items()):
            dialects.add_row(task, dialect, str(count))
        out.append(dialects)
    rejects = Table(title="rejected candidates (last run of each task)")
    for name in ("task", "reason", "count"):
        rejects.add_column(name, justify="right" if name == "count" else "left")
    for (task, reason), count in sorted(stats.rejects.items(), key=lambda kv: (kv[0][0], -kv[1])):
        rejects.add_row(task, reason, str(count))
    out.append(rejects)
    files = Table(title=f"files (last run): {stats.files_mined} mined")
    files.add_column("skipped because")
    files.add_column("count", justify="right")
    for reason, count in sorted(stats.files_skipped.items()):
        files.add_row(reason, str(count))
    out.append(files)
    return out
