"""ibert-mine: mine verified training examples for iBERT, a code model for Ibis.

``ibert_mine.mine(...)`` runs as ``ibert-mine mine`` does and returns a :class:`Mined`
(``.write()`` writes it); ``ibert_mine.load(folder)`` reads a mined folder back. See
:mod:`ibert_mine.api` for an example.
"""

from __future__ import annotations

from ibert_mine.api import Mined, NothingToMine, UsageError, load, mine
from ibert_mine.core import VERSION
from ibert_mine.core.config import Config
from ibert_mine.core.example import Example
from ibert_mine.sources.resolve import SourceError

__version__ = VERSION
__all__ = [
    "Config",
    "Example",
    "Mined",
    "NothingToMine",
    "SourceError",
    "UsageError",
    "__version__",
    "load",
    "mine",
]
