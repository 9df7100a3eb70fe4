"""``validate --execute``: re-run records in the sandbox, as each task's replay says.

Records are grouped by the task's replay key (each distinct program runs once) and every
group runs once. ``sample`` keeps the N records with the smallest ids (ids are content
hashes, so this is a fixed pseudo-random sample).
"""

from __future__ import annotations

from ibert_mine.execution import PRELOAD
from ibert_mine.sandbox.pool import Sandbox
from ibert_mine.tasks import TASKS
from ibert_mine.tasks.contract import Located


def replay(
    records: list[Located], workers: int = 1, sample: int | None = None
) -> tuple[int, list[str]]:
    """How many records were re-run, and the problems (``file:line: reason``) found."""
    chosen = records
    if sample is not None:
        chosen = sorted(records, key=lambda r: r[1]["id"])[:sample]
    problems: list[str] = []
    with Sandbox(workers=workers, preload=PRELOAD) as sandbox:
        for task in TASKS:
            if task.replay is None:
                continue
            groups: dict[str, list[Located]] = {}
            for where, record in chosen:
                if record["task"] == task.name:
                    groups.setdefault(task.replay.group(record), []).append((where, record))
            if not groups:
                continue
            payloads = [task.replay.payload(group) for group in groups.values()]
            outcomes = sandbox.map(task.replay.func, payloads)
            for group, outcome in zip(groups.values(), outcomes, strict=True):
                problems.extend(task.replay.problems(group, outcome))
    return len(chosen), problems
