"""The draws of synthetic data a pair is compared on.

- :data:`SUITE`: every pair runs on the first :data:`SMALL_DRAWS` of these (and on larger
  ones until a result has rows); odd seeds carry the query's literals, the last draws are
  larger so that many-way joins with selective filters meet.
- :data:`AIMED`: the draws that kill a pair's mutants (:mod:`ibert_mine.execution.kill`),
  aimed at the query's literals (:func:`ibert_mine.execution.data.synthetic_tables`). The
  ones that killed a mutant are recorded in ``meta.mutants.draws`` and replayed.
- :data:`EQUIVALENCE`: two more draws, a large aimed one and a plain random one (even
  seed: no literals; 120 rows, as large as the suite's, where many-way joins stay small),
  that tell a mutant no draw of the budget killed from one that returns the
  same rows as the query.

A draw is a pure function of (schemas, seed, rows, aimed, the query's literals).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ibert_mine.execution.data import synthetic_tables


@dataclass(frozen=True, slots=True)
class Draw:
    """One draw of synthetic tables: its seed, rows per table, and whether it is aimed."""

    seed: int
    rows: int
    aimed: bool = False


SUITE = (Draw(0, 24), Draw(1, 24), Draw(2, 24), Draw(3, 24), Draw(5, 120), Draw(7, 400))
SMALL_DRAWS = 4
AIMED = tuple(
    Draw(seed, rows, aimed=True)
    for seed, rows in ((101, 24), (103, 24), (105, 60), (107, 60), (109, 150), (111, 150))
)
EQUIVALENCE = (Draw(997, 300, aimed=True), Draw(998, 120))  # aimed, and plain random


def aimed_draw(seed: int, rows: int) -> Draw:
    """The aimed draw recorded as ``[seed, rows]`` in ``meta.mutants.draws``."""
    return Draw(int(seed), int(rows), aimed=True)


def load_draw(
    con: Any,
    schemas: dict[str, dict[str, str]],
    draw: Draw,
    hints: Sequence[Any],
    aim_hints: Sequence[Any],
) -> None:
    """Register the tables of ``draw`` on ``con`` (a DuckDB connection), replacing those of
    an earlier draw: a suite draw with odd seed carries ``hints``; an aimed draw is aimed
    at ``aim_hints``."""
    if draw.aimed:
        tables = synthetic_tables(schemas, draw.seed, draw.rows, aim_hints, aim=True)
    else:
        tables = synthetic_tables(schemas, draw.seed, draw.rows, hints if draw.seed % 2 else ())
    for name, table in tables.items():
        con.register(name, table)
