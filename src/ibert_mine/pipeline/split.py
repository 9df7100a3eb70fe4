"""Train/valid/test split by group (source file or commit), so near-duplicates stay together."""

from __future__ import annotations

import hashlib
from typing import Any

SPLITS: tuple[tuple[str, float], ...] = (("train", 0.90), ("valid", 0.05), ("test", 0.05))


def group_key(record: dict[str, Any]) -> str:
    """What must not be split apart: the source file (or the commit when there is no path)."""
    meta = record.get("meta") or {}
    where = meta.get("path") or meta.get("commit") or record.get("id", "")
    return f"{record.get('source', '')}\x00{where}"


def split_of(record: dict[str, Any]) -> str:
    """The split a record belongs to, fixed by a hash of its group key."""
    digest = hashlib.sha256(group_key(record).encode()).digest()
    point = int.from_bytes(digest[:8], "big") / 2**64
    total = 0.0
    for name, share in SPLITS:
        total += share
        if point < total:
            return name
    return SPLITS[-1][0]
