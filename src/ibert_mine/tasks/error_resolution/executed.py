"""Executed mistakes: a verified program, one mistake made in it, and the real error.

The ``programs`` stage runs each program once (:mod:`ibert_mine.tasks.program_jobs`); with
the payload option ``mistakes`` the same sandbox job also makes the program's mistakes
(:mod:`ibert_mine.execution.mistakes`) and runs them. Only a program whose DuckDB SQL
returned its rows (``executed``) is a fix: ``target.fixed_code`` is the program as found,
``input.broken_code`` the program with one mistake, ``input.error`` what Ibis raised.
:func:`select` keeps at most :data:`PER_PROGRAM` mistakes of one program (the rarer kinds
first) and no kind over :data:`KIND_SHARE` of the examples.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator
from typing import Any

from ibert_mine.core import meta as keys
from ibert_mine.core.config import Config
from ibert_mine.core.example import Example
from ibert_mine.core.meta import MetaKey
from ibert_mine.core.meta import build as build_meta
from ibert_mine.core.reasons import Reason, Reject
from ibert_mine.execution.mistakes import KINDS, MEANINGS
from ibert_mine.tasks.contract import Job
from ibert_mine.tasks.program_jobs import ProgramSite, tables_context
from ibert_mine.tasks.tags import TAGS

ORIGIN = "executed"
PER_PROGRAM = 4
KIND_SHARE = 0.2  # of the executed examples, at most this share of one kind

MISTAKE = MetaKey(
    "mistake",
    "string",
    "the kind of mistake made in the fixed program (a rule of execution/mistakes), or"
    " api_migration: a name Ibis renamed or removed",
    values=tuple((kind, MEANINGS[kind]) for kind in KINDS),
)
SINCE = MetaKey("since", "string", "the Ibis release whose notes renamed or removed the old name")
ERROR_TYPE = MetaKey("error_type", "string", "the name of the exception the broken code raises")

NOT_EXECUTED = Reason(
    "program_not_executed", "the program did not return its rows on synthetic data: no fix"
)
BUILDS = Reason("mistake_builds", "Ibis accepts the mistaken program: it builds and compiles")
MISTAKE_TIMEOUT = Reason("mistake_timeout", "the mistaken program ran past its time limit")
MISTAKE_MEMORY = Reason(
    "mistake_memory", "the mistaken program exhausted its memory (or its stack)"
)
OTHER_ERROR = Reason(
    "mistake_other_error", "the mistaken program fails, but not with the error explained"
)
RULE_ERROR = Reason("mistake_rule_error", "a mistake rule raised on the program (a bug)")
LONG_ERROR = Reason("long_error", "the error message is over 4,000 characters")
PROGRAM_HAS_MANY = Reason(
    "program_has_many", "the program already gives the most mistakes one program may give"
)
KIND_CAPPED = Reason("kind_capped", "the mistake's kind already has its share of examples")
META: tuple[MetaKey, ...] = (
    *keys.PATH_TO_VERSION,
    keys.ORIGIN.allowing("executed", "git"),
    keys.SYMBOL,
    MISTAKE,
    SINCE,
    ERROR_TYPE,
    TAGS,
    keys.CLUSTER,
)
REASONS = (NOT_EXECUTED, BUILDS, MISTAKE_TIMEOUT, MISTAKE_MEMORY, LONG_ERROR, OTHER_ERROR,
           RULE_ERROR, PROGRAM_HAS_MANY, KIND_CAPPED)  # fmt: skip
_DROPPED = {"builds": BUILDS, "timeout": MISTAKE_TIMEOUT, "memory": MISTAKE_MEMORY,
            "long_error": LONG_ERROR, "other_error": OTHER_ERROR,
            "rule_error": RULE_ERROR}  # fmt: skip


def examples(job: Job, outcome: dict[str, Any], config: Config) -> Iterator[Example | Reject]:
    """One example per mistake of the program that fails."""
    site: ProgramSite = job.site
    if not outcome.get("executed") or "mistakes" not in outcome:
        yield NOT_EXECUTED()
        return
    found = outcome["mistakes"]
    for name, count in found["dropped"].items():
        for _ in range(count):
            yield _DROPPED[name]()
    base = {key: site.meta.get(key) for key in ("path", "lines", "repo", "commit", "version")}
    for mistake in found["kept"]:
        meta = {
            **base,
            "origin": ORIGIN,
            "symbol": site.meta.get("symbol"),
            "mistake": mistake["kind"],
            "since": mistake.get("since"),
            "error_type": mistake["error_type"],
            "tags": site.meta.get("tags") or None,
        }
        yield Example.create(
            "error_resolution",
            site.source,
            {"broken_code": mistake["code"], "error": mistake["error"]},
            {"fixed_code": site.program.code, "explanation": mistake["explanation"]},
            build_meta(META, meta),
            context=tables_context(outcome["schemas"]),
        )


def select(found: list[Example]) -> list[Reject | None]:
    """For each example: None to keep it, or why it is left out (too many of one program,
    or its kind over its share). Examples of other origins are all kept."""
    executed = [i for i, e in enumerate(found) if e.meta.get("origin") == ORIGIN]
    out: list[Reject | None] = [None] * len(found)
    rarity = Counter(found[i].meta["mistake"] for i in executed)
    by_program: dict[str, list[int]] = {}
    for i in executed:
        by_program.setdefault(found[i].target["fixed_code"], []).append(i)
    kept: list[int] = []
    for members in by_program.values():
        ranked = sorted(members, key=lambda i: (rarity[found[i].meta["mistake"]], found[i].id))
        kept.extend(ranked[:PER_PROGRAM])
        for i in ranked[PER_PROGRAM:]:
            out[i] = PROGRAM_HAS_MANY()
    per_kind: dict[str, list[int]] = {}
    for i in sorted(kept, key=lambda i: found[i].id):
        per_kind.setdefault(found[i].meta["mistake"], []).append(i)
    cap = _cap([len(v) for v in per_kind.values()])
    for members in per_kind.values():
        for i in members[cap:]:
            out[i] = KIND_CAPPED()
    return out


def _cap(sizes: list[int]) -> int:
    """The largest count per kind at which no kind is over :data:`KIND_SHARE` of the total.

    >>> _cap([100, 10, 10, 10, 10, 10, 10, 10])
    17
    >>> _cap([3, 3, 3])  # too few kinds for any share to hold: nothing is capped
    3
    """
    cap = max(sizes, default=0)
    if len(sizes) < math.ceil(1 / KIND_SHARE):
        return cap
    while cap > 0 and cap > math.floor(KIND_SHARE * sum(min(n, cap) for n in sizes)):
        cap -= 1
    return cap
