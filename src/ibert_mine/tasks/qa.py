"""qa: a question about Ibis -> its answer (and a code example when there is one).

No miner yet: ``validate`` accepts records of this task (the record contract below, and
the question must read as a question), and ``mine --task qa`` says it has no miner.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ibert_mine.tasks.contract import Fields, Record, Task

NAME = "qa"
_QUESTION_WORD = re.compile(r"(?i)(how|what|why|when|which|can|is|does)\b")


def check_question(record: Record) -> Iterator[str]:
    """The question ends with ``?`` or starts with a question word."""
    question = record["input"]["question"].strip()
    if not (question.endswith("?") or _QUESTION_WORD.match(question)):
        yield "qa: the question is not a question"


TASK = Task(
    name=NAME,
    fields=Fields(
        input_required=("question",),
        target_required=("answer",),
        target_optional=("code_example",),
    ),
    miner=None,
    checks=(check_question,),
)
