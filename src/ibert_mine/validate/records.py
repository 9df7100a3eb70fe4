"""The record checks ``validate`` runs on every line: the contract, then the task's own.

Every problem is a short reason; the caller adds ``file:line``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from ibert_mine.core.example import RECORD_KEYS, REQUIRED_KEYS, example_id
from ibert_mine.core.meta import problems as meta_problems
from ibert_mine.sources.python import parses
from ibert_mine.tasks import BY_NAME
from ibert_mine.tasks.contract import Fields, Task

_TO_BE_DONE = re.compile(
    r"to be (generated|filled|written|added|determined|completed)", re.IGNORECASE
)
PLACEHOLDER_MAX_WORDS = 6  # a longer field that says "to be generated" is prose, not a stub
PROSE_FIELDS = frozenset(
    {"target.docstring", "target.explanation", "target.answer", "input.question", "input.error"}
)
_STUB_PROSE = re.compile(r"^\W*(todo|tbd|fixme|placeholder|n/a|none|null|pass)?\W*$", re.IGNORECASE)
SQL_FIELDS = frozenset({"input.sql", "target.sql"})


def is_placeholder(key: str, value: str) -> bool:
    """True when a field is a stub rather than content.

    Any short field saying "to be generated" (or filled, written, ...); prose that is only
    TODO/TBD/placeholder/none or no word at all; code that is nothing but comments.
    """
    if len(value.split()) <= PLACEHOLDER_MAX_WORDS and _TO_BE_DONE.search(value):
        return True
    if key in PROSE_FIELDS:
        return bool(_STUB_PROSE.match(value))
    if key in SQL_FIELDS:
        return all(line.strip().startswith("--") for line in value.splitlines() if line.strip())
    lines = [line.strip() for line in value.splitlines() if line.strip()]
    return bool(lines) and all(line.startswith("#") for line in lines)


def parse_record(line: str) -> dict[str, Any] | str:
    """The record of a JSONL line, or why it is none."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as err:
        return f"not JSON ({err.msg})"
    return record if isinstance(record, dict) else "record is not a JSON object"


def check_schema(record: dict[str, Any]) -> Iterator[str]:
    """Contract checks: keys, types, required non-empty fields, no placeholders, the id."""
    missing = set(REQUIRED_KEYS) - record.keys()
    if missing:
        yield f"missing keys: {', '.join(sorted(missing))}"
        return
    if extra := record.keys() - set(RECORD_KEYS):
        yield f"unknown keys: {', '.join(sorted(extra))}"
    task = BY_NAME.get(record["task"])
    if task is None:
        yield f"unknown task {record['task']!r}"
        return
    if not isinstance(record["source"], str) or not record["source"].strip():
        yield "source is empty"
    yield from _check_meta(record["meta"], task)
    for part in ("input", "target"):
        yield from _check_fields(part, record[part], task.fields)
    both_objects = isinstance(record["input"], dict) and isinstance(record["target"], dict)
    if both_objects and record["id"] != example_id(task.name, record["input"], record["target"]):
        yield "id is not the content hash of (task, input, target)"


def _check_meta(meta: Any, task: Task) -> Iterator[str]:
    """``meta`` holds an origin and only the keys the task declares, each of its kind."""
    if not isinstance(meta, dict) or not isinstance(meta.get("origin"), str):
        yield "meta.origin is missing"
        return
    yield from meta_problems(task.meta, meta)


def _check_fields(part: str, fields: Any, spec: Fields) -> Iterator[str]:
    """The ``input`` or ``target`` object holds the task's fields, each a real string."""
    if not isinstance(fields, dict):
        yield f"{part} is not an object"
        return
    required = spec.input_required if part == "input" else spec.target_required
    optional = spec.input_optional if part == "input" else spec.target_optional
    for name in required:
        if name not in fields:
            yield f"{part}.{name} is missing"
    for name, value in fields.items():
        key = f"{part}.{name}"
        if name not in required + optional:
            yield f"unknown field {key}"
        elif not isinstance(value, str) or (not value.strip() and key not in spec.may_be_empty):
            yield f"{key} is empty or not a string"
        elif is_placeholder(key, value):
            yield f"{key} is a placeholder"


def check_task(record: dict[str, Any], task: Task) -> Iterator[str]:
    """The task's own checks: its Python fields parse, then each of its ``checks``."""
    for dotted in task.fields.python:
        part, name = dotted.split(".")
        if name in record[part] and not parses(record[part][name]):  # optional fields may be absent
            yield f"{dotted} does not parse"
    for check in task.checks:
        yield from check(record)


def check_provenance(record: dict[str, Any], task: Task, bases: Mapping[str, Path]) -> str | None:
    """What the task's provenance check says ('' when it has none)."""
    return "" if task.provenance is None else task.provenance(record, bases)
