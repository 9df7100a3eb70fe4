"""The six tasks, in output order: each task module builds one :class:`~.contract.Task`.

:data:`TASKS` is the registry the pipeline, ``validate``, ``stats`` and the CLI read;
nothing outside this package names a task. Adding a task is one new module (or small
package) that builds a ``Task``, and one line here.
"""

from __future__ import annotations

from ibert_mine.tasks import (
    code_completion,
    documentation,
    error_resolution,
    ibis_to_sql,
    qa,
    sql_to_ibis,
)
from ibert_mine.tasks.contract import JobStage, Task, TwoPhase

TASKS: tuple[Task, ...] = (
    code_completion.TASK,
    sql_to_ibis.TASK,
    ibis_to_sql.TASK,
    error_resolution.TASK,
    qa.TASK,
    documentation.TASK,
)
BY_NAME: dict[str, Task] = {task.name: task for task in TASKS}


def names() -> tuple[str, ...]:
    """Every task name, in output order."""
    return tuple(BY_NAME)


def implemented() -> tuple[str, ...]:
    """Names of the tasks that have a miner, in output order."""
    return tuple(task.name for task in TASKS if task.miners)


def selected(names: tuple[str, ...]) -> tuple[Task, ...]:
    """The tasks called ``names``, in output order."""
    return tuple(task for task in TASKS if task.name in names)


def stages(tasks: tuple[Task, ...]) -> tuple[JobStage, ...]:
    """The job stages ``tasks`` take jobs from, each once, in task order."""
    found: list[JobStage] = []
    for task in tasks:
        for miner in task.miners:
            if isinstance(miner, TwoPhase) and miner.stage not in found:
                found.append(miner.stage)
    return tuple(found)
