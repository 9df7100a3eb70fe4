"""The example contract: one record type, per-task field specs, ids and a JSON Schema.

Every mined example is an :class:`Example`. Its ``id`` is a content hash of
``(task, input, target)``, so the same example mined twice gets the same id and
the output of a run depends only on its sources and options.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

TASK_NAMES: tuple[str, ...] = (
    "code_completion",
    "sql_to_ibis",
    "ibis_to_sql",
    "error_resolution",
    "qa",
    "documentation",
)


@dataclass(frozen=True, slots=True)
class TaskSpec:
    """Which fields a task's ``input`` and ``target`` hold, and which of them are Python."""

    input_required: tuple[str, ...]
    target_required: tuple[str, ...]
    input_optional: tuple[str, ...] = ()
    target_optional: tuple[str, ...] = ()
    python_fields: tuple[str, ...] = ()  # "input.x" / "target.y" that must parse with ast


# A code-completion example is either left-to-right (partial_code -> completed_code)
# or fill-in-the-middle (prefix + suffix -> middle); the spec lists the union and
# validate.py checks that exactly one of the two shapes is present.
TASK_SPECS: Mapping[str, TaskSpec] = {
    "code_completion": TaskSpec(
        input_required=(),
        target_required=(),
        input_optional=("partial_code", "prefix", "suffix"),
        target_optional=("completed_code", "middle"),
    ),
    "sql_to_ibis": TaskSpec(
        input_required=("sql",),
        target_required=("ibis",),
        input_optional=("dialect",),
        python_fields=("target.ibis",),
    ),
    "ibis_to_sql": TaskSpec(
        input_required=("ibis", "dialect"),
        target_required=("sql",),
        python_fields=("input.ibis",),
    ),
    "error_resolution": TaskSpec(
        input_required=("broken_code", "error"),
        target_required=("fixed_code", "explanation"),
        python_fields=("target.fixed_code",),
    ),
    "qa": TaskSpec(
        input_required=("question",),
        target_required=("answer",),
        target_optional=("code_example",),
    ),
    "documentation": TaskSpec(
        input_required=("code", "style"),
        target_required=("docstring",),
        input_optional=("section",),
        python_fields=("input.code",),
    ),
}

# Fields that may be the empty string: a fill-in-the-middle whose middle ends the statement.
MAY_BE_EMPTY: frozenset[str] = frozenset({"input.suffix"})
DOC_STYLES: tuple[str, ...] = ("numpy", "google", "rest", "epydoc", "plain")


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
        if task not in TASK_SPECS:
            raise ValueError(f"unknown task {task!r}")
        return cls(example_id(task, input, target), task, source, input, target, meta, context)

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


def _fields_schema(
    part: str, required: tuple[str, ...], optional: tuple[str, ...]
) -> dict[str, Any]:
    names = required + optional
    return {
        "type": "object",
        "properties": {
            name: {"type": "string", "minLength": 0 if f"{part}.{name}" in MAY_BE_EMPTY else 1}
            for name in names
        },
        "required": list(required),
        "additionalProperties": False,
    }


def json_schema() -> dict[str, Any]:
    """A JSON Schema (draft 2020-12) describing one record of any task."""
    per_task = []
    for task, spec in TASK_SPECS.items():
        per_task.append(
            {
                "if": {"properties": {"task": {"const": task}}},
                "then": {
                    "properties": {
                        "input": _fields_schema("input", spec.input_required, spec.input_optional),
                        "target": _fields_schema(
                            "target", spec.target_required, spec.target_optional
                        ),
                    }
                },
            }
        )
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "ibert-mine example",
        "type": "object",
        "required": ["id", "task", "source", "input", "target", "meta"],
        "properties": {
            "id": {"type": "string", "pattern": "^[0-9a-f]{16}$"},
            "task": {"enum": list(TASK_NAMES)},
            "source": {"type": "string", "minLength": 1},
            "input": {"type": "object"},
            "target": {"type": "object"},
            "context": {"type": "object"},
            "meta": {
                "type": "object",
                "required": ["origin"],
                "properties": {
                    "origin": {"type": "string"},
                    "path": {"type": "string"},
                    "lines": {
                        "type": "array",
                        "items": {"type": "integer", "minimum": 1},
                        "minItems": 2,
                        "maxItems": 2,
                    },
                    "commit": {"type": "string"},
                    "verified": {"type": "array", "items": {"type": "string"}},
                },
            },
        },
        "allOf": per_task,
    }
