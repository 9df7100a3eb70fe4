"""``validate``: the schema and the per-task checks of the design, one record at a time.

Each problem is reported as ``file:line: reason``. Provenance is checked when the
source a record names can be found (its ``base`` folder is in the manifest beside
the file and still exists); otherwise the record is counted as ``unchecked``.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from ibert_mine.pipeline.write import read_manifest, task_files
from ibert_mine.schema import DOC_STYLES, MAY_BE_EMPTY, TASK_SPECS, example_id
from ibert_mine.sources.python import Provenance, parse_module, parses
from ibert_mine.tasks import docstyle
from ibert_mine.validate_provenance import check_sql_provenance

RECORD_KEYS = frozenset({"id", "task", "source", "input", "target", "context", "meta"})
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


@dataclass(slots=True)
class Report:
    """The outcome of validating files: problems as ``file:line: reason``, and counts."""

    problems: list[str] = field(default_factory=list)
    records: int = 0
    unchecked_provenance: int = 0
    executed: int = 0  # translation records re-run with --execute
    per_task: Counter[str] = field(default_factory=Counter)

    @property
    def ok(self) -> bool:
        """True when no record had a problem."""
        return not self.problems


def expand(paths: list[Path]) -> list[Path]:
    """Files to validate: each file as given, each folder's ``<task>_mined.jsonl`` files."""
    out: list[Path] = []
    for path in paths:
        out.extend(task_files(path) if path.is_dir() else [path])
    return out


def validate_files(
    paths: list[Path], execute: bool = False, sample: int | None = None, workers: int = 1
) -> Report:
    """Validate every record of every file; never raises on bad content.

    With ``execute``, translation pairs are also recompiled and re-executed in the sandbox
    (see :mod:`ibert_mine.validate_execute`), all of them or a ``sample``.
    """
    report = Report()
    translations: list[tuple[str, dict[str, Any]]] = []
    for path in expand(paths):
        bases = _source_bases(path.parent)
        try:
            handle = path.open(encoding="utf-8")
        except OSError as err:
            report.problems.append(f"{path}:0: cannot read ({err.strerror})")
            continue
        with handle:
            for number, line in enumerate(handle, start=1):
                report.records += 1
                problems = list(check_line(line, bases, report))
                report.problems.extend(f"{path}:{number}: {reason}" for reason in problems)
                if execute and not problems:
                    record = json.loads(line)
                    if record["task"] in {"ibis_to_sql", "sql_to_ibis"}:
                        translations.append((f"{path}:{number}", record))
    if translations:
        from ibert_mine.validate_execute import execute_checks

        report.executed = (
            min(len(translations), sample) if sample is not None else len(translations)
        )
        report.problems.extend(execute_checks(translations, workers=workers, sample=sample))
    return report


def _source_bases(directory: Path) -> dict[str, Path]:
    manifest = read_manifest(directory)
    return {s["name"]: Path(s["base"]) for s in manifest.get("sources", []) if s.get("base")}


def check_line(line: str, bases: dict[str, Path], report: Report) -> Iterator[str]:
    """Every problem of one JSONL line (nothing when it is valid)."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as err:
        yield f"not JSON ({err.msg})"
        return
    if not isinstance(record, dict):
        yield "record is not a JSON object"
        return
    problems = list(check_schema(record))
    if problems:
        yield from problems
        return
    report.per_task[record["task"]] += 1
    yield from CHECKS.get(record["task"], _no_checks)(record)
    quotes_sql = record["task"] == "sql_to_ibis" and record["meta"].get("origin") == "human_sql"
    if record["task"] == "documentation" or quotes_sql:
        if record["task"] == "documentation":
            found = _check_doc_provenance(record, bases)
        else:
            found = check_sql_provenance(record, bases)
        if found is None:
            report.unchecked_provenance += 1
        elif found:
            yield found


def check_schema(record: dict[str, Any]) -> Iterator[str]:
    """Contract checks: keys, types, required non-empty fields, no placeholders, the id."""
    missing = {"id", "task", "source", "input", "target", "meta"} - record.keys()
    if missing:
        yield f"missing keys: {', '.join(sorted(missing))}"
        return
    if extra := record.keys() - RECORD_KEYS:
        yield f"unknown keys: {', '.join(sorted(extra))}"
    task = record["task"]
    spec = TASK_SPECS.get(task)
    if spec is None:
        yield f"unknown task {task!r}"
        return
    if not isinstance(record["source"], str) or not record["source"].strip():
        yield "source is empty"
    meta = record["meta"]
    if not isinstance(meta, dict) or not isinstance(meta.get("origin"), str):
        yield "meta.origin is missing"
    elif "lines" in meta and not _good_lines(meta["lines"]):
        yield "meta.lines is not [first, last]"
    elif any(k in meta and not isinstance(meta[k], str) for k in ("path", "commit", "repo")):
        yield "meta.path, meta.commit and meta.repo must be strings"
    for part, required, optional in (
        ("input", spec.input_required, spec.input_optional),
        ("target", spec.target_required, spec.target_optional),
    ):
        fields = record[part]
        if not isinstance(fields, dict):
            yield f"{part} is not an object"
            continue
        for name in required:
            if name not in fields:
                yield f"{part}.{name} is missing"
        for name, value in fields.items():
            key = f"{part}.{name}"
            if name not in required + optional:
                yield f"unknown field {key}"
            elif not isinstance(value, str) or (not value.strip() and key not in MAY_BE_EMPTY):
                yield f"{key} is empty or not a string"
            elif is_placeholder(key, value):
                yield f"{key} is a placeholder"
    both_objects = isinstance(record["input"], dict) and isinstance(record["target"], dict)
    if both_objects and record["id"] != example_id(task, record["input"], record["target"]):
        yield "id is not the content hash of (task, input, target)"


def _good_lines(lines: Any) -> bool:
    return (
        isinstance(lines, list)
        and len(lines) == 2
        and all(isinstance(n, int) for n in lines)
        and 1 <= lines[0] <= lines[1]
    )


def _python_fields(record: dict[str, Any]) -> Iterator[str]:
    for dotted in TASK_SPECS[record["task"]].python_fields:
        part, name = dotted.split(".")
        if not parses(record[part][name]):
            yield f"{dotted} does not parse"


def _check_completion(record: dict[str, Any]) -> Iterator[str]:
    inp, tgt = record["input"], record["target"]
    if "partial_code" in inp or "completed_code" in tgt:
        if set(inp) != {"partial_code"} or set(tgt) != {"completed_code"}:
            yield "completion: mixes left-to-right and fill-in-the-middle fields"
            return
        partial, completed = inp["partial_code"], tgt["completed_code"]
        if not (completed.startswith(partial) and len(completed) > len(partial)):
            yield "completion: partial_code is not a strict prefix of completed_code"
        if not parses(completed):
            yield "completion: completed_code does not parse"
        return
    if set(inp) != {"prefix", "suffix"} or set(tgt) != {"middle"}:
        yield "completion: needs partial_code/completed_code or prefix/suffix/middle"
        return
    if record["meta"].get("variant") != "fim":
        yield "completion: fill-in-the-middle without meta.variant 'fim'"
    if not parses(inp["prefix"] + tgt["middle"] + inp["suffix"]):
        yield "completion: prefix + middle + suffix does not parse"


def _check_documentation(record: dict[str, Any]) -> Iterator[str]:
    yield from _python_fields(record)
    code, style = record["input"]["code"], record["input"]["style"]
    docstring = record["target"]["docstring"]
    if docstring in code:
        yield "documentation: the input code contains the target docstring"
    if style not in DOC_STYLES:
        yield f"documentation: unknown style {style!r}"
    elif record["input"].get("section") == "parameters":
        if not docstyle.section_params(docstring, style):
            yield f"documentation: the section documents no parameter in {style!r} style"
    elif docstyle.detect_style(docstring) != style:
        yield f"documentation: style {style!r} is not what docstring-parser detects"
    if record["input"].get("section") not in (None, "parameters"):
        yield "documentation: unknown section"


def _check_sql(record: dict[str, Any]) -> Iterator[str]:
    import sqlglot
    from sqlglot.errors import SqlglotError

    from ibert_mine.snippets.verify import sqlglot_dialect

    yield from _python_fields(record)
    sql = record["target"].get("sql") or record["input"].get("sql")
    dialect = record["input"].get("dialect") or None
    try:
        read = sqlglot_dialect(dialect) if dialect else None
    except ImportError:
        read = dialect  # not an Ibis compiler: a sqlglot dialect name
    try:
        sqlglot.parse_one(sql, read=read)
    except (SqlglotError, ValueError) as err:
        yield f"sql does not parse in {dialect or 'the default dialect'}: {str(err)[:80]}"


def _check_qa(record: dict[str, Any]) -> Iterator[str]:
    question = record["input"]["question"].strip()
    if not (
        question.endswith("?") or re.match(r"(?i)(how|what|why|when|which|can|is|does)\b", question)
    ):
        yield "qa: the question is not a question"


def _no_checks(record: dict[str, Any]) -> Iterator[str]:
    yield from _python_fields(record)


CHECKS = {
    "code_completion": _check_completion,
    "documentation": _check_documentation,
    "sql_to_ibis": _check_sql,
    "ibis_to_sql": _check_sql,
    "qa": _check_qa,
    "error_resolution": _no_checks,
}


@lru_cache(maxsize=64)
def _parsed_file(path: Path, rel: str, stamp: tuple[int, int]) -> Any:
    """The parsed file; ``stamp`` (mtime, size) makes a changed file parse again."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    unit = parse_module(text, Provenance("validate", rel))
    return unit if hasattr(unit, "definitions") else None


def _check_doc_provenance(record: dict[str, Any], bases: dict[str, Path]) -> str | None:
    """'' when the docstring is found at its provenance, a reason when not, None if unknown."""
    meta = record["meta"]
    base = bases.get(record["source"])
    if base is None or "path" not in meta or "lines" not in meta:
        return None
    full = base / meta["path"]
    if not full.exists():
        return None
    stat = full.stat()
    unit = _parsed_file(full, meta["path"], (stat.st_mtime_ns, stat.st_size))
    if unit is None:
        return f"documentation: {meta['path']} no longer parses"
    docstring = record["target"]["docstring"]
    section = record["input"].get("section")
    for d in unit.definitions:
        if d.start != meta["lines"][0] or not d.docstring:
            continue
        if (docstring in d.docstring) if section else (d.docstring == docstring):
            return ""
    return f"documentation: docstring not found at {meta['path']}:{meta['lines'][0]}"
