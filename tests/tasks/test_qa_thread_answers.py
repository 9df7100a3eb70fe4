"""Which reply of a thread answers it: confirmed by the asker, a maintainer's, accepted, best."""

from __future__ import annotations

from ibert_mine.core.config import Config
from ibert_mine.core.reasons import Reject
from ibert_mine.sources.provenance import Provenance
from ibert_mine.sources.threads import GITHUB, STACKEXCHANGE, Post, ThreadUnit
from ibert_mine.tasks.qa import threads

LONG = "You can call the method on the table expression and pass the column names you want."


def _thread(site: str, answers: list[Post], title: str = "How do I pivot?", **kw) -> ThreadUnit:
    question = Post("1", "I want to pivot a table.", author="asker")
    return ThreadUnit(Provenance("src", "export.json"), site, title, question, tuple(answers), **kw)


def _answer(unit: ThreadUnit) -> tuple[str, str] | Reject:
    found = list(threads.pairs(unit, Config(tasks=("qa",))))
    if isinstance(found[0], Reject):
        return found[0]
    pairs, _ = found[0]
    return pairs[0].meta["answer_id"], pairs[0].meta["answered_by"]


def test_the_reply_the_asker_confirms_wins_over_a_maintainers() -> None:
    unit = _thread(GITHUB, [
        Post("10", LONG, author="maintainer", role="MEMBER"),
        Post("11", f"Another way: {LONG}", author="helper", role="NONE"),
        Post("12", "Thanks, that works!", author="asker", role="NONE"),
    ])  # fmt: skip
    assert _answer(unit) == ("11", "confirmed")


def test_a_maintainers_substantial_reply_answers_and_closing_notes_do_not() -> None:
    unit = _thread(GITHUB, [
        Post("10", "Closing as a duplicate of #12, see the discussion there for details.",
             author="maintainer", role="OWNER"),
        Post("11", LONG, author="bystander", role="NONE"),
        Post("12", LONG, author="maintainer", role="COLLABORATOR"),
    ])  # fmt: skip
    assert _answer(unit) == ("12", "maintainer")


def test_a_labelled_question_without_a_question_mark_is_asked() -> None:
    unit = _thread(GITHUB, [Post("10", LONG, author="m", role="MEMBER")],
                   title="Pivot a wide table", labels=("usage",))  # fmt: skip
    assert _answer(unit) == ("10", "maintainer")
    plain = _thread(GITHUB, [Post("10", LONG, author="m", role="MEMBER")], title="Pivot a table")
    plain = ThreadUnit(
        plain.provenance, GITHUB, "Pivot a table", Post("1", "It fails."), plain.answers
    )
    assert isinstance(_answer(plain), Reject) and _answer(plain).reason is threads.NOT_A_QUESTION


def test_no_maintainer_and_no_confirmation_is_no_answer() -> None:
    unit = _thread(GITHUB, [Post("10", LONG, author="bystander", role="NONE")])
    assert _answer(unit).reason is threads.NO_ANSWER


def test_stack_exchange_takes_the_accepted_answer_else_the_best_scored() -> None:
    accepted = _thread(STACKEXCHANGE, [
        Post("10", LONG, score=9), Post("11", LONG + " Also.", score=1, accepted=True),
    ])  # fmt: skip
    assert _answer(accepted) == ("11", "accepted")
    best = _thread(STACKEXCHANGE, [Post("10", LONG, score=2), Post("11", LONG + " B", score=5)])
    assert _answer(best) == ("11", "best")
    low = _thread(STACKEXCHANGE, [Post("10", LONG, score=1)])
    assert _answer(low).reason is threads.NO_ANSWER


def test_a_thanks_that_says_it_still_fails_confirms_nothing() -> None:
    unit = _thread(GITHUB, [
        Post("10", LONG, author="helper", role="NONE"),
        Post("11", "Thanks, but that does not work for me.", author="asker"),
    ])  # fmt: skip
    assert _answer(unit).reason is threads.NO_ANSWER


def test_an_issue_templates_headings_ask_nothing() -> None:
    body = "### What happened?\n\nThe join drops rows.\n\n### What version of ibis?\n\n9.0"
    question = Post("1", body, author="asker")
    answers = (Post("10", LONG, author="m", role="MEMBER"),)
    report = ThreadUnit(Provenance("src", "x.json"), GITHUB, "Join drops rows", question, answers)
    assert _answer(report).reason is threads.NOT_A_QUESTION
    labelled = ThreadUnit(
        Provenance("src", "x.json"), GITHUB, "How do I join?", question, answers, labels=("bug",)
    )
    assert _answer(labelled).reason is threads.NOT_A_QUESTION  # a report, whatever its title
