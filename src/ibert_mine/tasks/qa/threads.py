"""Questions of community threads and the replies that answer them.

- GitHub: a thread is a question when its title or body asks one, or it is labelled
  ``question`` or ``usage``. Its answer is the reply the asker confirms ("thanks, that
  works") when there is one, else the first substantial reply by the repository's people
  (``author_association`` OWNER, MEMBER or COLLABORATOR) other than the asker.
- Stack Exchange: the accepted answer, else the best answer scoring at least 2.

The question is the title and the body; the answer is the reply's Markdown, cleaned; the
code example is the reply's Python code blocks.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ibert_mine.core.config import Config
from ibert_mine.core.reasons import Reason, Reject
from ibert_mine.sources.threads import GITHUB, Post, ThreadUnit
from ibert_mine.tasks.qa.code_example import PYTHON, runnable_code
from ibert_mine.tasks.qa.markup import clean
from ibert_mine.tasks.qa.pairs import Pair

MAINTAINERS = frozenset({"OWNER", "MEMBER", "COLLABORATOR"})
QUESTION_LABELS = frozenset({"question", "usage", "help wanted", "support"})
REPORT_LABELS = frozenset({"bug", "feature", "enhancement", "ci", "dependencies", "chore"})
_TEMPLATE_LINE = re.compile(r"^\s*(#{1,6}\s|\*\*[^*]+\*\*\s*$|<!--|-->)")
MIN_ANSWER_WORDS = 8
MAX_QUESTION_WORDS = 500
MIN_BEST_SCORE = 2
_CODE_BLOCK = re.compile(r"(?ms)^[ \t]*(`{3,}|~{3,})[ \t]*(\w*)[^\n]*\n(.*?)^[ \t]*\1[ \t]*$")
_ASKS = re.compile(r"(?i)(^|\n)\s*(how|what|why|when|which|can|could|is|are|does|do|should)\b|\?")
_CONFIRMS = re.compile(
    r"(?i)\b(thanks?|thank you|that works|this works|it works|worked|solved|perfect|"
    r"exactly what i)\b"
)
_DENIES = re.compile(r"(?i)\b(but|not|n't|still|no longer|however)\b|n't\b")
_NOT_AN_ANSWER = re.compile(r"(?i)^\s*(closing|closed|duplicate of|fixed (in|by)|see #\d+)\b")
PYTHON_OR_UNTAGGED = PYTHON | {""}  # a reply's untagged block is most often Python

NOT_A_QUESTION = Reason("not_a_question", "the thread asks no question (a report, a proposal)")
NO_ANSWER = Reason("no_answer", "no reply answers the question (no maintainer's, none confirmed)")
QUESTION_TOO_LONG = Reason("question_too_long", f"the question is over {MAX_QUESTION_WORDS} words")
REASONS = (NOT_A_QUESTION, NO_ANSWER, QUESTION_TOO_LONG)


def pairs(unit: ThreadUnit, config: Config) -> Iterator[tuple[list[Pair], str | None] | Reject]:
    """The question of a thread and its answer, with the answer's code example."""
    body = clean(unit.question.body)
    question = f"{unit.title.strip()}\n\n{body}".strip() if body else unit.title.strip()
    if unit.site == GITHUB and not _asks(unit, body):
        yield NOT_A_QUESTION()
        return
    if len(question.split()) > MAX_QUESTION_WORDS:
        yield QUESTION_TOO_LONG()
        return
    chosen = _github_answer(unit) if unit.site == GITHUB else _best_answer(unit)
    if chosen is None:
        yield NO_ANSWER()
        return
    answer, how = chosen
    meta = {
        **unit.provenance.meta(),
        "origin": unit.site,
        "thread": unit.question.id,
        "url": unit.question.url,
        "answer_id": answer.id,
        "answer_url": answer.url,
        "answered_by": how,
        "score": answer.score,
        "license": answer.license,
    }
    code = runnable_code(m.group(3) for m in _CODE_BLOCK.finditer(answer.body)
                         if m.group(2).lower() in PYTHON_OR_UNTAGGED)  # fmt: skip
    yield [Pair(question, clean(answer.body), "thread", meta, code=code)], code


def _asks(unit: ThreadUnit, body: str) -> bool:
    """A question label; else not a report (``bug``, ``feature``), and a question in the
    title, or a ``?`` in the body's prose (not in the headings and bold lines of an issue
    template: "### What happened?")."""
    labels = {label.lower() for label in unit.labels}
    if QUESTION_LABELS & labels:
        return True
    if REPORT_LABELS & labels:
        return False
    prose = [
        line for line in _CODE_BLOCK.sub("", body).split("\n")
        if not _TEMPLATE_LINE.match(line)
    ]  # fmt: skip
    return bool(_ASKS.search(unit.title)) or "?" in "\n".join(prose)


def _substantial(post: Post) -> bool:
    text = clean(post.body)
    return len(text.split()) >= MIN_ANSWER_WORDS and not _NOT_AN_ANSWER.match(text)


def _confirms(text: str) -> bool:
    """True for "Thanks, that works!"; not for "Thanks, but it still fails"."""
    return bool(_CONFIRMS.search(text)) and not _DENIES.search(text)


def _github_answer(unit: ThreadUnit) -> tuple[Post, str] | None:
    asker = unit.question.author
    replies = list(unit.answers)
    for i, reply in enumerate(replies):
        if reply.author != asker and _substantial(reply):
            nxt = replies[i + 1] if i + 1 < len(replies) else None  # the asker's next word
            if nxt is not None and nxt.author == asker and _confirms(nxt.body):
                return reply, "confirmed"
    for reply in replies:
        if reply.role in MAINTAINERS and reply.author != asker and _substantial(reply):
            return reply, "maintainer"
    return None


def _best_answer(unit: ThreadUnit) -> tuple[Post, str] | None:
    accepted = [a for a in unit.answers if a.accepted and clean(a.body)]
    if accepted:
        return accepted[0], "accepted"
    scored = [a for a in unit.answers if (a.score or 0) >= MIN_BEST_SCORE and clean(a.body)]
    if not scored:
        return None
    best = max(scored, key=lambda a: (a.score or 0, -int(a.id) if a.id.isdigit() else 0))
    return best, "best"
