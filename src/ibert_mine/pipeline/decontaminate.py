"""Decontamination: leave out every example that shares text with an evaluation set.

An evaluation file is JSONL of records (its ``input`` and ``target`` strings are its text)
or, when its lines are not records, plain text. An example is contaminated when it shares
with an evaluation file a token 10-gram (tokens as near-duplicate detection reads them:
words and single punctuation marks) or a normalised substring (lower case, whitespace
collapsed) of 50 characters or more. As the test suites of code benchmarks are compared
(the 13-gram rule of GPT-3's paper, the 50-character rule of The Stack's
decontamination), a match anywhere counts, in any field.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ibert_mine.pipeline.near_dup import example_text

NGRAM = 10  # tokens
SUBSTRING = 50  # characters, after normalisation
_TOKEN = re.compile(r"\w+|[^\w\s]")
_SPACES = re.compile(r"\s+")


def _normal(text: str) -> str:
    return _SPACES.sub(" ", text).strip().lower()


def _ngrams(text: str) -> Iterator[int]:
    tokens = _TOKEN.findall(text.lower())
    for i in range(len(tokens) - NGRAM + 1):
        yield hash(" ".join(tokens[i : i + NGRAM]))  # within one process: never written


def _windows(text: str) -> Iterator[str]:
    normal = _normal(text)
    for i in range(len(normal) - SUBSTRING + 1):
        yield normal[i : i + SUBSTRING]


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def eval_texts(path: Path) -> list[str]:
    """The texts of an evaluation file: its records' input and target strings, or its
    lines as plain text (a line that is not a record is text)."""
    texts: list[str] = []
    plain: list[str] = []
    for line in path.read_text(encoding="utf-8", errors="replace").split("\n"):
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            record = None
        if isinstance(record, dict) and ("input" in record or "target" in record):
            texts += [*_strings(record.get("input")), *_strings(record.get("target"))]
        else:
            plain.append(line)
    return [*texts, "\n".join(plain)] if any(p.strip() for p in plain) else texts


@dataclass(slots=True)
class EvalSet:
    """The 10-grams and 50-character windows of one evaluation file."""

    name: str
    ngrams: frozenset[int]
    windows: frozenset[str]

    @classmethod
    def read(cls, path: Path) -> EvalSet:
        """The evaluation file at ``path``."""
        texts = eval_texts(path)
        ngrams = frozenset(h for t in texts for h in _ngrams(t))
        windows = frozenset(w for t in texts for w in _windows(t))
        return cls(str(path), ngrams, windows)

    def shares(self, record: dict[str, Any]) -> bool:
        """True when ``record`` shares a token 10-gram or a 50-character substring."""
        text = example_text(record)
        if any(h in self.ngrams for h in _ngrams(text)):
            return True
        return any(w in self.windows for w in _windows(text))


def contaminated_by(record: dict[str, Any], sets: list[EvalSet]) -> str | None:
    """The name of the first evaluation file ``record`` shares text with, or None."""
    return next((s.name for s in sets if s.shares(record)), None)
