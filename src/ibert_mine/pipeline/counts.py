"""Counting rejects: per stage (a task, a shared job stage, the file walk) and declared reason.

A stage counts only the reasons it declares (plus :data:`~ibert_mine.core.reasons.COMMON`);
counting any other raises :class:`UndeclaredReason`, so a reason cannot be invented at
the point of use.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

from ibert_mine.core.reasons import COMMON, Reason, Reject, reason_name
from ibert_mine.sources.units import SKIP_REASONS
from ibert_mine.tasks import stages
from ibert_mine.tasks.contract import Task

FILES = "files"  # the stage of skipped files


class UndeclaredReason(ValueError):
    """A reject counted under a reason its stage does not declare."""


class RejectCounts:
    """How many candidates each stage dropped, by reason key (``name`` or ``name:value``)."""

    def __init__(self, declared: Mapping[str, Iterable[Reason]]) -> None:
        """Count for the stages of ``declared`` (stage -> the reasons it may count)."""
        self._declared = {
            stage: {r.name: r for r in (*reasons, *COMMON)} for stage, reasons in declared.items()
        }
        self._counts: dict[str, Counter[str]] = {stage: Counter() for stage in declared}

    def add(self, stage: str, reject: Reject, n: int = 1) -> None:
        """Count ``n`` rejects of ``stage``; raise :class:`UndeclaredReason` for one it lacks."""
        declared = self._declared.get(stage)
        if declared is None:
            raise UndeclaredReason(f"no stage {stage!r} counts rejects")
        if declared.get(reject.reason.name) != reject.reason:
            raise UndeclaredReason(f"stage {stage!r} does not declare {reject.reason.label!r}")
        self._counts[stage][reject.key] += n

    def of(self, stage: str) -> dict[str, int]:
        """The counts of ``stage``, by reason key, sorted."""
        return dict(sorted(self._counts.get(stage, Counter()).items()))

    def get(self, stage: str, key: str) -> int:
        """How many rejects of ``stage`` were counted under ``key``."""
        return self._counts.get(stage, Counter())[key]

    def total(self) -> int:
        """Every reject of every stage."""
        return sum(sum(c.values()) for c in self._counts.values())

    def reason(self, stage: str, key: str) -> Reason | None:
        """The declared reason a counted key stands for."""
        return self._declared.get(stage, {}).get(reason_name(key))


def declared_reasons(tasks: Iterable[Task]) -> dict[str, tuple[Reason, ...]]:
    """Stage name -> the reasons it declares, for ``tasks`` and the job stages they use."""
    chosen = tuple(tasks)
    out: dict[str, tuple[Reason, ...]] = {task.name: task.reasons for task in chosen}
    out.update({stage.name: stage.reasons for stage in stages(chosen)})
    return out


def file_counts() -> RejectCounts:
    """Counts of skipped files, by the reasons :mod:`ibert_mine.sources` declares."""
    return RejectCounts({FILES: SKIP_REASONS})
