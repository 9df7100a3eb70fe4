"""The dataset card of the ``hf`` export: YAML metadata the Hub reads, then prose.

The metadata (JSON, which YAML reads as it is) holds one config per task with its
``data_files`` per split, ``dataset_info`` (features and split sizes), the licence of each
source and the task categories; the prose says how the data was mined and verified, what
the tags mean and what is known to be missing.
"""

from __future__ import annotations

import importlib.metadata
import json
from collections import Counter
from typing import Any

import pyarrow as pa

from ibert_mine.tasks.tags import TAGS

HF_SPLITS = (("train", "train"), ("validation", "valid"), ("test", "test"))
PACKAGES = {"ibis-framework": "ibis-framework"}  # sources that are installed packages


def _feature(name: str, dtype: pa.DataType) -> dict[str, Any]:
    if pa.types.is_struct(dtype):
        return {"name": name, "struct": [_feature(f.name, f.type) for f in dtype]}
    return {"name": name, "dtype": "string"}


def _licence(source: str, records: list[dict[str, Any]]) -> str:
    """The licence of a source: an installed package's, the posts' own, else unknown."""
    found = {r["meta"].get("license") for r in records if r["source"] == source}
    found.discard(None)
    if found:
        return ", ".join(sorted(found))
    try:
        meta = importlib.metadata.metadata(PACKAGES.get(source, source))
    except importlib.metadata.PackageNotFoundError:
        return "unknown: see the source"
    return meta.get("License-Expression") or meta.get("License") or "unknown: see the source"


def dataset_card(
    records: list[dict[str, Any]],
    counts: Counter[tuple[str, str]],
    schemas: dict[str, pa.Schema],
    sizes: dict[tuple[str, str], int],
) -> str:
    """The card's text: ``---``, the metadata, ``---``, the prose."""
    tasks = sorted(schemas)
    configs = [
        {"config_name": t, "data_files": [
            {"split": hf, "path": f"data/{t}/{ours}.parquet"}
            for hf, ours in HF_SPLITS if counts[(t, ours)]
        ]}
        for t in tasks
    ]  # fmt: skip
    info = [
        {
            "config_name": t,
            "features": [_feature(f.name, f.type) for f in schemas[t]],
            "splits": [
                {"name": hf, "num_bytes": sizes[(t, ours)], "num_examples": counts[(t, ours)]}
                for hf, ours in HF_SPLITS
                if counts[(t, ours)]
            ],
        }
        for t in tasks
    ]
    sources = sorted({r["source"] for r in records})
    licences = {s: _licence(s, records) for s in sources}
    meta = {
        "license": "other",
        "license_details": licences,
        "language": ["en", "code"],
        "task_categories": ["text-generation", "question-answering"],
        "tags": ["ibis", "sql", "dataframe", "code"],
        "configs": configs,
        "dataset_info": info,
    }
    return "\n".join(
        ["---", json.dumps(meta, indent=2), "---", "", _prose(tasks, counts, licences)]
    )


def _prose(tasks: list[str], counts: Counter[tuple[str, str]], licences: dict[str, str]) -> str:
    rows = "\n".join(
        f"| `{t}` | {counts[(t, 'train')]} | {counts[(t, 'valid')]} | {counts[(t, 'test')]} |"
        for t in tasks
    )
    tags = "\n".join(f"- `{name}`: {meaning}" for name, meaning in TAGS.values)
    sources = "\n".join(f"- `{s}`: {lic}" for s, lic in licences.items())
    return f"""# iBERT training data: Ibis, its SQL, its errors and its documentation

Examples mined by `ibert-mine` from the Ibis dataframe library's own code, documentation
and (when given) community exports. Load one task with
`datasets.load_dataset(PATH, "<task>")`.

| task | train | validation | test |
|---|---|---|---|
{rows}

## How it was mined and verified

Every target was checked where it came from: translation pairs were executed against
synthetic tables until their results agreed and their mutants were told apart; broken
programs were run to the error they state; docstrings and answers are found again at the
file and lines in `meta`. Exact and near-duplicates (MinHash, Jaccard 0.7) were removed.
The splits are grouped: examples of one file, fix commit, thread, near-duplicate cluster
or program never land in two splits.

## Columns

`input` and `target` are structs of the task's fields (null where an example has no such
field); `meta` and `context` are JSON strings: where the example came from
(`path`, `lines`, `commit`, `origin`, ...) and, for translations, the tables' schemas.

## Tags (`meta.tags`)

{tags}

## Sources and licences

{sources}

## Known limits

Answers quote their sources, including their mistakes; code examples that needed data
or earlier cells were not run (`meta.code_runs` absent); API reference questions cover
the Ibis version mined (`meta.version`).
"""
