"""Why a candidate was dropped or a file skipped: every reason is declared once, with a line.

A :class:`Reason` is declared as a module constant next to the code that uses it, and
listed in the ``reasons`` of the stage that yields it (a task, a shared job stage, the file
walk). A miner answers a dropped candidate with ``REASON()`` (or ``REASON(value)`` for a
parametrised reason such as ``compile_failed:<dialect>``); the pipeline counts it under the
stage, and refuses a reason the stage did not declare.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Reason:
    """A declared reason: its name, what it means, and the name of its parameter if any."""

    name: str
    description: str
    param: str | None = None  # counted as ``name:<value>``, e.g. ``compile_failed:<dialect>``

    def __post_init__(self) -> None:
        if not self.name.isidentifier() or self.name != self.name.lower():
            raise ValueError(f"a reason name is a snake_case identifier, not {self.name!r}")

    def __call__(self, value: str | None = None) -> Reject:
        """A :class:`Reject` for this reason (``value`` fills the parameter)."""
        if (value is None) != (self.param is None):
            wanted = f"a {self.param}" if self.param else "no value"
            raise ValueError(f"reason {self.name!r} takes {wanted}, got {value!r}")
        return Reject(self, value)

    @property
    def label(self) -> str:
        """``name`` or ``name:<param>``, as the reason is listed."""
        return f"{self.name}:<{self.param}>" if self.param else self.name


@dataclass(frozen=True, slots=True)
class Reject:
    """A candidate thrown away: the declared reason and, when parametrised, its value."""

    reason: Reason
    value: str | None = None

    @property
    def key(self) -> str:
        """How the reject is counted: ``name`` or ``name:value``."""
        return self.reason.name if self.value is None else f"{self.reason.name}:{self.value}"


def reason_name(key: str) -> str:
    """The reason name of a counted key (``compile_failed:mysql`` -> ``compile_failed``)."""
    return key.partition(":")[0]


# Reasons every stage may count.
DUPLICATE = Reason("duplicate", "the same example (up to whitespace) was mined before")
TOO_DEEPLY_NESTED = Reason(
    "too_deeply_nested", "the code nests deeper than Python's recursion limit can walk"
)
NEAR_DUPLICATE = Reason(
    "near_duplicate", "another example of the task has token 5-gram Jaccard >= 0.7 to it"
)
COMMON: tuple[Reason, ...] = (DUPLICATE, NEAR_DUPLICATE, TOO_DEEPLY_NESTED)
