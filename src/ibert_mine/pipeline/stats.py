"""``stats``: counts per task, origin and dialect of the mined files; rejects from the manifest.

With ``explain``, each reject and skip reason is printed with its declared description.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from rich.table import Table

from ibert_mine.core.layout import TIMINGS, read_manifest, task_files
from ibert_mine.pipeline.counts import FILES, RejectCounts, declared_reasons
from ibert_mine.sources.units import SKIP_REASONS
from ibert_mine.tasks import BY_NAME, TASKS, names


@dataclass(slots=True)
class Stats:
    """What a folder of mined files holds."""

    per_task: Counter[str] = field(default_factory=Counter)
    per_origin: Counter[tuple[str, str]] = field(default_factory=Counter)
    per_dialect: Counter[tuple[str, str]] = field(default_factory=Counter)
    rejects: Counter[tuple[str, str]] = field(default_factory=Counter)  # (stage, reason key)
    serves: dict[str, list[str]] = field(default_factory=dict)  # job stage -> its tasks
    files_skipped: Counter[str] = field(default_factory=Counter)
    skipped_files: list[dict[str, str]] = field(default_factory=list)  # source, path, reason
    skipped_total: int = 0
    files_mined: int = 0
    seconds: dict[str, float] = field(default_factory=dict)  # per stage, from timings.json


def _origin(task: str, meta: dict) -> str:
    """The origin of a record, with the meta keys its task breaks counts by."""
    origin = str(meta.get("origin", "?"))
    keys = BY_NAME[task].stats_keys if task in BY_NAME else ()
    extra = [str(meta[k]) for k in keys if meta.get(k)]
    return f"{origin} ({', '.join(extra)})" if extra else origin


def collect(directory: Path) -> Stats:
    """Read the task files and the manifest of ``directory``."""
    stats = Stats()
    for path in task_files(directory, names()):
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                try:
                    record = json.loads(line)
                except json.JSONDecodeError:
                    continue
                task = record.get("task", "?")
                stats.per_task[task] += 1
                stats.per_origin[(task, _origin(task, record.get("meta") or {}))] += 1
                dialect = (record.get("input") or {}).get("dialect")
                if dialect:
                    stats.per_dialect[(task, dialect)] += 1
    manifest = read_manifest(directory)
    for section in ("tasks", "stages"):
        for stage, entry in manifest.get(section, {}).items():
            for reason, count in entry.get("rejects", {}).items():
                stats.rejects[(stage, reason)] += count
    for stage, entry in manifest.get("stages", {}).items():
        served = {t for tasks in entry.get("serves", {}).values() for t in tasks}
        stats.serves[stage] = sorted(served, key=lambda t: names().index(t) if t in names() else 0)
    files = manifest.get("files", {})
    stats.files_mined = files.get("mined", 0)
    stats.files_skipped.update(files.get("skipped", {}))
    stats.skipped_files = list(files.get("skipped_files", []))
    stats.skipped_total = files.get("skipped_total", len(stats.skipped_files))
    try:
        stats.seconds = json.loads((directory / TIMINGS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        stats.seconds = {}
    return stats


def describe(stage: str, key: str) -> str:
    """The declared description of reason ``key`` of ``stage`` ('' when not declared)."""
    declared = RejectCounts({**declared_reasons(TASKS), FILES: SKIP_REASONS})
    reason = declared.reason(stage, key)
    return reason.description if reason is not None else ""


def tables(stats: Stats, explain: bool = False) -> list[Table]:
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
    shared = "; ".join(f"{s} serves {', '.join(t)}" for s, t in sorted(stats.serves.items()))
    rejects = Table(title="rejected candidates (last run of each task)", caption=shared or None)
    for name in ("task or stage", "reason", "count", *(("meaning",) if explain else ())):
        rejects.add_column(name, justify="right" if name == "count" else "left")
    for (stage, reason), count in sorted(stats.rejects.items(), key=lambda kv: (kv[0][0], -kv[1])):
        rejects.add_row(stage, reason, str(count), *((describe(stage, reason),) if explain else ()))
    out.append(rejects)
    files = Table(title=f"files (last run): {stats.files_mined} mined")
    files.add_column("skipped because")
    files.add_column("count", justify="right")
    if explain:
        files.add_column("meaning")
    for reason, count in sorted(stats.files_skipped.items()):
        files.add_row(reason, str(count), *((describe(FILES, reason),) if explain else ()))
    out.append(files)
    if stats.seconds:
        timings = Table(title="seconds per stage (last run; parse and mine summed over workers)")
        for stage in stats.seconds:
            timings.add_column(stage, justify="right")
        timings.add_row(*(f"{s:.1f}" for s in stats.seconds.values()))
        out.append(timings)
    return out


def skipped_table(stats: Stats) -> Table:
    """Every skipped file the manifest names, with its reason (the manifest keeps at most
    1,000 of them; the title gives the total)."""
    shown = len(stats.skipped_files)
    more = f", {shown} listed" if shown < stats.skipped_total else ""
    table = Table(title=f"skipped files: {stats.skipped_total}{more}")
    for name in ("source", "path", "reason"):
        table.add_column(name)
    for entry in stats.skipped_files:
        table.add_row(entry.get("source", ""), entry.get("path", ""), entry.get("reason", ""))
    return table
