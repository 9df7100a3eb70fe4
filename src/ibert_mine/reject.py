"""``Reject``: a candidate thrown away, with the reason it is counted under."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Reject:
    """A candidate thrown away, counted as ``<task>:<reason>``."""

    reason: str
