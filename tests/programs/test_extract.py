"""Static program extraction: slicing, doctest and test-function programs, fixture schemas.

Nothing here runs a snippet: these tests only parse text (no sandbox).
"""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest

from ibert_mine.core.reasons import Reject
from ibert_mine.programs.fixtures import fixtures_for, module_fixtures, schema_registry
from ibert_mine.programs.modules import is_test_path, programs
from ibert_mine.programs.program import Program, TableSource
from ibert_mine.programs.sessions import printed_schema
from ibert_mine.programs.slicing import (
    Stmt,
    assigned_names,
    backward_slice,
    is_safe_import,
    loaded_names,
)
from ibert_mine.sources.provenance import Provenance
from ibert_mine.sources.python import ModuleUnit, parse_module
from tests.conftest import MODULE_DOC
from tests.conftest import reject_named as _reject

# --- helpers -------------------------------------------------------------------------------


def stmts_of(code: str) -> list[Stmt]:
    """The statements of ``code`` as the slicer takes them (one per top-level node)."""
    code = textwrap.dedent(code)
    tree = ast.parse(code)
    return [
        Stmt(node, ast.get_source_segment(code, node) or "", node.lineno, node.end_lineno or 0)
        for node in tree.body
    ]


def texts(stmts: tuple[Stmt, ...]) -> list[str]:
    return [s.text for s in stmts]


def unit_of(text: str, path: str = "pkg/mod.py") -> ModuleUnit:
    unit = parse_module(text, Provenance("fixture", path))
    assert isinstance(unit, ModuleUnit)
    return unit


def doctest_module(*lines: str, name: str = "f") -> str:
    """A module with one function whose docstring is the given ``>>>`` session."""
    body = "\n".join(f"    {line}" if line else "" for line in lines)
    return f'"""Doc module."""\n\n\ndef {name}():\n    """Show things.\n\n{body}\n    """\n'


def line_of(text: str, needle: str) -> int:
    """1-based line of the first line of ``text`` containing ``needle``."""
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


MEMTABLE = 't = ibis.memtable({"a": [1, 2], "b": ["x", "y"]})'

# --- slicing -------------------------------------------------------------------------------


def test_slice_keeps_only_what_the_candidate_needs() -> None:
    stmts = stmts_of(
        """
        import ibis
        t = ibis.memtable({"a": [1, 2]})
        unrelated = ibis.literal(5)
        n = 1
        expr = t.filter(t.a > n)
        other = unrelated + 1
        expr.select("a")
        """
    )
    sliced = backward_slice(stmts, 6, {1: "t"})
    assert texts(sliced.stmts) == ["n = 1", "expr = t.filter(t.a > n)"]
    assert sliced.tables == (1,)  # the index of the statement defining ``t``
    assert sliced.unresolved == ()


def test_table_definitions_become_tables_not_statements() -> None:
    stmts = stmts_of(
        """
        t = ibis.table({"a": "int64"}, name="t")
        u = ibis.memtable({"b": [1]})
        t.join(u, t.a == u.b)
        """
    )
    sliced = backward_slice(stmts, 2, {0: "t", 1: "u"})
    assert sliced.stmts == ()
    assert sliced.tables == (0, 1)
    assert sliced.unresolved == ()


def test_reassignment_reads_the_previous_value() -> None:
    stmts = stmts_of(
        """
        t = t.filter(t.a > 1)
        t.select("a")
        """
    )
    assert loaded_names(stmts[0].node) == {"t"}
    sliced = backward_slice(stmts, 1, {})
    assert texts(sliced.stmts) == ["t = t.filter(t.a > 1)"]
    assert sliced.unresolved == ("t",)  # the incoming ``t`` is still needed


def test_reassigned_table_is_still_a_table() -> None:
    stmts = stmts_of(
        """
        t = ibis.memtable({"a": [1]})
        t = t.mutate(b=t.a + 1)
        t.b.sum()
        """
    )
    sliced = backward_slice(stmts, 2, {0: "t"})
    assert texts(sliced.stmts) == ["t = t.mutate(b=t.a + 1)"]
    assert sliced.tables == (0,)
    assert sliced.unresolved == ()


def test_bound_names_are_not_free() -> None:
    node = ast.parse("t.select(lambda x: x.a + k, *[t[c] for c in cols], **{n: 1 for n in m})")
    assert loaded_names(node) == {"t", "k", "cols", "m"}
    assert loaded_names(ast.parse("len(str(x))")) == {"x"}  # builtins are not free


def test_a_name_bound_in_a_lambda_is_free_outside_it() -> None:
    # TPC-DS query 41: ``lambda s: ...`` inside, the ``s`` of ``import selectors as s`` outside
    node = ast.parse("t.filter(lambda s: s.a > 1).order_by(s.all())")
    assert loaded_names(node) == {"t", "s"}
    node = ast.parse("[x + y for x in xs if x > lo for y in f(x)] + [x]")
    assert loaded_names(node) == {"xs", "lo", "f", "x"}
    node = ast.parse("def g(a, *rest, k=d):\n    return a + b\n")
    assert loaded_names(node) == {"d", "b"}
    # decorators and annotations are read where the function is defined
    node = ast.parse("@dec(x)\ndef f(a: T = d) -> R:\n    return a\n")
    assert loaded_names(node) == {"dec", "x", "T", "d", "R"}


def test_assigned_names() -> None:
    assert assigned_names(ast.parse("a, (b, c) = x").body[0]) == {"a", "b", "c"}
    assert assigned_names(ast.parse("a[0] = x").body[0]) == set()
    assert assigned_names(ast.parse("import ibis.selectors as s").body[0]) == {"s"}
    assert assigned_names(ast.parse("import ibis.expr.types").body[0]) == {"ibis"}
    assert assigned_names(ast.parse("from ibis import _, desc").body[0]) == {"_", "desc"}
    assert assigned_names(ast.parse("n += 1").body[0]) == {"n"}


def test_imports_in_the_slice() -> None:
    stmts = stmts_of(
        """
        import ibis
        from ibis import _
        import ibis.selectors as s
        import datetime
        t = ibis.memtable({"a": [1]})
        t.select(s.numeric()).mutate(b=_.a + 1, c=ibis.literal(1))
        """
    )
    sliced = backward_slice(stmts, 5, {4: "t"})
    # ``import ibis`` is implied by every program; the others are kept when used
    assert texts(sliced.stmts) == ["from ibis import _", "import ibis.selectors as s"]
    assert sliced.unresolved == ()


def test_augmented_assignment_keeps_earlier_definition() -> None:
    stmts = stmts_of(
        """
        n = 1
        n += 1
        t.limit(n)
        """
    )
    sliced = backward_slice(stmts, 2, {})
    assert texts(sliced.stmts) == ["n = 1", "n += 1"]
    assert sliced.unresolved == ("t",)


@pytest.mark.parametrize(
    ("code", "safe"),
    [
        ("import ibis", True),
        ("from ibis import _", True),
        ("import ibis.selectors as s", True),
        ("import ibis.expr.datatypes as dt", True),
        ("from ibis.expr import types", True),
        ("import numpy as np", True),
        ("from datetime import date", True),
        ("import os", False),
        ("import os.path", False),
        ("import ibis, os", False),
        ("from ibis.backends.duckdb import Backend", False),
        ("import ibis.backends.duckdb", False),
        ("from ibis.tests.util import assert_equal", False),
        ("from . import helpers", False),
        ("import ibisx", False),
        ("x = 1", False),
    ],
)
def test_is_safe_import(code: str, safe: bool) -> None:
    assert is_safe_import(ast.parse(code).body[0]) is safe


# --- printed table headers -----------------------------------------------------------------

HEADER = """\
┏━━━━━━━┳━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━┓
┃ a     ┃ b      ┃ c                    ┃
┡━━━━━━━╇━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━┩
│ int64 │ string │ struct<x: !float64>  │
├───────┼────────┼──────────────────────┤
│     1 │ x      │ {'x': 1.0}           │
└───────┴────────┴──────────────────────┘
"""


def test_printed_schema_reads_a_whole_header() -> None:
    assert printed_schema(HEADER) == (
        ("a", "int64"),
        ("b", "string"),
        ("c", "struct<x: !float64>"),
    )


def test_printed_schema_refuses_partial_headers() -> None:
    truncated = """\
┏━━━━━━━┳━━━┓
┃ a     ┃ … ┃
┡━━━━━━━╇━━━┩
│ int64 │ … │
└───────┴───┘
"""
    assert printed_schema(truncated) is None
    cut_type = HEADER.replace("struct<x: !float64> ", "struct<x: !floa…    ")
    assert printed_schema(cut_type) is None
    assert printed_schema("┃ a ┃ b ┃\n") is None  # no type row
    assert printed_schema("┃ a ┃ b ┃\n┡━━━╇━━━┩\n│ int64 │\n") is None  # widths disagree
    assert printed_schema("(1, 2)\n") is None
    assert printed_schema("") is None


# --- doctest programs ----------------------------------------------------------------------


def test_doctest_program_from_memtable() -> None:
    text = doctest_module(
        ">>> import ibis",
        f">>> {MEMTABLE}",
        ">>> unrelated = ibis.literal(5)",
        '>>> t.filter(t.a > 1).select("b")',
    )
    found = list(programs(unit_of(text), {}))
    wanted = [p for p in found if isinstance(p, Program) and "filter" in p.code]
    assert len(wanted) == 1
    program = wanted[0]
    assert program.code == 't.filter(t.a > 1).select("b")\n'
    assert program.tables == (
        ("t", TableSource(source="ibis.memtable({'a': [1, 2], 'b': ['x', 'y']})")),
    )
    assert program.origin == "doctest"
    assert program.symbol == "f"
    line = line_of(text, ">>> t.filter")
    assert program.lines == (line, line)


def test_doctest_assignment_candidate_returns_the_name() -> None:
    text = doctest_module(
        ">>> import ibis",
        ">>> t = ibis.table({'a': 'int64'}, name='t')",
        ">>> expr = t.group_by('a').agg(n=t.a.count())",
        ">>> expr.order_by('n')",
    )
    found = [p for p in programs(unit_of(text), {}) if isinstance(p, Program)]
    assert [p.code for p in found] == [
        "expr = t.group_by('a').agg(n=t.a.count())\nexpr\n",
        "expr = t.group_by('a').agg(n=t.a.count())\nexpr.order_by('n')\n",
    ]
    assert found[1].lines == (line_of(text, ">>> expr = "), line_of(text, ">>> expr.order_by"))
    assert found[1].tables == (("t", TableSource(source="ibis.table({'a': 'int64'}, name='t')")),)


def test_doctest_multiline_example_lines() -> None:
    text = doctest_module(
        ">>> import ibis",
        f">>> {MEMTABLE}",
        ">>> t.mutate(",
        "...     c=t.a + 1,",
        "... )",
    )
    [program] = [p for p in programs(unit_of(text), {}) if isinstance(p, Program)]
    assert program.code == "t.mutate(\n    c=t.a + 1,\n)\n"
    assert program.lines == (line_of(text, ">>> t.mutate("), line_of(text, "... )"))


def test_doctest_io_call_is_rejected() -> None:
    text = doctest_module(">>> import ibis", f">>> {MEMTABLE}", ">>> t.a.sum().execute()")
    assert list(programs(unit_of(text), {})) == [_reject("io_call")]


@pytest.mark.parametrize(
    "call",
    ["t.to_pandas()", "con.raw_sql('select 1')", "ibis.read_csv('x.csv')", "open('f').read()"],
)
def test_other_io_calls_are_rejected(call: str) -> None:
    text = doctest_module(
        ">>> import ibis", f">>> {MEMTABLE}", ">>> con = ibis.duckdb.connect()", f">>> {call}"
    )
    assert _reject("io_call") in list(programs(unit_of(text), {}))


def test_doctest_nondeterministic_call_is_rejected() -> None:
    text = doctest_module(
        ">>> import ibis",
        ">>> import datetime",
        ">>> ibis.literal(datetime.datetime.now())",
        ">>> import random",
        ">>> ibis.literal(random.random())",
        ">>> ibis.now() + ibis.interval(days=1)",
    )
    found = list(programs(unit_of(text), {}))
    assert found[:2] == [_reject("nondeterministic"), _reject("nondeterministic")]
    # ibis.now() compiles to SQL: it is not a Python-side random value
    assert isinstance(found[2], Program)
    assert found[2].code == "ibis.now() + ibis.interval(days=1)\n"


def test_doctest_unsafe_import_and_unresolved_name() -> None:
    text = doctest_module(
        ">>> import ibis",
        ">>> import os",
        ">>> ibis.literal(os.sep)",
        ">>> u.filter(u.a > 1)",
    )
    assert list(programs(unit_of(text), {})) == [
        _reject("unsafe_import"),
        _reject("unresolved_name"),
    ]


def test_non_ibis_code_is_rejected_and_checks_are_not_candidates() -> None:
    text = doctest_module(
        ">>> x = [1, 2]",
        ">>> len(x) + 1",
        ">>> assert len(x) == 2",
        ">>> print(x)",
    )
    assert list(programs(unit_of(text), {})) == [_reject("not_ibis")]


def test_examples_fetch_gets_schema_from_a_printed_header() -> None:
    text = doctest_module(
        ">>> import ibis",
        ">>> p = ibis.examples.penguins.fetch()",
        ">>> p",
        "┏━━━━━━━┳━━━━━━━━┓",
        "┃ a     ┃ b      ┃",
        "┡━━━━━━━╇━━━━━━━━┩",
        "│ int64 │ string │",
        "├───────┼────────┤",
        "│     1 │ x      │",
        "└───────┴────────┘",
        '>>> p.group_by("b").agg(n=p.a.sum())',
    )
    [program] = list(programs(unit_of(text), {}))
    assert isinstance(program, Program)
    assert program.code == 'p.group_by("b").agg(n=p.a.sum())\n'
    assert program.tables == (("p", TableSource(schema=(("a", "int64"), ("b", "string")))),)


def test_examples_fetch_with_truncated_header_is_dropped() -> None:
    text = doctest_module(
        ">>> import ibis",
        ">>> q = ibis.examples.starwars.fetch()",
        ">>> q",
        "┏━━━━━━━┳━━━┓",
        "┃ a     ┃ … ┃",
        "┡━━━━━━━╇━━━┩",
        "│ int64 │ … │",
        "└───────┴───┘",
        ">>> q.a.max()",
    )
    found = list(programs(unit_of(text), {}))
    assert found and all(isinstance(item, Reject) for item in found)


def test_examples_fetch_without_any_header_is_dropped() -> None:
    text = doctest_module(
        ">>> import ibis", ">>> q = ibis.examples.starwars.fetch()", ">>> q.a.max()"
    )
    assert not [p for p in programs(unit_of(text), {}) if isinstance(p, Program)]


def test_module_doc_fixture_programs() -> None:
    found = list(programs(unit_of(MODULE_DOC, "fixpkg/helpers.py"), {}))
    assert found == [
        Program(
            code='expr = t.filter(t.a > 1).select("b")\nexpr\n',
            tables=(
                ("t", TableSource(source="ibis.table({'a': 'int64', 'b': 'string'}, name='t')")),
            ),
            origin="doctest",
            symbol="numpy_style",
            lines=(line_of(MODULE_DOC, ">>> expr = "),) * 2,
        )
    ]


def test_syntax_errors_in_doctests_are_skipped() -> None:
    text = doctest_module(">>> import ibis", ">>> t = (", f">>> {MEMTABLE}", ">>> t.a + 1")
    [program] = list(programs(unit_of(text), {}))
    assert isinstance(program, Program)
    assert program.code == "t.a + 1\n"


def test_redefined_table_uses_the_definition_before_the_candidate() -> None:
    text = doctest_module(
        ">>> import ibis",
        '>>> t = ibis.memtable({"a": [1, 2]})',
        ">>> t.a + 1",
        '>>> t = ibis.memtable({"s": ["x"]})',
        ">>> t.s.length()",
    )
    first, second = list(programs(unit_of(text), {}))
    assert isinstance(first, Program) and isinstance(second, Program)
    assert second.tables == (("t", TableSource(source="ibis.memtable({'s': ['x']})")),)
    # today: ibis.memtable({'s': ['x']}) too, so the program fails with AttributeError 'a'
    assert first.tables == (("t", TableSource(source="ibis.memtable({'a': [1, 2]})")),)


def test_memtable_of_a_variable_is_self_contained_or_rejected() -> None:
    """A table source is evaluated with only ``ibis`` in scope: it may read nothing else."""
    text = doctest_module(
        ">>> import ibis",
        '>>> data = {"a": [1, 2]}',
        ">>> t = ibis.memtable(data)",
        ">>> t.a + 1",
    )
    for item in programs(unit_of(text), {}):
        if isinstance(item, Program):
            for _, spec in item.tables:
                if spec.source is not None:
                    free = loaded_names(ast.parse(spec.source)) - {"ibis"}
                    assert not free, f"{spec.source} reads {free}"


# --- test functions and fixtures -----------------------------------------------------------

CONFTEST = """\
import ibis
import pytest

MOCK = {"alltypes": [("id", "int32"), ("s", "string")]}


@pytest.fixture
def schema():
    return [("a", "int64"), ("b", "string")]


@pytest.fixture
def table(schema):
    return ibis.table(schema, name="table")


@pytest.fixture(scope="module")
def alltypes(con):
    return con.table("alltypes")


@pytest.fixture
def con():
    return ibis.duckdb.connect()


@pytest.fixture
def not_a_table():
    return 42
"""

TEST_MODULE = """\
import ibis
import pytest
from ibis import _

u = ibis.table({"k": "string"}, name="u")


@pytest.fixture
def own():
    return ibis.table([("o", "date")], name="own")


def test_a(table):
    expr = table.filter(table.a > 1)
    assert expr is not None


def test_b(alltypes, con):
    alltypes.group_by("s").agg(n=_.id.sum())
    alltypes.id.sum().execute()


def test_c(t):
    t = t.filter(t.a > 1)


def test_d():
    v = ibis.table({"x": "int8"}, name="v")
    v.x + 1


class TestThing:
    def test_m(self, table, own):
        expr = (
            table.filter(table.a > 1)
            .select("b")
        )
        own.o.year()
        u.k.upper()


def helper(table):
    table.a + 1
"""


@pytest.fixture
def test_tree(tmp_path: Path) -> Path:
    """``pkg/tests/{conftest,test_x}.py`` and a nested folder overriding ``table``."""
    tests = tmp_path / "pkg" / "tests"
    (tests / "sub").mkdir(parents=True)
    (tests / "conftest.py").write_text(CONFTEST)
    (tests / "test_x.py").write_text(TEST_MODULE)
    (tests / "sub" / "conftest.py").write_text(
        "import ibis\nimport pytest\n\n\n@pytest.fixture\ndef table():\n"
        '    return ibis.table({"z": "float64"}, name="table")\n'
    )
    return tmp_path


def test_fixtures_for_reads_conftest_schemas(test_tree: Path) -> None:
    tree = ast.parse(TEST_MODULE)
    found = fixtures_for(test_tree / "pkg", test_tree, "pkg/tests/test_x.py", tree)
    assert found == {
        "table": (("a", "int64"), ("b", "string")),
        "alltypes": (("id", "int32"), ("s", "string")),
        "own": (("o", "date"),),
    }


def test_nearest_conftest_wins(test_tree: Path) -> None:
    tree = ast.parse("def test_z(table):\n    table.z + 1\n")
    found = fixtures_for(test_tree / "pkg", test_tree, "pkg/tests/sub/test_z.py", tree)
    assert found["table"] == (("z", "float64"),)
    assert found["alltypes"] == (("id", "int32"), ("s", "string"))  # from the parent folder


def test_own_fixtures_win_over_conftest(test_tree: Path) -> None:
    tree = ast.parse(
        "import ibis, pytest\n@pytest.fixture\ndef table():\n"
        "    return ibis.table({'q': 'int8'}, name='table')\n"
    )
    found = fixtures_for(test_tree / "pkg", test_tree, "pkg/tests/test_q.py", tree)
    assert found["table"] == (("q", "int8"),)


def test_schema_registry_and_module_fixtures() -> None:
    tree = ast.parse(CONFTEST + 'OTHER = {"a": 1}\nMIXED = {"t": [("a", "int64")], "u": 3}\n')
    registry = schema_registry(tree)
    assert registry == {"alltypes": (("id", "int32"), ("s", "string"))}
    assert module_fixtures(tree, registry) == {
        "table": (("a", "int64"), ("b", "string")),
        "alltypes": (("id", "int32"), ("s", "string")),
    }


def test_test_function_programs(test_tree: Path) -> None:
    rel = "pkg/tests/test_x.py"
    fixtures = fixtures_for(test_tree / "pkg", test_tree, rel, ast.parse(TEST_MODULE))
    found = list(programs(unit_of(TEST_MODULE, rel), fixtures))
    made = [p for p in found if isinstance(p, Program)]
    rejected = [r.key for r in found if isinstance(r, Reject)]
    assert all(p.origin == "test" for p in made)
    by_code = {p.code: p for p in made}
    table_schema = (("a", "int64"), ("b", "string"))

    a = by_code["expr = table.filter(table.a > 1)\nexpr\n"]
    assert a.symbol == "test_a"
    assert a.tables == (("table", TableSource(schema=table_schema, from_fixture=True)),)
    assert a.lines == (line_of(TEST_MODULE, "expr = table.filter(table.a > 1)"),) * 2

    b = by_code['from ibis import _\nalltypes.group_by("s").agg(n=_.id.sum())\n']
    assert b.tables == (
        ("alltypes", TableSource(schema=(("id", "int32"), ("s", "string")), from_fixture=True)),
    )
    assert b.lines == (line_of(TEST_MODULE, "alltypes.group_by"),) * 2

    d = by_code["v.x + 1\n"]
    assert d.tables == (("v", TableSource(source="ibis.table({'x': 'int8'}, name='v')")),)

    m = by_code['expr = (\n    table.filter(table.a > 1)\n    .select("b")\n)\nexpr\n']
    assert m.symbol == "TestThing.test_m"
    assert m.lines == (line_of(TEST_MODULE, "expr = ("), line_of(TEST_MODULE, "        )"))
    assert by_code["own.o.year()\n"].tables == (
        ("own", TableSource(schema=(("o", "date"),), from_fixture=True)),
    )
    assert by_code["u.k.upper()\n"].tables == (
        ("u", TableSource(source="ibis.table({'k': 'string'}, name='u')")),
    )
    # .execute() is I/O; ``t`` of test_c is no known fixture; helper() is no test
    assert sorted(rejected) == ["io_call", "unresolved_name"]
    assert not any("helper" in p.symbol for p in made)
    assert len(made) == 6


def test_plain_code_uses_its_own_tables_and_no_fixtures() -> None:
    found = list(programs(unit_of(TEST_MODULE, "pkg/mod.py"), {"table": (("a", "int64"),)}))
    made = [p for p in found if isinstance(p, Program)]
    assert {p.code for p in made} == {
        "v.x + 1\n",
        "u.k.upper()\n",
    }
    assert {p.origin for p in made} == {"code"}
    # outside tests, parameters are not fixtures: ``table`` stays unresolved
    assert {r.key for r in found if isinstance(r, Reject)} == {"unresolved_name"}


def test_plain_code_without_tables_is_not_sliced() -> None:
    module = "import ibis\n\ndef f(t):\n    return t.filter(t.a > 1)\n\nx = f(1)\n"
    assert list(programs(unit_of(module, "pkg/mod.py"), {})) == []


SCRIPT = """\
import ibis

t = ibis.table({"a": "int64", "b": "string"}, name="events")
by_b = t.group_by("b").agg(n=t.a.sum())


def report():
    return t.filter(t.a > 0).b.nunique()
"""


def test_script_top_level_and_functions_are_programs() -> None:
    made = [p for p in programs(unit_of(SCRIPT, "scripts/report.py"), {}) if isinstance(p, Program)]
    by_symbol = {p.symbol: p for p in made}
    assert by_symbol["<module>"].code == 'by_b = t.group_by("b").agg(n=t.a.sum())\nby_b\n'
    assert by_symbol["<module>"].lines == (4, 4)
    assert dict(by_symbol["<module>"].tables) == {
        "t": TableSource(source="ibis.table({'a': 'int64', 'b': 'string'}, name='events')")
    }
    # a function's ``return x`` is a candidate too: the value is the program's result
    assert by_symbol["report"].code == "t.filter(t.a > 0).b.nunique()\n"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("pkg/tests/test_x.py", True),
        ("tests/helpers.py", True),
        ("pkg/tests/conftest.py", True),
        ("pkg/test_thing.py", True),
        ("thing_test.py", True),
        ("pkg/thing.py", False),
        ("pkg/testing.py", False),
        ("pkg/contest.py", False),
        ("pkg/mytests/thing.py", False),
        ("pkg/tests_data.py", False),
    ],
)
def test_is_test_path(path: str, expected: bool) -> None:
    assert is_test_path(path) is expected
