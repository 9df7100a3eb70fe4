"""Task miners: each module has ``NAME`` and ``mine(unit, config) -> Iterator[Example | Reject]``.

:data:`TASKS` lists the miners in output order. A miner knows nothing of files or
processes: it turns one parsed unit into candidate examples, and answers every
candidate it throws away with a :class:`~ibert_mine.tasks.base.Reject` naming the reason.
"""

from __future__ import annotations

from types import ModuleType

from ibert_mine.tasks import code_completion, documentation
from ibert_mine.tasks.base import Miner, Reject

TASKS: tuple[ModuleType, ...] = (code_completion, documentation)
BY_NAME: dict[str, ModuleType] = {module.NAME: module for module in TASKS}

__all__ = ["BY_NAME", "TASKS", "Miner", "Reject", "implemented", "miner"]


def implemented() -> tuple[str, ...]:
    """Names of the tasks that have a miner, in output order."""
    return tuple(BY_NAME)


def miner(task: str) -> Miner:
    """The ``mine`` function of ``task``."""
    return BY_NAME[task].mine
