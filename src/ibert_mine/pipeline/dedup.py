"""Deduplication within a task: exact, then the task's own choice, then near-duplicates.

1. **exact**: the same (task, input, target) up to whitespace; the first found is kept;
2. **the task's choice** (``Task.select``): e.g. sql_to_ibis keeps one target per input;
3. **near-duplicates** (:mod:`~ibert_mine.pipeline.near_dup`), within the task's groups
   (``Task.dedup_group``: ibis_to_sql's dialect): of each cluster, the member that passed
   the most checks (``meta.verified``), then the most informative variant
   (``Task.informative``), then the smallest id is kept, with ``meta.cluster`` (the cluster's
   smallest id and its size).

Every dropped example comes back with its reason, for ``--keep-excluded``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from ibert_mine.core.example import Example, canonical_json
from ibert_mine.core.meta import build as build_meta
from ibert_mine.core.reasons import DUPLICATE, NEAR_DUPLICATE, Reject
from ibert_mine.pipeline.near_dup import clusters, example_text
from ibert_mine.tasks.contract import Task

_SPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Dropped:
    """An example left out, why, and the example kept in its stead (if any)."""

    example: Example
    reject: Reject
    kept: str | None = None  # the id of the example that stands for it


def _squash(value: Any) -> Any:
    if isinstance(value, str):
        return _SPACE.sub(" ", value).strip()
    if isinstance(value, dict):
        return {k: _squash(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_squash(v) for v in value]
    return value


def normalised_key(example: Example) -> str:
    """The example's (task, input, target) with every run of whitespace folded to one space."""
    return canonical_json(_squash([example.task, dict(example.input), dict(example.target)]))


def dedup(examples: Iterable[Example]) -> tuple[list[Example], list[Dropped]]:
    """Keep the first of each group of equal examples (in input order); the others dropped."""
    seen: dict[str, str] = {}
    kept: list[Example] = []
    dropped: list[Dropped] = []
    for example in examples:
        key = normalised_key(example)
        if key in seen:
            dropped.append(Dropped(example, DUPLICATE(), seen[key]))
            continue
        seen[key] = example.id
        kept.append(example)
    return kept, dropped


def deduplicate(task: Task, examples: list[Example]) -> tuple[list[Example], list[Dropped]]:
    """The three steps of the module docstring, in order; what is kept keeps its order."""
    kept, dropped = dedup(examples)
    if task.select is not None:
        verdicts = task.select(kept)
        dropped += [Dropped(e, v) for e, v in zip(kept, verdicts, strict=True) if v is not None]
        kept = [e for e, v in zip(kept, verdicts, strict=True) if v is None]
    groups: dict[str, list[int]] = {}
    for i, example in enumerate(kept):
        groups.setdefault(task.dedup_group(example) if task.dedup_group else "", []).append(i)
    out: dict[int, Example] = dict(enumerate(kept))
    for members in groups.values():
        texts = [example_text(kept[i]) for i in members]
        for cluster in clusters(texts):
            chosen = [kept[members[k]] for k in cluster]
            best = min(chosen, key=lambda e: _rank(task, e))
            for example in chosen:
                if example is not best:
                    dropped.append(Dropped(example, NEAR_DUPLICATE(), best.id))
                    del out[members[cluster[chosen.index(example)]]]
            index = members[cluster[chosen.index(best)]]
            size = {"id": min(e.id for e in chosen), "size": len(chosen)}
            out[index] = replace(best, meta=build_meta(task.meta, {**best.meta, "cluster": size}))
    return [out[i] for i in sorted(out)], dropped


def _rank(task: Task, example: Example) -> tuple:
    """Lower is kept: more checks passed, a more informative variant, then the smaller id."""
    informative = task.informative(example) if task.informative else 0
    return (-len(example.meta.get("verified", [])), -informative, example.id)
