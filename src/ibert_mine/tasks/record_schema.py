"""The JSON Schema of one record (``ibert-mine schema``), built from the task registry."""

from __future__ import annotations

from typing import Any

from ibert_mine.core.example import REQUIRED_KEYS
from ibert_mine.tasks import TASKS
from ibert_mine.tasks.contract import Fields


def _fields_schema(part: str, fields: Fields) -> dict[str, Any]:
    required = fields.input_required if part == "input" else fields.target_required
    optional = fields.input_optional if part == "input" else fields.target_optional
    return {
        "type": "object",
        "properties": {
            name: {
                "type": "string",
                "minLength": 0 if f"{part}.{name}" in fields.may_be_empty else 1,
            }
            for name in required + optional
        },
        "required": list(required),
        "additionalProperties": False,
    }


def json_schema() -> dict[str, Any]:
    """A JSON Schema (draft 2020-12) describing one record of any task."""
    per_task = [
        {
            "if": {"properties": {"task": {"const": task.name}}},
            "then": {
                "properties": {
                    "input": _fields_schema("input", task.fields),
                    "target": _fields_schema("target", task.fields),
                    "meta": {
                        "type": "object",
                        "properties": {key.name: key.schema() for key in task.meta},
                        "additionalProperties": False,
                    },
                }
            },
        }
        for task in TASKS
    ]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "ibert-mine example",
        "type": "object",
        "required": list(REQUIRED_KEYS),
        "properties": {
            "id": {"type": "string", "pattern": "^[0-9a-f]{16}$"},
            "task": {"enum": [task.name for task in TASKS]},
            "source": {"type": "string", "minLength": 1},
            "input": {"type": "object"},
            "target": {"type": "object"},
            "context": {"type": "object"},
            "meta": {"type": "object", "required": ["origin"]},
        },
        "allOf": per_task,
    }
