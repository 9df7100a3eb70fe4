"""What every task miner shares: the ``Reject`` answer and the miner's signature."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from ibert_mine.config import Config
from ibert_mine.reject import Reject
from ibert_mine.schema import Example
from ibert_mine.sources.python import ModuleUnit

__all__ = ["Miner", "Reject"]


Miner = Callable[[ModuleUnit, Config], Iterator[Example | Reject]]
