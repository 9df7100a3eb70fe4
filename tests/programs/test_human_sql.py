"""Hand-written SQL from ``.sql("...")`` calls and SQL cells, paired with Ibis by execution."""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

import pytest

from ibert_mine import api
from ibert_mine.core.config import Config
from ibert_mine.core.reasons import Reject
from ibert_mine.execution.pair_sql import pair_human_sql
from ibert_mine.programs.human_sql import HumanSql, SqlText, sql_calls, sql_tables
from ibert_mine.programs.program import TableSource
from ibert_mine.programs.sessions import doc_programs
from ibert_mine.programs.slicing import Stmt
from ibert_mine.sources.resolve import resolve
from ibert_mine.validate import validate_files
from tests.conftest import human_sql_payload, page_of
from tests.conftest import reject_named as _reject

PAGE = """\
# Coming from SQL

```{python}
import ibis

t = ibis.table(dict(one="string", two="float", three="int32"), name="my_data")
```

In SQL you might write:

```sql
SELECT two, one
FROM my_data;
```

In Ibis, this is

```{python}
proj = t.select("two", "one")
```

A query with no Ibis beside it:

```sql
SELECT one, count(*) AS n FROM my_data WHERE three > 0 GROUP BY one
```

SQL on a table the page never defines, and SQL that is not a query:

```sql
SELECT * FROM elsewhere
```

```sql
CREATE TABLE x (a INT)
```
"""

MODULE = '''\
import ibis


def top(limit):
    """Rows of t with a positive a.

    >>> import ibis
    >>> t = ibis.table({"a": "int64", "b": "string"}, name="t")
    >>> expr = t.sql("SELECT a, b FROM t WHERE a > 0", dialect="postgres")
    >>> t.filter(t.a > 0)
    """
'''


def stmts_of(code: str) -> list[Stmt]:
    tree = ast.parse(code)
    return [Stmt(n, ast.get_source_segment(code, n) or "", n.lineno, n.end_lineno or 1)
            for n in tree.body]  # fmt: skip


def test_sql_calls_are_string_literals_passed_to_sql() -> None:
    code = (
        'e = t.sql(\n    """\n    SELECT a\n    FROM t;\n    """\n)\n'
        'f = con.sql("SELECT 1 AS x", dialect="mysql")\n'
        'g = sg.table("x").sql("postgres")\n'  # sqlglot's .sql(dialect): kept here, no query
        "h = t.sql(query)\n"  # not a literal
    )
    found = sql_calls(stmts_of(code))
    assert [(s.sql, s.dialect, s.lines) for s in found] == [
        ("SELECT a\nFROM t", None, (2, 5)),
        ("SELECT 1 AS x", "mysql", (7, 7)),
        ("postgres", None, (8, 8)),
    ]
    assert sql_tables("postgres", "duckdb") == _reject("human_sql_not_a_query")


def test_page_sql_cells_get_the_session_tables_and_nearby_programs() -> None:
    found = doc_programs(page_of(PAGE, "docs/sql.qmd"))
    sites = [f for f in found if isinstance(f, HumanSql)]
    reasons = sorted(f.key for f in found if isinstance(f, Reject))
    assert "human_sql_unknown_table" in reasons and "human_sql_not_a_query" in reasons
    assert [s.text.lines for s in sites] == [(12, 13), (25, 25)]
    first = sites[0]
    assert first.text.sql == "SELECT two, one\nFROM my_data"
    assert first.text.dialect == "duckdb" and first.text.how == "sql_cell"
    assert [name for name, _ in first.tables] == ["my_data"]
    # the candidate reads the table by its SQL name
    assert first.candidates[0] == ('t = my_data\nproj = t.select("two", "one")\nproj\n', (19, 19))


def test_verify_pairs_with_the_agreeing_program_else_decompiles() -> None:
    sites = [f for f in doc_programs(page_of(PAGE, "docs/sql.qmd")) if isinstance(f, HumanSql)]
    paired = pair_human_sql(human_sql_payload(sites[0]))
    assert paired["executed"] and paired["index"] == 0
    assert paired["schemas"] == {"my_data": {"one": "string", "two": "float64", "three": "int32"}}
    # the second query has only the projection nearby, which differs: Ibis comes from SQL
    decompiled = pair_human_sql(human_sql_payload(sites[1]))
    assert decompiled["executed"] and decompiled["index"] is None
    assert "my_data.filter" in decompiled["ibis"] and "aggregate" in decompiled["ibis"]


def payload_of(sql: str, candidates: tuple[str, ...]) -> dict[str, Any]:
    text = SqlText(sql, "duckdb", (1, 1), "sql_string")
    tables = (("t", TableSource(schema=(("a", "int64"), ("b", "string")))),)
    found = HumanSql(text, tables, tuple((c, (2, 2)) for c in candidates), "doctest", "f")
    return human_sql_payload(found)


def test_a_program_that_disagrees_is_not_paired() -> None:
    # the nearby program keeps other rows: the pair comes from the decompiled SQL instead
    other = ("t.filter(t.a < 0).a\n",)
    outcome = pair_human_sql(payload_of("SELECT a FROM t WHERE a > 5", other))
    assert outcome["executed"] and outcome["index"] is None
    # a candidate that raises or is no expression is passed over, the next one is taken
    good = 't.filter(t.a > 5).select("a")\n'
    outcome = pair_human_sql(payload_of("SELECT a FROM t WHERE a > 5", ("t.nope\n", "1\n", good)))
    assert outcome["executed"] and outcome["ibis"] == good and outcome["index"] == 2


def test_sql_that_does_not_run_is_dropped() -> None:
    outcome = pair_human_sql(payload_of("SELECT missing FROM t", ("t.a\n",)))
    assert not outcome["executed"] and "execution_error" in outcome["reason"]


def test_mined_human_sql_examples_validate(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "sql.qmd").write_text(PAGE)
    (root / "pkg").mkdir()
    (root / "pkg" / "mod.py").write_text(MODULE)
    out = tmp_path / "out"
    tasks = ("sql_to_ibis", "ibis_to_sql")
    config = Config(tasks=tasks, output=out, workers=1, ibis_api=frozenset())
    result = api.mine_to([resolve(str(root))], config)
    human = {
        (e.meta["path"], tuple(e.meta["lines"])): e
        for e in result.examples["sql_to_ibis"]
        if e.meta["sql_author"] == "human"
    }
    assert set(human) == {("docs/sql.qmd", (12, 13)), ("docs/sql.qmd", (25, 25)),
                          ("pkg/mod.py", (9, 9))}  # fmt: skip
    cell = human[("docs/sql.qmd", (12, 13))]
    assert cell.meta["ibis_author"] == "human" and cell.meta["ibis_lines"] == [19, 19]
    assert cell.meta["sql_found_in"] == "sql_cell" and cell.meta["origin"] == "docs"
    assert "symbol" not in cell.meta  # a page has none
    call = human[("pkg/mod.py", (9, 9))]
    assert call.input == {"sql": "SELECT a, b FROM t WHERE a > 0", "dialect": "postgres"}
    assert call.target["ibis"] == "t.filter(t.a > 0)\n"
    assert call.meta["sql_found_in"] == "sql_string" and call.meta["symbol"] == "top"
    assert human[("docs/sql.qmd", (25, 25))].meta["ibis_author"] == "decompiler"
    assert result.rejects.get("programs", "human_sql_unknown_table") == 1
    assert not any(r.startswith("human_sql") for r in result.rejects.of("ibis_to_sql"))
    report = validate_files([out], execute=True)
    assert report.problems == []
    assert report.executed == sum(len(v) for v in result.examples.values())
    # the hand-written SQL is found again at its provenance; the other examples are not quoted
    assert report.unchecked_provenance == 0
    page = root / "docs" / "sql.qmd"
    page.write_text(PAGE.replace("SELECT two, one", "SELECT one, two"))
    problems = validate_files([out]).problems
    assert len(problems) == 1 and "the SQL is not at docs/sql.qmd:12-13" in problems[0]


@pytest.mark.parametrize(
    ("sql", "candidate", "why"),
    [  # rows agree on the draws, but the Ibis is not that SQL
        ("SELECT a, b FROM t WHERE a > 0 ORDER BY a LIMIT 30", 't.filter(t.a > 0).order_by("a")\n',
         "LIMIT differs"),
        ("SELECT a, b FROM t", 't.select("a", "b").order_by("a")\n', "ORDER BY on one side only"),
        ("SELECT a AS total FROM t", "t.select(other=t.a)\n", "column names differ"),
    ],
)  # fmt: skip
def test_human_sql_needs_the_same_names_order_and_limit(sql: str, candidate: str, why: str) -> None:
    outcome = pair_human_sql(payload_of(sql, (candidate,)))
    # the candidate is refused; a program decompiled from the SQL itself may be kept
    assert not (outcome["executed"] and outcome["index"] == 0)
    assert outcome["executed"] or why in outcome["reason"]


ODD_SOURCES = {
    "mod.py": """\
import ibis

t = ibis.table({"a": "int64", "b": "string"}, name="t")
penguins = ibis.examples.penguins.fetch()  # no schema at module level: not a named table


def f(con):
    return con.sql("SELECT * FROM penguins")


def outer():
    u = ibis.table({"x": "int64"}, name="u")

    def inner():
        return t.sql("SELECT a FROM t WHERE a > 1")

    return u.sql("SELECT x\\nFROM u WHERE x > 1 " "AND x < 10")
""",
}


def test_odd_sources_neither_crash_nor_count_twice(tmp_path: Path) -> None:
    root = tmp_path / "src"
    root.mkdir()
    for name, text in ODD_SOURCES.items():
        (root / name).write_text(text)
    out = tmp_path / "out"
    config = Config(tasks=("sql_to_ibis",), output=out, workers=1, ibis_api=frozenset())
    result = api.mine_to([resolve(str(root))], config)
    human = [e for e in result.examples["sql_to_ibis"] if e.meta["sql_author"] == "human"]
    # the SQL of ``inner`` is inner's, once; the escaped, implicitly joined literal is found
    assert sorted((e.meta["symbol"], e.input["sql"]) for e in human) == [
        ("outer", "SELECT x\nFROM u WHERE x > 1 AND x < 10"),
        ("outer.inner", "SELECT a FROM t WHERE a > 1"),
    ]
    assert result.rejects.get("programs", "human_sql_unknown_table") == 1  # penguins
    assert validate_files([out]).problems == []


def test_notebook_sql_cells_are_found_again(tmp_path: Path) -> None:
    cells = [
        {"cell_type": "code", "source": ['t = ibis.table({"a": "int64"}, name="t")\n']},
        {"cell_type": "markdown", "source": ["In SQL:"]},
        {"cell_type": "code", "source": ["%%sql\n", "SELECT a FROM t WHERE a > 2\n"]},
        {"cell_type": "code", "source": ["t.filter(t.a > 2)\n"]},
    ]  # fmt: skip
    root = tmp_path / "nb"
    root.mkdir()
    (root / "page.ipynb").write_text(json.dumps({"cells": cells, "metadata": {}}))
    out = tmp_path / "out"
    config = Config(tasks=("sql_to_ibis",), output=out, workers=1, ibis_api=frozenset())
    result = api.mine_to([resolve(str(root))], config)
    human = [e for e in result.examples["sql_to_ibis"] if e.meta["sql_author"] == "human"]
    assert [(e.input["sql"], e.target["ibis"]) for e in human] == [
        ("SELECT a FROM t WHERE a > 2", "t.filter(t.a > 2)\n")
    ]
    assert validate_files([out]).problems == []
