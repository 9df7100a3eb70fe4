"""``validate``: the record contract and each task's own checks, one record at a time.

Each problem is reported as ``file:line: reason``. Provenance is checked when the
source a record names can be found (its ``base`` folder is in the manifest beside
the file and still exists); otherwise the record is counted as ``unchecked``. With
``execute``, the records of tasks that declare a replay are re-run in the sandbox.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ibert_mine.core.layout import read_manifest, task_files
from ibert_mine.tasks import BY_NAME, names
from ibert_mine.tasks.contract import Located
from ibert_mine.validate.execute import replay
from ibert_mine.validate.records import check_provenance, check_schema, check_task, parse_record


@dataclass(slots=True)
class Report:
    """The outcome of validating files: problems as ``file:line: reason``, and counts."""

    problems: list[str] = field(default_factory=list)
    records: int = 0
    unchecked_provenance: int = 0
    executed: int = 0  # records re-run with --execute
    per_task: Counter[str] = field(default_factory=Counter)

    @property
    def ok(self) -> bool:
        """True when no record had a problem."""
        return not self.problems


def expand(paths: list[Path]) -> list[Path]:
    """Files to validate: each file as given, each folder's ``<task>_mined.jsonl`` files."""
    out: list[Path] = []
    for path in paths:
        out.extend(task_files(path, names()) if path.is_dir() else [path])
    return out


def validate_files(
    paths: list[Path], execute: bool = False, sample: int | None = None, workers: int = 1
) -> Report:
    """Validate every record of every file; never raises on bad content.

    With ``execute``, the records of tasks that declare a replay (the translation pairs)
    are re-run in the sandbox (:mod:`ibert_mine.validate.execute`), all or a ``sample``.
    """
    report = Report()
    replayable: list[Located] = []
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
                    if BY_NAME[record["task"]].replay is not None:
                        replayable.append((f"{path}:{number}", record))
    if replayable:
        executed, problems = replay(replayable, workers=workers, sample=sample)
        report.executed = executed
        report.problems.extend(problems)
    return report


def _source_bases(directory: Path) -> dict[str, Path]:
    manifest = read_manifest(directory)
    return {s["name"]: Path(s["base"]) for s in manifest.get("sources", []) if s.get("base")}


def check_record(record: dict[str, Any]) -> Iterator[str]:
    """The problems of one record by its contract and its task's checks (its source is not
    read: ``concat`` checks ``--extra`` records with this)."""
    problems = list(check_schema(record))
    if problems:
        yield from problems
        return
    yield from check_task(record, BY_NAME[record["task"]])


def check_line(line: str, bases: Mapping[str, Path], report: Report) -> Iterator[str]:
    """Every problem of one JSONL line (nothing when it is valid)."""
    record = parse_record(line)
    if isinstance(record, str):
        yield record
        return
    problems = list(check_schema(record))
    if problems:
        yield from problems
        return
    task = BY_NAME[record["task"]]
    report.per_task[task.name] += 1
    yield from check_task(record, task)
    found = check_provenance(record, task, bases)
    if found is None:
        report.unchecked_provenance += 1
    elif found:
        yield found
