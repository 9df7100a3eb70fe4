"""The task contract: what each of the six tasks declares, and the two ways a task mines.

A task module builds one :class:`Task`: its name, the fields of its records, the reasons
it drops candidates for, its per-record checks, and its miner (``None`` while it has
none). A miner is either

- :class:`Direct`: ``mine(unit, config)`` turns one unit (of a kind it consumes) into
  examples and :class:`~ibert_mine.core.reasons.Reject` answers, in the file workers; or
- :class:`TwoPhase`: a :class:`JobStage` finds :class:`Job` values in units (running
  nothing), the pipeline runs each distinct job once in the sandbox, and
  ``examples(job, value, config)`` turns a job's returned value into examples. Tasks that
  name the same stage share its jobs: a program is found and run once for both
  translation tasks.

The pipeline and ``validate`` only ever iterate the registry
(:data:`ibert_mine.tasks.TASKS`); nothing outside ``tasks/`` names a task.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ibert_mine.core.config import Config
from ibert_mine.core.example import Example
from ibert_mine.core.meta import OPEN_PROVENANCE, MetaKey
from ibert_mine.core.reasons import Reason, Reject
from ibert_mine.sandbox.outcome import Outcome
from ibert_mine.sources.units import Unit

Record = dict[str, Any]
Check = Callable[[Record], Iterator[str]]  # the problems of one (schema-valid) record
Located = tuple[str, Record]  # ("file:line", record)


@dataclass(frozen=True, slots=True)
class Fields:
    """Which fields a task's ``input`` and ``target`` hold, and which of them are Python."""

    input_required: tuple[str, ...]
    target_required: tuple[str, ...]
    input_optional: tuple[str, ...] = ()
    target_optional: tuple[str, ...] = ()
    python: tuple[str, ...] = ()  # "input.x" / "target.y" that must parse with ast
    may_be_empty: tuple[str, ...] = ()  # "input.x" that may be the empty string


@dataclass(frozen=True, slots=True)
class Direct:
    """A miner that turns each unit of a kind it consumes into examples, on its own."""

    consumes: tuple[str, ...]
    mine: Callable[[Unit, Config], Iterator[Example | Reject]]


@dataclass(frozen=True, slots=True)
class Job:
    """Work for the sandbox found in a unit: equal ``key`` values run once (first found wins)."""

    kind: str  # one of its stage's job kinds
    key: str
    site: Any  # what the stage needs for the payload and the tasks for their examples


@dataclass(frozen=True, slots=True)
class JobKind:
    """One kind of job of a stage: the sandbox function it runs and how it is counted."""

    name: str
    func: str  # "package.module:function", called in a sandbox worker on the payload
    label: str  # the progress bar's label while jobs of this kind run
    duplicate: Reason  # counted when the same job is found again
    failed: Callable[[Outcome], Reject]  # the reason a job that did not return is counted
    # a failed job still gives its examples (built from the value None): a qa pair does not
    # depend on its code example running
    keeps_failed: bool = False


@dataclass(frozen=True, slots=True)
class JobStage:
    """Finds jobs in units (running nothing); rejects are charged to the stage, once."""

    name: str
    consumes: tuple[str, ...]
    kinds: tuple[JobKind, ...]  # run in this order
    reasons: tuple[Reason, ...]
    # (unit, config, wanted job kinds) -> jobs of those kinds, and rejects
    find: Callable[[Unit, Config, frozenset[str]], Iterator[Job | Reject]]
    # (job, config, options the selected tasks need) -> the sandbox function's argument
    payload: Callable[[Job, Config, frozenset[str]], Any]

    def kind(self, name: str) -> JobKind:
        """The job kind called ``name``."""
        return next(k for k in self.kinds if k.name == name)


@dataclass(frozen=True, slots=True)
class TwoPhase:
    """A miner that builds examples from the sandbox results of a stage's jobs."""

    stage: JobStage
    kinds: tuple[str, ...]  # the job kinds taken, in the order their examples are written
    examples: Callable[[Job, Any, Config], Iterator[Example | Reject]]
    needs: frozenset[str] = frozenset()  # options the stage's payloads carry for this task


@dataclass(frozen=True, slots=True)
class Replay:
    """How ``validate --execute`` re-runs a task's records in the sandbox.

    Records with the same ``group`` key share one run of ``func`` on ``payload(group)``;
    ``problems(group, outcome)`` says what no longer holds (``file:line: reason``).
    """

    func: str
    group: Callable[[Record], str]
    payload: Callable[[list[Located]], Any]
    problems: Callable[[list[Located], Outcome], Iterator[str]]


# (record, source name -> folder its paths are relative to) -> "" when the quoted text is
# found at its provenance (or nothing is quoted), a reason when it is not, None when the
# source cannot be read
ProvenanceCheck = Callable[[Record, Mapping[str, Path]], str | None]


@dataclass(frozen=True, slots=True)
class Task:
    """Everything a task declares: fields, reasons, checks and how (or whether) it mines."""

    name: str
    fields: Fields
    # one miner, several (error_resolution mines programs, and commits), or None
    miner: Direct | TwoPhase | tuple[Direct | TwoPhase, ...] | None
    meta: tuple[MetaKey, ...] = OPEN_PROVENANCE  # the keys its records' meta may hold, in order
    reasons: tuple[Reason, ...] = ()
    checks: tuple[Check, ...] = ()
    provenance: ProvenanceCheck | None = None
    replay: Replay | None = None
    stats_keys: tuple[str, ...] = field(default=())  # meta keys ``stats`` breaks counts by
    # the task's examples (exact duplicates gone) -> for each, None to keep it or the reject
    # it is dropped for (one target per input, say); None: every example is kept
    select: Callable[[list[Example]], list[Reject | None]] | None = None
    # near-duplicates are sought within these groups (ibis_to_sql: one per dialect)
    dedup_group: Callable[[Example], str] | None = None
    # of near-duplicates, the one with the highest value is kept (after more checks passed)
    informative: Callable[[Example], int] | None = None
    # "part.field" holding the task's Ibis program: the records of every task holding the
    # same program land in one split (its SQL in each dialect, its twin, its mistakes)
    program_field: str | None = None
    # record -> (the user's turn, the assistant's turn) of ``export --format chat``
    render: Callable[[Record], tuple[str, str]] | None = None

    @property
    def miners(self) -> tuple[Direct | TwoPhase, ...]:
        """The task's miners (none while it has none)."""
        if self.miner is None:
            return ()
        return self.miner if isinstance(self.miner, tuple) else (self.miner,)

    @property
    def direct(self) -> tuple[Direct, ...]:
        """The task's direct miners."""
        return tuple(m for m in self.miners if isinstance(m, Direct))

    def taking(self, stage: JobStage) -> TwoPhase | None:
        """The task's miner that takes ``stage``'s jobs, if any."""
        return next((m for m in self.miners if isinstance(m, TwoPhase) and m.stage is stage), None)

    @property
    def consumes(self) -> tuple[str, ...]:
        """The unit kinds this task's miners read (none without a miner)."""
        kinds = (m.consumes if isinstance(m, Direct) else m.stage.consumes for m in self.miners)
        return tuple(dict.fromkeys(k for ks in kinds for k in ks))
