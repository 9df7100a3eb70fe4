"""Train/valid/test splits that leak nothing: what belongs together lands in one split.

Records are linked (union-find) when they share any of their :func:`link_keys`: the
source file (for a community thread, the thread), the fix commit of a git example, the
near-duplicate cluster, the program (the field a task declares as ``program_field``: an
Ibis program's SQL in every dialect, its translation back and its mistakes), or the exact
input of the task. Each group goes to one split whole.

Groups go to splits by a hash of their smallest key, not by their order in the input.
A group holding more than 1% of the examples (and more than one) goes to train. The
others, in hash order, fill valid and then test: a group joins the split being filled
while that brings the split closer to its share (so each lands within half a group,
under half a point, of its share); the first group that would overshoot closes it, and
whatever is left goes to train. A group's split depends only on the groups before it in
hash order, so examples added later move only the groups at the two boundaries (and
those they link together or push over 1%), never the rest.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from ibert_mine.pipeline.union_find import UnionFind
from ibert_mine.tasks import BY_NAME

SPLIT_NAMES: tuple[str, ...] = ("train", "valid", "test")
DEFAULT_SIZES: tuple[float, ...] = (0.90, 0.05, 0.05)
BIG_GROUP = 0.01  # a group holding more than this share of the examples goes to train
THREADS = frozenset({"github", "stackexchange"})


def link_keys(record: dict[str, Any]) -> list[str]:
    """What a record shares with those that must land in its split."""
    meta = record.get("meta") or {}
    source, task = record.get("source", ""), record.get("task", "")
    keys = []
    if meta.get("origin") in THREADS and meta.get("thread"):
        keys.append(f"thread\0{source}\0{meta.get('path')}\0{meta['thread']}")
    elif meta.get("path"):
        keys.append(f"file\0{source}\0{meta['path']}")
    if meta.get("origin") == "git" and meta.get("commit"):
        keys.append(f"commit\0{meta['commit']}")
    if isinstance(meta.get("cluster"), dict):
        keys.append(f"cluster\0{meta['cluster'].get('id')}")
    declared = BY_NAME[task].program_field if task in BY_NAME else None
    part, _, name = (declared or "").partition(".")
    program = (record.get(part) or {}).get(name) if declared else None
    if isinstance(program, str):
        keys.append(f"program\0{' '.join(program.split())}")
    keys.append(f"input\0{task}\0{_canonical(record.get('input'))}")
    return keys


def _canonical(value: Any) -> str:
    if isinstance(value, dict):
        return "\0".join(f"{k}={' '.join(str(v).split())}" for k, v in sorted(value.items()))
    return " ".join(str(value).split())


def groups(records: Sequence[dict[str, Any]]) -> list[list[int]]:
    """The indexes of ``records`` in groups that share a link key, in hash order."""
    linked = UnionFind(len(records))
    first: dict[str, int] = {}
    smallest: list[str] = []
    for i, record in enumerate(records):
        keys = link_keys(record)
        smallest.append(min(keys))
        for key in keys:
            if key in first:
                linked.union(i, first[key])
            else:
                first[key] = i
    found = linked.groups()
    found.sort(key=lambda group: _point(min(smallest[i] for i in group)))
    return found


def _point(key: str) -> bytes:
    return hashlib.sha256(key.encode()).digest()


def assign(records: Sequence[dict[str, Any]], sizes: Sequence[float] = DEFAULT_SIZES) -> list[str]:
    """The split of each record: big groups to train, the rest filling the others in hash order."""
    total, count = sum(sizes), len(records)
    targets = [s / total * count for s in sizes]
    largest = max(1.0, BIG_GROUP * count)
    out = [SPLIT_NAMES[0]] * count
    filling, held = 1, 0
    for group in groups(records):
        if len(group) > largest:
            continue
        while filling < len(targets) and held + len(group) / 2 > targets[filling]:
            filling, held = filling + 1, 0
        if filling == len(targets):
            break
        held += len(group)
        for i in group:
            out[i] = SPLIT_NAMES[filling]
    return out


def parse_sizes(text: str) -> tuple[float, ...]:
    """``"90/5/5"`` (or ``90,5,5``) as three positive shares; ValueError otherwise."""
    parts = text.replace(",", "/").split("/")
    try:
        sizes = tuple(float(p) for p in parts)
    except ValueError:
        raise ValueError(f"--split-sizes {text!r}: three numbers, e.g. 90/5/5") from None
    if len(sizes) != len(SPLIT_NAMES) or any(s < 0 for s in sizes) or sum(sizes) <= 0:
        raise ValueError(f"--split-sizes {text!r}: three numbers, e.g. 90/5/5")
    return sizes
