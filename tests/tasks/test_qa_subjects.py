"""How qa names a definition (as users call it, or not at all) and the signature a how_to
lead shows: the parameters as a caller passes them, as written."""

from __future__ import annotations

import pytest

from ibert_mine.sources.provenance import Provenance
from ibert_mine.sources.python import parse_module
from ibert_mine.tasks.qa.api_subjects import signature, subject

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


EXPORTS = frozenset({("schema", "ibis.expr.api"), ("connect", "ibis.backends")})
MODULES = {
    "ibis/expr/api.py": "def schema(pairs=None):\n    ...\n",
    "ibis/expr/schema.py": "def schema(value):\n    ...\n",  # not the ibis.schema users call
    "ibis/expr/types/joins.py": "def prepare_predicates(left, right):\n    ...\n",
    "ibis/selectors.py": "def numeric():\n    ...\n",
    "ibis/backends/__init__.py": "def connect(resource):\n    ...\n",
    "ibis/backends/duckdb/__init__.py": (
        "def helper():\n    ...\n\n\nclass Backend:\n"
        "    def do_connect(self, database=':memory:'):\n"
        "        ...\n\n    @classmethod\n    def from_connection(cls, con, /):\n        ...\n\n"
        "    def read_csv(self, path):\n        ...\n"
    ),
}
NAMES = {
    ("ibis/expr/api.py", "schema"): "ibis.schema",
    ("ibis/expr/schema.py", "schema"): None,
    ("ibis/expr/types/joins.py", "prepare_predicates"): None,  # a helper
    ("ibis/selectors.py", "numeric"): "ibis.selectors.numeric",
    ("ibis/backends/__init__.py", "connect"): "ibis.connect",
    ("ibis/backends/duckdb/__init__.py", "helper"): None,
    ("ibis/backends/duckdb/__init__.py", "Backend.do_connect"): "ibis.duckdb.connect",
    ("ibis/backends/duckdb/__init__.py", "Backend.from_connection"): "ibis.duckdb.from_connection",
    ("ibis/backends/duckdb/__init__.py", "Backend.read_csv"): "Backend.read_csv",
}


@pytest.mark.parametrize(("path", "qualname"), NAMES)
def test_definitions_are_named_as_users_call_them(path: str, qualname: str) -> None:
    unit = parse_module(MODULES[path], Provenance("src", path))
    definition = next(d for d in unit.definitions if d.qualname == qualname)
    found = subject(path, definition, EXPORTS)
    assert (found.name if found else None) == NAMES[(path, qualname)]
