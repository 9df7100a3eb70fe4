"""``report``: one static HTML page that shows a mined folder to a person.

Counts per task, origin, dialect, tag and split (the splits of ``concat --split``); the
candidates dropped, by reason, with what each reason means; the length of the targets as
charts; and the first examples of each task (by id), input beside target. The page has
no script and no external asset (:mod:`~ibert_mine.pipeline.report_html`).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from ibert_mine.core.layout import MANIFEST
from ibert_mine.core.reasons import COMMON
from ibert_mine.pipeline.counts import declared_reasons
from ibert_mine.pipeline.export import read_records
from ibert_mine.pipeline.report_html import code, esc, histogram, page, table
from ibert_mine.pipeline.split import assign
from ibert_mine.tasks import TASKS

EXAMPLES_PER_TASK = 3
LANG = {"sql": "sql", "dialect": "text", "style": "text", "error": "text", "question": "text",
        "answer": "text", "explanation": "text", "docstring": "text"}  # fmt: skip


def build(folder: Path) -> str:
    """The report of the mined folder ``folder``, as HTML."""
    records = read_records(folder)
    splits = assign(records)
    manifest = json.loads((folder / MANIFEST).read_text()) if (folder / MANIFEST).exists() else {}
    parts = [f"<p>{len(records)} examples in {folder.name}/.</p>"]
    parts.append(_counts(records, splits))
    parts.append(_rejects(manifest))
    parts.append("<h2>Target lengths (characters)</h2>")
    for task in sorted({r["task"] for r in records}):
        lengths = [
            len(json.dumps(r["target"], ensure_ascii=False)) for r in records if r["task"] == task
        ]
        parts.append(histogram(lengths, f"{task}: {len(lengths)} targets"))
    parts.append(_examples(records))
    return page("ibert-mine report", "".join(parts))


def _counts(records: list[dict[str, Any]], splits: list[str]) -> str:
    tasks = Counter(r["task"] for r in records)
    origins = Counter((r["task"], r["meta"].get("origin", "")) for r in records)
    dialects = Counter(r["input"]["dialect"] for r in records if "dialect" in r["input"])
    tags = Counter((r["task"], t) for r in records for t in r["meta"].get("tags") or ())
    per_split = Counter((r["task"], s) for r, s in zip(records, splits, strict=True))
    sections = [
        ("Examples per task", ["task"], {(t,): n for t, n in tasks.items()}, "task"),
        ("Per task and origin", ["task", "origin"], origins, "origin"),
        ("Per dialect", ["dialect"], {(d,): n for d, n in dialects.items()}, "dialect"),
        ("Per tag", ["task", "tag"], tags, "tag"),
        ("Per split", ["task", "split"], per_split, "split"),
    ]
    return "".join(
        f"<h2>{title}</h2>"
        + table([*heads, "examples"], [(*k, n) for k, n in sorted(c.items())], key)
        for title, heads, c, key in sections
    )


def _rejects(manifest: dict[str, Any]) -> str:
    meaning = {
        (stage, reason.name): reason.description
        for stage, reasons in declared_reasons(TASKS).items() for reason in (*reasons, *COMMON)
    }  # fmt: skip
    rows = []
    for group in ("tasks", "stages"):
        for stage, entry in sorted(manifest.get(group, {}).items()):
            for key, n in sorted(entry.get("rejects", {}).items()):
                what = meaning.get((stage, key.partition(":")[0]), "")
                rows.append((stage, key, what, n))
    return "<h2>Dropped, by reason</h2>" + table(
        ["stage", "reason", "meaning", "count"], rows, "reject"
    )


def _examples(records: list[dict[str, Any]]) -> str:
    out = ["<h2>Examples</h2>"]
    for task in sorted({r["task"] for r in records}):
        chosen = sorted((r for r in records if r["task"] == task), key=lambda r: r["id"])
        out.append(f"<h3>{esc(task)}</h3>")
        for record in chosen[:EXAMPLES_PER_TASK]:
            out.append(f'<div class="pair"><div>{_fields(record["input"])}</div>'
                       f'<div>{_fields(record["target"])}</div></div>')  # fmt: skip
    return "".join(out)


def _fields(fields: dict[str, Any]) -> str:
    return "".join(
        f"<b>{esc(k)}</b>{code(str(v), LANG.get(k, 'python'))}" for k, v in fields.items()
    )
