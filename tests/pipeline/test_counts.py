"""Reject reasons: declared once, counted only where declared, explained by stats."""

from __future__ import annotations

import pytest

from ibert_mine.core.reasons import COMMON, Reason
from ibert_mine.pipeline.counts import FILES, RejectCounts, UndeclaredReason, declared_reasons
from ibert_mine.pipeline.stats import describe
from ibert_mine.sources.units import SKIP_REASONS
from ibert_mine.tasks import TASKS
from ibert_mine.tasks.program_jobs import PROGRAM_ERROR, STAGE


def test_counting_an_undeclared_reason_fails() -> None:
    counts = RejectCounts(declared_reasons(TASKS))
    counts.add("programs", PROGRAM_ERROR("ValueError"), 2)
    assert counts.of("programs") == {"program_error:ValueError": 2}
    invented = Reason("made_up", "a reason no stage declares")
    with pytest.raises(UndeclaredReason, match="does not declare 'made_up'"):
        counts.add("programs", invented())
    with pytest.raises(UndeclaredReason, match="does not declare"):
        counts.add("documentation", PROGRAM_ERROR("ValueError"))  # another stage's reason
    with pytest.raises(UndeclaredReason, match="no stage"):
        counts.add("nowhere", invented())


def test_a_parametrised_reason_needs_its_value() -> None:
    with pytest.raises(ValueError, match="takes a exception"):
        PROGRAM_ERROR()
    with pytest.raises(ValueError, match="takes no value"):
        COMMON[0]("x")
    assert PROGRAM_ERROR.label == "program_error:<exception>"


def test_every_stage_declares_each_reason_once_with_a_description() -> None:
    stages = {**declared_reasons(TASKS), FILES: SKIP_REASONS}
    assert STAGE.name in stages
    for stage, reasons in stages.items():
        names = [r.name for r in (*reasons, *COMMON)]
        assert len(names) == len(set(names)), stage
        assert all(r.description and not r.description.endswith(".") for r in reasons), stage


def test_stats_explains_each_counted_key() -> None:
    assert describe("ibis_to_sql", "compile_failed:mysql").startswith("Ibis cannot compile")
    assert describe("programs", "unresolved_name") == (
        "the program reads a name nothing in its session defines"
    )
    assert describe(FILES, "not_utf8").startswith("the file is not valid UTF-8")
    assert describe("code_completion", "duplicate").startswith("the same example")
    assert describe("code_completion", "no_such_reason") == ""
