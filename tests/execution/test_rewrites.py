"""The pure SQL rewrites, case by case from fixture files: readable SQL and decompiled Ibis."""

from __future__ import annotations

import pytest

from ibert_mine.execution.decompile import recovered_program
from ibert_mine.execution.readable import readable_sql
from ibert_mine.execution.tables import fixed_names
from tests.conftest import fixture_cases

DUCKDB_TYPES = {
    "t": {"a": "BIGINT", "b": "VARCHAR", "Total": "DOUBLE"},
    "u": {"a": "BIGINT", "c": "DATE"},
}
IBIS_TYPES = {
    "t": {"a": "int64", "b": "string", "Total": "float64"},
    "u": {"a": "int64", "c": "date"},
}


@pytest.mark.parametrize(("sql", "expected"), fixture_cases("readable.sql"))
def test_readable_sql(sql: str, expected: str) -> None:
    assert readable_sql(sql, DUCKDB_TYPES) == expected


@pytest.mark.parametrize(("sql", "expected"), fixture_cases("decompile.sql"))
def test_decompiled_program(sql: str, expected: str) -> None:
    with fixed_names(sql):
        program = recovered_program(sql, IBIS_TYPES)
    assert (program or "None").rstrip() == expected
