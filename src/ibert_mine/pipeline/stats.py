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
from ibert_mine.sources import history
from ibert_mine.sources.history import COMMITS
from ibert_mine.sources.units import SKIP_REASONS
from ibert_mine.tasks import BY_NAME, TASKS, names


@dataclass(slots=True)
class Stats:
    """What a folder of mined files holds."""

    per_task: Counter[str] = field(default_factory=Counter)
    per_origin: Counter[tuple[str, str]] = field(default_factory=Counter)
    per_dialect: Counter[tuple[str, str]] = field(default_factory=Counter)
    per_tag: Counter[tuple[str, str]] = field(default_factory=Counter)
    rejects: Counter[tuple[str, str]] = field(default_factory=Counter)  # (stage, reason key)
    serves: dict[str, list[str]] = field(default_factory=dict)  # job stage -> its tasks
    files_skipped: Counter[str] = field(default_factory=Counter)
    skipped_files: list[dict[str, str]] = field(default_factory=list)  # source, path, reason
    skipped_total: int = 0
    files_mined: int = 0
    seconds: dict[str, float] = field(default_factory=dict)  # per stage, from timings.json
    commits: dict = field(default_factory=dict)  # the manifest's history entry (walked, notes)


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
                for tag in (record.get("meta") or {}).get("tags") or ():
                    stats.per_tag[(task, tag)] += 1
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
    stats.commits = manifest.get("commits") or {}
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


def _table(title: str, columns: tuple[str, ...], rows: list[tuple[str, ...]]) -> Table:
    """A table whose ``count`` column is right-aligned."""
    table = Table(title=title)
    for name in columns:
        table.add_column(name, justify="right" if name == "count" else "left")
    for row in rows:
        table.add_row(*row)
    return table


def tables(stats: Stats, explain: bool = False) -> list[Table]:
    """Rich tables: examples by task and origin, by dialect and tag, rejects, skipped files
    and seconds per stage."""
    examples = Table(title="examples", show_footer=True)
    examples.add_column("task", footer="total")
    examples.add_column("origin")
    examples.add_column("count", justify="right", footer=str(sum(stats.per_task.values())))
    for (task, origin), count in sorted(stats.per_origin.items()):
        examples.add_row(task, origin, str(count))
    out = [examples]
    if stats.per_dialect:
        rows = [(t, d, str(n)) for (t, d), n in sorted(stats.per_dialect.items())]
        out.append(_table("by dialect", ("task", "dialect", "count"), rows))
    if stats.per_tag:
        rows = [(t, g, str(n)) for (t, g), n in sorted(stats.per_tag.items())]
        title = "by tag (meta.tags; concat --exclude-tag leaves them out)"
        out.append(_table(title, ("task", "tag", "count"), rows))
    out.append(_rejects_table(stats, explain))
    columns = ("skipped because", "count", *(("meaning",) if explain else ()))
    rows = [
        (r, str(n), *((describe(FILES, r),) if explain else ()))
        for r, n in sorted(stats.files_skipped.items())
    ]
    out.append(_table(f"files (last run): {stats.files_mined} mined", columns, rows))
    if stats.commits:
        out.append(_commits_table(stats.commits, explain))
    if stats.seconds:
        timings = Table(title="seconds per stage (last run; parse and mine summed over workers)")
        for stage in stats.seconds:
            timings.add_column(stage, justify="right")
        timings.add_row(*(f"{s:.1f}" for s in stats.seconds.values()))
        out.append(timings)
    return out


def _commits_table(commits: dict, explain: bool) -> Table:
    """The history phase: commits walked and mined, skipped by reason, and the notes."""
    title = (
        f"commits (last run): {commits.get('walked', 0)} walked, {commits.get('mined', 0)} mined"
    )
    columns = ("skipped because", "count", *(("meaning",) if explain else ()))
    rows = [
        (r, str(n), *((_history_reason(r),) if explain else ()))
        for r, n in sorted(commits.get("skipped", {}).items())
    ]
    rows += [(f"{n.get('source')}: {n.get('note')}", "", *(("",) if explain else ())) for n in
             commits.get("notes", [])]  # fmt: skip
    return _table(title, columns, rows)


def _history_reason(key: str) -> str:
    reason = RejectCounts({COMMITS: history.REASONS}).reason(COMMITS, key)
    return reason.description if reason is not None else ""


def _rejects_table(stats: Stats, explain: bool) -> Table:
    shared = "; ".join(f"{s} serves {', '.join(t)}" for s, t in sorted(stats.serves.items()))
    rejects = Table(title="rejected candidates (last run of each task)", caption=shared or None)
    for name in ("task or stage", "reason", "count", *(("meaning",) if explain else ())):
        rejects.add_column(name, justify="right" if name == "count" else "left")
    for (stage, reason), count in sorted(stats.rejects.items(), key=lambda kv: (kv[0][0], -kv[1])):
        rejects.add_row(stage, reason, str(count), *((describe(stage, reason),) if explain else ()))
    return rejects


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
