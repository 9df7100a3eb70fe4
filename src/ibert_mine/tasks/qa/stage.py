"""The ``answers`` stage: question/answer pairs found in units, their code run once.

In the file workers, :func:`find` asks the miner of each unit kind for its pairs: the API
reference for modules, sections for pages, threads for community exports. The pairs that
share a code example (the questions about one definition, one section, one thread) are
one job; the sandbox runs its code once (:func:`ibert_mine.execution.run_example.
run_example`) when the code is self-contained, and :func:`examples` writes each pair with
what the run showed: ``meta.code_runs`` true, or false with the error and tag
``stale_code``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from ibert_mine.core.config import Config
from ibert_mine.core.example import canonical_json
from ibert_mine.core.reasons import Reason, Reject
from ibert_mine.sandbox.outcome import Outcome
from ibert_mine.sources.units import Unit
from ibert_mine.tasks.contract import Job, JobKind, JobStage
from ibert_mine.tasks.qa import api_reference, doc_sections, threads
from ibert_mine.tasks.qa.code_example import self_contained
from ibert_mine.tasks.qa.pairs import Pair

ANSWER = "answer"
Found = Iterator[tuple[list[Pair], str | None] | Reject]
MINERS: dict[str, Callable[[Any, Config], Found]] = {
    "module": api_reference.pairs,
    "page": doc_sections.pairs,
    "thread": threads.pairs,
}


@dataclass(frozen=True, slots=True)
class AnswerSite:
    """The pairs that share one code example, and the source they came from."""

    pairs: tuple[Pair, ...]
    source: str
    code: str | None
    runnable: bool  # self-contained: the sandbox runs it


def find(unit: Unit, config: Config, kinds: frozenset[str]) -> Iterator[Job | Reject]:
    """One job per group of pairs of ``unit`` that share a code example."""
    miner = MINERS.get(unit.KIND)
    if miner is None or ANSWER not in kinds:
        return
    for item in miner(unit, config):
        if isinstance(item, Reject):
            yield item
            continue
        found, code = item
        if not found:
            continue
        runnable = code is not None and self_contained(code)
        site = AnswerSite(tuple(found), unit.provenance.source, code, runnable)
        key = canonical_json([code, [[p.question, p.answer] for p in found]])
        yield Job(ANSWER, key, site)


def payload(job: Job, config: Config, options: frozenset[str]) -> dict[str, Any] | None:
    """The code the sandbox runs; None when there is nothing to run (no sandbox needed)."""
    site: AnswerSite = job.site
    return {"code": site.code} if site.runnable else None


DUPLICATE_ANSWERS = Reason("duplicate_answers", "the same questions and answers were found earlier")
CODE_TIMEOUT = Reason(
    "code_timeout", "the code example ran past the sandbox's limit (its pairs kept, not run)"
)
CODE_CRASHED = Reason(
    "code_crashed", "the sandbox worker died running the code example (its pairs kept, not run)"
)
CODE_ERROR = Reason(
    "code_error", "running the code example raised in the sandbox (its pairs kept, not run)"
)


def _failed(outcome: Outcome) -> Reject:
    """Why a code example's run gave nothing (its pairs are written without ``code_runs``)."""
    reason = {"timeout": CODE_TIMEOUT, "crashed": CODE_CRASHED}.get(outcome.status, CODE_ERROR)
    return reason()


STAGE = JobStage(
    name="answers",
    consumes=("module", "page", "thread"),
    kinds=(
        JobKind(
            ANSWER,
            "ibert_mine.execution.run_example:run_example",
            "running code examples",
            DUPLICATE_ANSWERS,
            _failed,
            keeps_failed=True,
        ),
    ),
    reasons=(
        *api_reference.REASONS,
        *doc_sections.REASONS,
        *threads.REASONS,
        DUPLICATE_ANSWERS,
        CODE_TIMEOUT,
        CODE_CRASHED,
        CODE_ERROR,
    ),
    find=find,
    payload=payload,
)
