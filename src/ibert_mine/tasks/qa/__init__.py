"""qa: a question about Ibis -> its answer, grounded at its source, and a code example.

Three origins, one miner each, behind one job stage (:mod:`.stage`) that runs each code
example once in the sandbox:

- ``api_reference`` (:mod:`.api_reference`): public definitions' docstrings, read as the
  answers to what a definition does, how to do the task its summary names, what one of
  its parameters does and what it returns or raises (at most four questions a symbol);
- ``docs`` (:mod:`.doc_sections`): the sections of documentation pages;
- ``github`` and ``stackexchange`` (:mod:`.threads`): threads of community exports.

Every answer is quoted text after cleaning, with at most one lead sentence the miner
wrote (``meta.lead``); ``validate`` finds each quoted paragraph at ``meta.path`` and
``meta.lines`` (or in the export's post) after normalisation (:mod:`.grounding`). A
self-contained code example has run against the installed Ibis: ``meta.code_runs`` true,
or false with ``meta.code_error`` and tag ``stale_code``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ibert_mine.core import meta as keys
from ibert_mine.core.config import Config
from ibert_mine.core.example import Example
from ibert_mine.core.meta import MetaKey
from ibert_mine.core.meta import build as build_meta
from ibert_mine.core.reasons import Reject
from ibert_mine.tasks.chat_format import fenced, join
from ibert_mine.tasks.contract import Fields, Job, Record, Task, TwoPhase
from ibert_mine.tasks.qa import api_reference, grounding, stage
from ibert_mine.tasks.qa.code_example import defines_its_names
from ibert_mine.tasks.qa.pairs import Pair
from ibert_mine.tasks.tags import TAGS, place_tags

NAME = "qa"
_QUESTION_WORD = re.compile(
    r"(?i)(how|what|why|when|which|can|could|is|are|does|do|should|where|in ibis)\b"
)

META: tuple[MetaKey, ...] = (
    *keys.PATH_TO_VERSION,
    keys.ORIGIN.allowing("api_reference", "docs", "notebook", "github", "stackexchange"),
    keys.SYMBOL,
    MetaKey(
        "question_kind",
        "string",
        "what the question asks:",
        values=(
            ("what_does", "what a function, method or class does (summary and description)"),
            ("how_to", "how to do the task a definition's summary names"),
            ("parameter", "what one parameter does or accepts"),
            ("returns", "what a function returns"),
            ("raises", "when a function raises an error"),
            ("section", "a documentation section's heading, asked as a question"),
            ("thread", "a community thread's question"),
        ),
    ),
    MetaKey("heading", "string", "the heading of the documentation section answered"),
    MetaKey("lead", "boolean", "true when the answer's first paragraph was written by the miner"),
    MetaKey("thread", "string", "the GitHub issue number or Stack Exchange question id"),
    MetaKey("url", "string", "the web address of the question"),
    MetaKey("answer_id", "string", "the id of the comment or answer post answering it"),
    MetaKey("answer_url", "string", "the web address of the answer"),
    MetaKey(
        "answered_by",
        "string",
        "why this reply is the answer:",
        values=(
            ("maintainer", "the first substantial reply by the repository's people"),
            ("confirmed", "the reply the asker confirmed worked"),
            ("accepted", "the asker accepted it"),
            ("best", "no accepted answer: the best-scored answer, score 2 or more"),
        ),
    ),
    MetaKey("score", "integer", "the answer's score (Stack Exchange) or reactions (GitHub)"),
    MetaKey("license", "string", "the answer's content license (Stack Exchange: CC BY-SA)"),
    MetaKey("code_runs", "boolean", "the self-contained code example ran against installed Ibis"),
    MetaKey("code_error", "string", "the error the code example raised (code_runs false)"),
    TAGS,
    keys.CLUSTER,
)


def check_question(record: Record) -> Iterator[str]:
    """The question asks something: it holds a ``?`` or starts with a question word."""
    question = record["input"]["question"].strip()
    if not ("?" in question or _QUESTION_WORD.match(question)):
        yield "qa: the question is not a question"


def examples(job: Job, value: Any, config: Config) -> Iterator[Example | Reject]:
    """The examples of one job's pairs, with what running their code example showed."""
    site: stage.AnswerSite = job.site
    for pair in site.pairs:
        yield _example(pair, site, value or {"runs": None})  # None: the run failed


def _example(pair: Pair, site: stage.AnswerSite, run: dict[str, Any]) -> Example:
    origin = pair.meta["origin"]
    values: dict[str, Any] = {**pair.meta, "question_kind": pair.kind}
    values["lead"] = True if pair.lead else None
    tags = place_tags(pair.meta["path"], pair.meta.get("symbol")) if origin != "github" else []
    if pair.code is not None and run.get("runs") is not None:
        values["code_runs"] = run["runs"]
        if not run["runs"]:
            values["code_error"] = run.get("error")
            tags.append("stale_code")
    if pair.code is not None and not defines_its_names(pair.code):
        tags.append("code_fragment")
    values["tags"] = tags or None
    target = {"answer": pair.answer}
    if pair.code is not None:
        target["code_example"] = pair.code
    return Example.create(NAME, site.source, {"question": pair.question}, target,
                          build_meta(META, values))  # fmt: skip


def render(record: dict) -> tuple[str, str]:
    """The user's turn (the question) and the assistant's (the answer and its example)."""
    target = record["target"]
    example = target.get("code_example")
    answer = target["answer"]
    if example and example.strip() not in answer:
        answer = join(answer, "For example:", fenced(example))
    return record["input"]["question"], answer


TASK = Task(
    name=NAME,
    fields=Fields(
        input_required=("question",),
        target_required=("answer",),
        target_optional=("code_example",),
        python=("target.code_example",),
    ),
    miner=TwoPhase(stage.STAGE, kinds=(stage.ANSWER,), examples=examples),
    meta=META,
    reasons=(api_reference.SAME_ANSWER, api_reference.SAME_QUESTION, api_reference.TEMPLATED),
    checks=(check_question, grounding.check_lead),
    provenance=grounding.check_grounding,
    stats_keys=("question_kind",),
    select=api_reference.select,
    # of near-duplicates (a definition's what_does and how_to sharing its docstring and
    # code), the answer that says more: the how_to's lead adds the signature
    informative=lambda example: len(example.target["answer"].split()),
    render=render,
)
