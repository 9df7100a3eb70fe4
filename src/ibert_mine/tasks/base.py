"""What every task miner shares: the ``Reject`` answer and the miner's signature."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ibert_mine.config import Config
from ibert_mine.schema import Example
from ibert_mine.sources.python import ModuleUnit


@dataclass(frozen=True, slots=True)
class Reject:
    """A candidate thrown away, counted as ``<task>:<reason>``."""

    reason: str


Miner = Callable[[ModuleUnit, Config], Iterator[Example | Reject]]
