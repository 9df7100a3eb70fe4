"""Task miners: each module has ``NAME`` and ``mine(unit, config) -> Iterator[Example | Reject]``.

:data:`TASKS` lists the miners in output order. A miner knows nothing of files or
processes: it turns one parsed unit into candidate examples, and answers every
candidate it throws away with a :class:`~ibert_mine.tasks.base.Reject` naming the reason.
"""

from __future__ import annotations

from types import ModuleType

from ibert_mine.tasks import code_completion, documentation, ibis_to_sql, sql_to_ibis
from ibert_mine.tasks.base import Miner, Reject

TASKS: tuple[ModuleType, ...] = (code_completion, sql_to_ibis, ibis_to_sql, documentation)
BY_NAME: dict[str, ModuleType] = {module.NAME: module for module in TASKS}

__all__ = ["BY_NAME", "TASKS", "Miner", "Reject", "implemented", "miner", "uses_programs"]


def implemented() -> tuple[str, ...]:
    """Names of the tasks that have a miner, in output order."""
    return tuple(BY_NAME)


def miner(task: str) -> Miner:
    """The ``mine`` function of a task that mines parsed modules directly."""
    return BY_NAME[task].mine


def uses_programs(task: str) -> bool:
    """True for tasks built from verified Ibis programs (``examples(site, outcome, config)``)."""
    return getattr(BY_NAME[task], "USES_PROGRAMS", False)
