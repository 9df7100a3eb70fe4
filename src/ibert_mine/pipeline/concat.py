"""``concat``: merge the mined task files and extra JSONL into one training file."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ibert_mine.core.layout import task_files
from ibert_mine.pipeline.split import SPLITS, split_of
from ibert_mine.pipeline.write import write_lines_atomic
from ibert_mine.tasks import names


class ConcatError(ValueError):
    """An input line that is not a record; nothing is written."""


@dataclass(slots=True)
class ConcatResult:
    """Counts of what was merged."""

    written: int = 0
    duplicates: int = 0
    excluded_by_tag: Counter[str] = field(default_factory=Counter)  # records left out, by tag
    per_file: dict[str, int] = field(default_factory=dict)
    per_split: Counter[str] = field(default_factory=Counter)


def concat(
    input_dir: Path,
    extra: list[Path],
    output: Path,
    split: bool = False,
    exclude_tags: frozenset[str] = frozenset(),
) -> ConcatResult:
    """Write ``output`` from the task files of ``input_dir`` then ``extra``, first id wins;
    records with a tag of ``exclude_tags`` (``meta.tags``) are left out."""
    result = ConcatResult()
    lines: list[str] = []
    records: list[dict] = []
    seen: set[str] = set()
    for path in [*task_files(input_dir, names()), *extra]:
        count = 0
        text = path.read_text(encoding="utf-8")
        for number, line in enumerate(text.split("\n"), start=1):  # JSON may hold U+2028
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as err:
                raise ConcatError(f"{path}:{number}: not JSON ({err.msg})") from None
            if not isinstance(record, dict) or not record.get("id") or not record.get("task"):
                raise ConcatError(f"{path}:{number}: not a record (needs id and task)")
            if record["id"] in seen:
                result.duplicates += 1
                continue
            tagged = exclude_tags.intersection((record.get("meta") or {}).get("tags") or ())
            if tagged:
                result.excluded_by_tag.update(tagged)
                continue
            seen.add(record["id"])
            lines.append(line)
            records.append(record)
            count += 1
        result.per_file[str(path)] = count
    result.written = write_lines_atomic(output, lines)
    if split:
        for name, _ in SPLITS:
            chosen = [ln for ln, rec in zip(lines, records, strict=True) if split_of(rec) == name]
            result.per_split[name] = write_lines_atomic(
                output.parent / "split" / f"{name}.jsonl", chosen
            )
    return result
