"""The tables hand-written SQL reads, case by case from a fixture file."""

from __future__ import annotations

import pytest

from ibert_mine.core.reasons import Reject
from ibert_mine.programs.human_sql import sql_tables
from tests.conftest import fixture_cases


@pytest.mark.parametrize(("sql", "expected"), fixture_cases("sql_tables.sql"))
def test_sql_tables(sql: str, expected: str) -> None:
    found = sql_tables(sql, "duckdb")
    shown = f"reject: {found.key}" if isinstance(found, Reject) else ", ".join(found)
    assert shown == expected
