"""``export``: the mined files as Parquet, as a Hugging Face dataset folder, or as chat.

Every format takes the records of a mined folder, splits them as ``concat --split`` does
(:func:`~ibert_mine.pipeline.split.assign`) and writes, each file atomically:

- ``parquet``: ``<task>/<split>.parquet``; ``id``, ``task`` and ``source`` are strings,
  ``input`` and ``target`` structs of the task's fields (strings, null where a record has
  no such field), ``context`` and ``meta`` JSON strings (their keys differ from record to
  record);
- ``hf``: the same files under ``data/`` and a dataset card ``README.md`` (YAML
  metadata, :mod:`~ibert_mine.pipeline.card`) with one config per task and the splits
  ``train``, ``validation``, ``test`` (a split a task has no example in is left out):
  ``datasets.load_dataset(folder, task)`` loads them;
- ``chat``: ``chat/<split>.jsonl`` of TRL's conversational ``messages`` (system, user,
  assistant: each task's ``render``) and ``prompt_completion/<split>.jsonl`` of
  ``prompt`` (system, user) and ``completion`` (assistant).
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from ibert_mine.core.layout import task_files
from ibert_mine.pipeline.card import dataset_card
from ibert_mine.pipeline.split import DEFAULT_SIZES, SPLIT_NAMES, assign
from ibert_mine.pipeline.write import write_lines_atomic
from ibert_mine.tasks import BY_NAME, names
from ibert_mine.tasks.chat_format import SYSTEM

FORMATS = ("parquet", "hf", "chat")


def read_records(folder: Path) -> list[dict[str, Any]]:
    """Every record of the mined files of ``folder``, task by task."""
    records = []
    for path in task_files(folder, names()):
        text = path.read_text(encoding="utf-8")
        records += [json.loads(line) for line in text.split("\n") if line.strip()]
    return records


def export(
    folder: Path, fmt: str, out: Path, sizes: tuple[float, ...] = DEFAULT_SIZES
) -> Counter[tuple[str, str]]:
    """Write ``folder``'s records to ``out`` in ``fmt``; the count per (task, split)."""
    records = read_records(folder)
    splits = assign(records, sizes)
    counts = Counter((r["task"], s) for r, s in zip(records, splits, strict=True))
    if fmt == "chat":
        _chat(records, splits, out)
        return counts
    base = out / "data" if fmt == "hf" else out
    nbytes: dict[tuple[str, str], int] = {}
    for task in sorted({r["task"] for r in records}):
        for split in SPLIT_NAMES:
            pairs = zip(records, splits, strict=True)
            table = _table(task, [r for r, s in pairs if (r["task"], s) == (task, split)])
            if fmt == "hf" and not table.num_rows:
                continue  # the datasets library reads no empty Parquet file: the card omits it
            _write_parquet(base / task / f"{split}.parquet", table)
            nbytes[(task, split)] = table.nbytes
    if fmt == "hf":
        card = dataset_card(records, counts, {t: _schema(t) for t, _ in counts}, nbytes)
        write_lines_atomic(out / "README.md", card.split("\n"))
    return counts


def _schema(task: str) -> pa.Schema:
    fields = BY_NAME[task].fields

    def struct(names_: tuple[str, ...]) -> pa.DataType:
        return pa.struct([pa.field(n, pa.string()) for n in names_])

    return pa.schema([
        ("id", pa.string()), ("task", pa.string()), ("source", pa.string()),
        ("input", struct(fields.input_required + fields.input_optional)),
        ("target", struct(fields.target_required + fields.target_optional)),
        ("context", pa.string()), ("meta", pa.string()),
    ])  # fmt: skip


def _table(task: str, records: list[dict[str, Any]]) -> pa.Table:
    rows = [
        {
            "id": r["id"], "task": r["task"], "source": r["source"],
            "input": r["input"], "target": r["target"],
            "context": json.dumps(r["context"], ensure_ascii=False) if r.get("context") else None,
            "meta": json.dumps(r["meta"], ensure_ascii=False, sort_keys=True),
        }
        for r in records
    ]  # fmt: skip
    return pa.Table.from_pylist(rows, schema=_schema(task))


def _write_parquet(path: Path, table: pa.Table) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    pq.write_table(table, partial)
    os.replace(partial, path)


def _chat(records: list[dict[str, Any]], splits: list[str], out: Path) -> None:
    for split in SPLIT_NAMES:
        conversations, prompts = [], []
        for record, where in zip(records, splits, strict=True):
            render = BY_NAME[record["task"]].render
            if where != split or render is None:
                continue
            user, assistant = render(record)
            system = {"role": "system", "content": SYSTEM}
            asked = {"role": "user", "content": user}
            answered = {"role": "assistant", "content": assistant}
            ids = {"id": record["id"], "task": record["task"]}
            conversations.append({**ids, "messages": [system, asked, answered]})
            prompts.append({**ids, "prompt": [system, asked], "completion": [answered]})
        for name, rows in (("chat", conversations), ("prompt_completion", prompts)):
            lines = [json.dumps(row, ensure_ascii=False) for row in rows]
            write_lines_atomic(out / name / f"{split}.jsonl", lines)
