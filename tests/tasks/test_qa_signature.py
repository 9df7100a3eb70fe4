"""The signature a how_to lead shows: parameters as a caller passes them, as written."""

from __future__ import annotations

import pytest

from ibert_mine.sources.provenance import Provenance
from ibert_mine.sources.python import parse_module
from ibert_mine.tasks.qa.api_subjects import signature

SOURCE = '''\
import functools


def connect(resource, /, *args, timeout: float = 2.5, **kwargs) -> None:
    """Connect."""


class Table:
    def join(self, right: "Table", /, predicates=(), *, how: str = "inner") -> "Table":
        """Join."""

    @classmethod
    def from_rows(cls, rows, *, names=None):
        """Build."""

    @staticmethod
    def helper(x, y=1):
        """Help."""

    @property
    def columns(self):
        """Columns."""

    @functools.cached_property
    def schema(self):
        """Schema."""

    def count(self):
        """Count."""

    def spread(self, sep={
        "a": 1,
    }):
        """Spread."""
'''

EXPECTED = {
    "connect": "resource, /, *args, timeout=2.5, **kwargs",
    "Table.join": 'right, /, predicates=(), *, how="inner"',
    "Table.from_rows": "rows, *, names=None",
    "Table.helper": "x, y=1",
    "Table.columns": None,  # read as an attribute
    "Table.schema": None,
    "Table.count": "",
    "Table.spread": None,  # a default over several lines
}


@pytest.mark.parametrize("qualname", EXPECTED)
def test_signature(qualname: str) -> None:
    unit = parse_module(SOURCE, Provenance("src", "m.py"))
    definition = next(d for d in unit.definitions if d.qualname == qualname)
    assert signature(unit, definition) == EXPECTED[qualname]
