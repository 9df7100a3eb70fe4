"""``concat``: merge the mined task files and extra JSONL into one training file.

Every line of every input is read; one that is not a record, or (given a ``check``, as
the CLI gives ``validate``'s record checks) not a valid one, is reported as
``file:line: reason`` and left out, and the good lines are kept. A record whose id an
earlier input holds is reported and kept once. Nothing is replaced before every output
is complete (each is written atomically, the splits after the merged file).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ibert_mine.core.layout import task_files
from ibert_mine.pipeline.decontaminate import EvalSet, contaminated_by
from ibert_mine.pipeline.split import DEFAULT_SIZES, SPLIT_NAMES, assign
from ibert_mine.pipeline.write import write_lines_atomic
from ibert_mine.tasks import names

MAX_REPORTED = 1000  # bad lines and duplicate ids listed (all are counted)


class ConcatError(ValueError):
    """No input line is a record: nothing is written."""


@dataclass(slots=True)
class ConcatResult:
    """Counts of what was merged, and the lines left out (``file:line: reason``)."""

    written: int = 0
    duplicates: int = 0
    bad: int = 0  # lines that are not (valid) records
    problems: list[str] = field(default_factory=list)  # the first MAX_REPORTED of them
    duplicate_ids: list[str] = field(default_factory=list)  # "file:line: id ... (first in f:l)"
    excluded_by_tag: Counter[str] = field(default_factory=Counter)  # records left out, by tag
    per_file: dict[str, int] = field(default_factory=dict)
    # records left out for sharing text with an evaluation file: (task, file) -> count
    decontaminated: Counter[tuple[str, str]] = field(default_factory=Counter)
    per_split: Counter[str] = field(default_factory=Counter)


def concat(
    input_dir: Path,
    extra: list[Path],
    output: Path,
    split: bool = False,
    exclude_tags: frozenset[str] = frozenset(),
    check: Callable[[dict[str, Any]], Iterable[str]] | None = None,
    sizes: tuple[float, ...] = DEFAULT_SIZES,
    exclude: tuple[Path, ...] = (),
) -> ConcatResult:
    """Write ``output`` from the task files of ``input_dir`` then ``extra``, first id wins;
    records with a tag of ``exclude_tags`` (``meta.tags``) are left out, and so are lines
    that are not records or that ``check`` finds problems in (reported, not fatal). With
    ``split``, ``train.jsonl``, ``valid.jsonl`` and ``test.jsonl`` are written beside
    ``output`` in ``sizes`` (:func:`~ibert_mine.pipeline.split.assign`). Records sharing
    text with an evaluation file of ``exclude`` are left out
    (:mod:`~ibert_mine.pipeline.decontaminate`)."""
    result = ConcatResult()
    sets = [EvalSet.read(path) for path in exclude]
    lines: list[str] = []
    records: list[dict] = []
    seen: dict[str, str] = {}  # id -> where it was first read
    for path in [*task_files(input_dir, names()), *extra]:
        count = 0
        text = path.read_text(encoding="utf-8")
        for number, line in enumerate(text.split("\n"), start=1):  # JSON may hold U+2028
            if not line.strip():
                continue
            where = f"{path}:{number}"
            record = _record(line, check)
            if isinstance(record, str):
                result.bad += 1
                _report(result.problems, f"{where}: {record}")
                continue
            if record["id"] in seen:
                result.duplicates += 1
                _report(
                    result.duplicate_ids,
                    f"{where}: id {record['id']} (kept from {seen[record['id']]})",
                )
                continue
            tagged = exclude_tags.intersection((record.get("meta") or {}).get("tags") or ())
            if tagged:
                result.excluded_by_tag.update(tagged)
                continue
            found = contaminated_by(record, sets) if sets else None
            if found is not None:
                result.decontaminated[(record["task"], found)] += 1
                continue
            seen[record["id"]] = where
            lines.append(line)
            records.append(record)
            count += 1
        result.per_file[str(path)] = count
    if not lines and result.bad:
        raise ConcatError(f"no input line is a record; {result.problems[0]}")
    result.written = write_lines_atomic(output, lines)
    if split:
        splits = assign(records, sizes)
        for name in SPLIT_NAMES:
            chosen = [ln for ln, where in zip(lines, splits, strict=True) if where == name]
            result.per_split[name] = write_lines_atomic(output.parent / f"{name}.jsonl", chosen)
    return result


def _record(line: str, check: Callable[[dict[str, Any]], Iterable[str]] | None) -> dict | str:
    """The record of a line, or why it is none (or not a valid one)."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as err:
        return f"not JSON ({err.msg})"
    if not isinstance(record, dict) or not record.get("id") or not record.get("task"):
        return "not a record (needs id and task)"
    problem = next(iter(check(record)), None) if check is not None else None
    return record if problem is None else problem


def _report(found: list[str], line: str) -> None:
    if len(found) < MAX_REPORTED:
        found.append(line)
