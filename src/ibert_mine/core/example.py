"""The example record: one frozen type for every task, with a content-hash id.

Every mined example is an :class:`Example`. Its ``id`` is a content hash of
``(task, input, target)``, so the same example mined twice gets the same id and
the output of a run depends only on its sources and options. Which fields ``input``
and ``target`` hold is each task's own contract (:mod:`ibert_mine.tasks.contract`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

RECORD_KEYS: tuple[str, ...] = ("id", "task", "source", "input", "target", "context", "meta")
REQUIRED_KEYS: tuple[str, ...] = ("id", "task", "source", "input", "target", "meta")


def canonical_json(value: Any) -> str:
    """Serialise ``value`` as canonical JSON: sorted keys, no spaces, UTF-8 kept."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def example_id(task: str, input: Mapping[str, Any], target: Mapping[str, Any]) -> str:
    """First 16 hex digits of SHA-256 over the canonical JSON of (task, input, target)."""
    payload = canonical_json([task, input, target]).encode()
    return hashlib.sha256(payload).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Example:
    """One training example, filled completely at mining time."""

    id: str
    task: str
    source: str
    input: Mapping[str, Any]
    target: Mapping[str, Any]
    meta: Mapping[str, Any]
    context: Mapping[str, Any] | None = field(default=None)

    @classmethod
    def create(
        cls,
        task: str,
        source: str,
        input: Mapping[str, Any],
        target: Mapping[str, Any],
        meta: Mapping[str, Any],
        context: Mapping[str, Any] | None = None,
    ) -> Example:
        """Build an example, computing its content-hash id."""
        return cls(example_id(task, input, target), task, source, input, target, meta, context)

    @classmethod
    def from_dict(cls, record: Mapping[str, Any]) -> Example:
        """The example a record (as :meth:`to_dict` gives it) holds, its id as written."""
        fields = ("id", "task", "source", "input", "target", "meta")
        return cls(*(record[f] for f in fields), context=record.get("context"))

    def to_dict(self) -> dict[str, Any]:
        """The record as a plain dict, in contract key order; ``context`` only when set."""
        record: dict[str, Any] = {
            "id": self.id,
            "task": self.task,
            "source": self.source,
            "input": dict(self.input),
            "target": dict(self.target),
        }
        if self.context is not None:
            record["context"] = dict(self.context)
        record["meta"] = dict(self.meta)
        return record

    def to_json(self) -> str:
        """One JSONL line (without the newline), deterministic for equal examples."""
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=False)
