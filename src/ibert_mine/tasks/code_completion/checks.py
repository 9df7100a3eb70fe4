"""What ``validate`` checks of a completion record, besides the schema."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ibert_mine.sources.python import parses


def check_completion(record: dict[str, Any]) -> Iterator[str]:
    """One shape or the other: a strict prefix that completes to valid Python (``l2r``), or
    a prefix, middle and suffix that parse together (``fim``)."""
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
