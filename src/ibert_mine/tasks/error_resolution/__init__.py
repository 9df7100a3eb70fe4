"""error_resolution: broken code and the real error it raises -> the fixed code and why.

Two miners, one per origin:

- ``executed`` (:mod:`.executed`): verified programs of the ``programs`` stage with one
  mistake made in them (pandas habits, misspelt or foreign columns, incompatible types,
  Python operators where Ibis needs its own, API names Ibis renamed or removed), run in the
  sandbox to the error a user sees; the fix is the program as found;
- ``git`` (:mod:`.git_fixes`): fix commits of a git checkout's history, the function
  before and after (described by the commit, not executed).

``validate --execute`` re-runs executed records (:mod:`.replay`).
"""

from __future__ import annotations

from ibert_mine.core.meta import MetaKey
from ibert_mine.tasks import program_jobs
from ibert_mine.tasks.chat_format import fenced, join, tables
from ibert_mine.tasks.contract import Fields, Task, TwoPhase
from ibert_mine.tasks.error_resolution import executed, git_fixes
from ibert_mine.tasks.error_resolution.replay import REPLAY

NAME = "error_resolution"

META: tuple[MetaKey, ...] = (*executed.META, *git_fixes.OWN_KEYS)


def render(record: dict) -> tuple[str, str]:
    """The user's turn (the code, then its error) and the assistant's (the fix and why)."""
    inp, target = record["input"], record["target"]
    ask = join("This code fails:", fenced(inp["broken_code"]), "with:",
               fenced(inp["error"], "text"), tables(record), "How do I fix it?")  # fmt: skip
    return ask, join(target["explanation"], fenced(target["fixed_code"]))


TASK = Task(
    name=NAME,
    fields=Fields(
        input_required=("broken_code", "error"),
        target_required=("fixed_code", "explanation"),
        python=("input.broken_code", "target.fixed_code"),
    ),
    miner=(
        TwoPhase(
            program_jobs.STAGE,
            kinds=(program_jobs.PROGRAM,),
            examples=executed.examples,
            needs=frozenset({program_jobs.MISTAKES}),
        ),
        git_fixes.MINER,
    ),
    meta=META,
    reasons=(*executed.REASONS, *git_fixes.REASONS),
    provenance=git_fixes.provenance,
    replay=REPLAY,
    stats_keys=("mistake",),
    select=executed.select,
    dedup_group=lambda example: str(example.meta.get("mistake") or example.meta.get("origin")),
    program_field="target.fixed_code",
    render=render,
)
