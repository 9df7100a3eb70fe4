"""The programs of a unit, found once: where each kind of unit keeps its Ibis programs.

- a page or notebook: its Python cells read as one session, its SQL cells as hand-written
  SQL (:mod:`~ibert_mine.programs.sessions`);
- the TPC-H / TPC-DS query modules of an Ibis checkout: each query test with its SQL file
  (:mod:`~ibert_mine.programs.tpc`);
- any other Python module: doctests, test functions (with the schemas of the pytest
  fixtures its ``conftest.py`` files show) and plain code (:mod:`~ibert_mine.programs.modules`).

Nothing here runs code; every candidate that is not a program comes out as a ``Reject``.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from ibert_mine.core.reasons import TOO_DEEPLY_NESTED, Reason, Reject
from ibert_mine.programs import human_sql, program, tpc
from ibert_mine.programs.fixtures import fixtures_for
from ibert_mine.programs.human_sql import HumanSql
from ibert_mine.programs.modules import is_test_path, programs
from ibert_mine.programs.program import Program
from ibert_mine.programs.sessions import doc_programs
from ibert_mine.programs.tpc import is_tpc_module, tpc_pairs
from ibert_mine.sources.ddl import Schema
from ibert_mine.sources.pages import PageUnit
from ibert_mine.sources.python import ModuleUnit

Found = Program | HumanSql | Reject
PROGRAM_REASONS: tuple[Reason, ...] = program.REASONS + tpc.REASONS
HUMAN_SQL_REASONS: tuple[Reason, ...] = human_sql.REASONS


def find_programs(unit: ModuleUnit | PageUnit, table_schemas: Mapping[str, Schema]) -> list[Found]:
    """Every candidate program of ``unit`` and its hand-written SQL, in source order.

    ``table_schemas`` are the tables known from ``--schema`` DDL files (TPC-DS).
    """
    if isinstance(unit, PageUnit):
        return doc_programs(unit)
    where = unit.provenance
    fixtures = {}
    if is_test_path(where.path) and where.root is not None and where.base is not None:
        fixtures = fixtures_for(where.root, where.base, where.path, unit.tree)
    try:
        if is_tpc_module(where.path):
            return list(tpc_pairs(unit, where.base or Path("."), table_schemas))
        return list(programs(unit, fixtures))
    except RecursionError:
        return [TOO_DEEPLY_NESTED()]
