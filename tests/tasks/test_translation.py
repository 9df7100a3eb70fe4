"""Translation: verify_program in-process, bad snippets in the real sandbox, ibis_to_sql and
sql_to_ibis end to end (snapshot, determinism, validation).

Sandbox runs are few and shared through module-scoped fixtures: the whole file takes
a few seconds per sandbox start, not per test.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import sqlglot

from ibert_mine import api
from ibert_mine.core.config import DEFAULT_DIALECTS, Config
from ibert_mine.execution import PRELOAD
from ibert_mine.execution.readable import GENERATED_ALIAS
from ibert_mine.execution.sql_compile import sqlglot_dialect
from ibert_mine.execution.tables import ProgramError, TrivialProgram, UndeclaredTable
from ibert_mine.execution.verify import verify_program
from ibert_mine.pipeline.jobs import distinct
from ibert_mine.pipeline.run import RunResult
from ibert_mine.programs.modules import programs
from ibert_mine.programs.program import Program, TableSource
from ibert_mine.sandbox.pool import Sandbox
from ibert_mine.sources.provenance import Provenance
from ibert_mine.sources.python import parse_module
from ibert_mine.sources.resolve import resolve
from ibert_mine.tasks import program_jobs
from ibert_mine.tasks.contract import Job
from ibert_mine.validate import validate_files

VERIFY = "ibert_mine.execution.verify:verify_program"
TASKS = ("ibis_to_sql", "sql_to_ibis")
SCHEMA_T = [("a", "int64"), ("b", "string")]


def program_payload(program: Program, dialects: tuple[str, ...], readable: bool) -> dict[str, Any]:
    """What the programs stage sends the sandbox for ``program``."""
    site = program_jobs.ProgramSite(program, "x", {})
    options = frozenset({program_jobs.READABLE} if readable else ())
    config = Config(tasks=(), dialects=dialects)
    return program_jobs.payload(Job(program_jobs.PROGRAM, "", site), config, options)


def payload(code: str, source: str | None = None, **extra: Any) -> dict[str, Any]:
    """A verify_program payload on one table ``t`` (given schema, or an Ibis source)."""
    spec = {"schema": None, "source": source} if source else {"schema": SCHEMA_T, "source": None}
    return {
        "code": code,
        "tables": [("t", spec)],
        "dialects": ["duckdb", "postgres", "mssql"],
        "readable": True,
        **extra,
    }


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def mine(folder: Path, output: Path, workers: int = 1, time_limit: float = 10.0) -> RunResult:
    config = Config(
        tasks=TASKS,
        output=output,
        workers=workers,
        time_limit=time_limit,
        memory_limit=1 << 30,
        ibis_api=frozenset(),
    )
    return api.mine_to([resolve(str(folder))], config)


# --- verify_program, in this process --------------------------------------------------------


def test_verify_program_compiles_parses_and_executes() -> None:
    out = verify_program(payload('t.filter(t.a > 1).select("b")\n'))
    assert out["schemas"] == {"t": {"a": "int64", "b": "string"}}
    assert set(out["sql"]) == {"duckdb", "postgres", "mssql"}
    assert out["failed"] == {}
    for dialect, sql in out["sql"].items():
        sqlglot.parse_one(sql, read=sqlglot_dialect(dialect))
        assert "WHERE" in sql
    assert '"t0"' in out["sql"]["duckdb"]
    assert "[t0]" in out["sql"]["mssql"]
    assert out["executed"] is True
    assert out["reason"] == ""
    readable = out["readable"]
    assert readable is not None and '"t0"' not in readable and "t0." not in readable
    assert sqlglot.parse_one(readable, read="duckdb").sql() == "SELECT b FROM t WHERE a > 1"


def test_verify_program_infers_memtable_schema() -> None:
    source = "ibis.memtable({'a': [1, 2], 'b': ['x', 'y'], 'c': [1.5, None]})"
    out = verify_program(payload("t.mutate(d=t.a + 1)\n", source=source))
    assert out["schemas"] == {"t": {"a": "int64", "b": "string", "c": "float64"}}
    assert out["executed"] is True


def test_verify_program_with_several_tables_and_imports() -> None:
    out = verify_program(
        {
            "code": "from ibis import _\nl.join(r, 'k').group_by('v').agg(n=_.k.count())\n",
            "tables": [
                ("l", {"schema": [("k", "int32")], "source": None}),
                ("r", {"schema": None, "source": "ibis.table({'k': 'int32', 'v': 'string'})"}),
            ],
            "dialects": ["duckdb", "sqlite"],
            "readable": False,
        }
    )
    assert out["schemas"] == {"l": {"k": "int32"}, "r": {"k": "int32", "v": "string"}}
    assert set(out["sql"]) == {"duckdb", "sqlite"}
    assert out["readable"] is None  # not asked for


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("x = t.a\n", "does not end with an expression"),
        ("1 + 1\n", "not an Ibis expression"),
        ("t.columns\n", "not an Ibis expression"),
    ],
)
def test_verify_program_refuses_non_expressions(code: str, message: str) -> None:
    with pytest.raises(ProgramError, match=message):
        verify_program(payload(code))


def test_verify_program_refuses_a_non_table_source() -> None:
    with pytest.raises(ProgramError, match="not an Ibis table"):
        verify_program(payload("t.a + 1\n", source="ibis.literal(1)"))


def test_verify_program_refuses_a_bare_literal() -> None:
    with pytest.raises(TrivialProgram):
        verify_program({**payload('ibis.literal("a")\n'), "tables": []})
    # a computation on literals is worth translating, and so is a literal beside a table
    no_table = verify_program({**payload('ibis.literal("a").upper()\n'), "tables": []})
    assert no_table["schemas"] == {} and no_table["executed"] is True
    assert verify_program(payload("ibis.literal(1)\n"))["sql"]


def sql_tables(sql: str, dialect: str) -> set[str]:
    """Names of the tables a query reads (CTE names left out)."""
    tree = sqlglot.parse_one(sql, read=sqlglot_dialect(dialect))
    ctes = {cte.alias for cte in tree.find_all(sqlglot.exp.CTE)}
    return {t.name for t in tree.find_all(sqlglot.exp.Table)} - ctes


def test_sql_reads_only_declared_tables() -> None:
    out = verify_program(payload("t.join(t.view(), 'a').select(t.b)\n"))
    for dialect, sql in out["sql"].items():
        assert sql_tables(sql, dialect) == {"t"}
    assert sql_tables(out["readable"], "duckdb") == {"t"}


@pytest.mark.parametrize(
    "session",
    [
        ['>>> ibis.memtable({"a": [1, 2]}).a.sum()'],
        ['>>> data = {"a": [1, 2]}', ">>> t = ibis.memtable(data)", ">>> t.a + 1"],
    ],
    ids=["inline", "variable"],
)
def test_memtables_inside_programs_give_self_contained_sql(session: list[str]) -> None:
    body = "\n".join(f"    {line}" for line in [">>> import ibis", *session])
    text = f'def f():\n    """Doc.\n\n{body}\n    """\n'
    found = [p for p in programs(parse_module(text, Provenance("x", "m.py")), {})]
    for program in found:
        if not isinstance(program, Program):
            continue  # rejected statically: fine
        with pytest.raises(UndeclaredTable):  # its SQL would name a random memtable
            verify_program(program_payload(program, ("duckdb", "postgres"), readable=True))


def column_names(sql: str) -> list[str]:
    import duckdb

    con = duckdb.connect()
    con.execute("CREATE TABLE t (a BIGINT, b VARCHAR)")
    return list(con.sql(sql).columns)


def test_readable_sql_keeps_lowercase_column_names() -> None:
    out = verify_program(payload("t.group_by('b').agg(total=t.a.sum())\n"))
    assert column_names(out["readable"]) == column_names(out["sql"]["duckdb"]) == ["b", "total"]


@pytest.mark.parametrize("code", ["t.select(Total=t.a)\n", 't.rename(B="b")\n'])
def test_readable_sql_keeps_column_names(code: str) -> None:
    out = verify_program(payload(code))
    assert out["readable"] is not None
    assert column_names(out["readable"]) == column_names(out["sql"]["duckdb"])


@pytest.mark.parametrize(
    ("code", "sql"),
    [("t.a + 1\n", "SELECT\n  a + 1\nFROM t"),
     ("t.group_by('b').agg(t.a.sum()).order_by(t.a.sum())\n", "AS sum_a")],
)  # fmt: skip
def test_readable_sql_names_what_ibis_left_unnamed(code: str, sql: str) -> None:
    """Ibis calls an unnamed column after its operation ("Add(a, 1)"); a person would not:
    unnamed it stays in the outermost SELECT, elsewhere it gets a snake_case name."""
    out = verify_program(payload(code))
    assert sql in out["readable"]
    assert not GENERATED_ALIAS.search(out["readable"])


# --- the real sandbox: outcomes of bad programs ---------------------------------------------


@pytest.fixture(scope="module")
def sandbox_outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One sandbox run over a good program and four bad ones (the hanging one last)."""
    victim = tmp_path_factory.mktemp("victim") / "pwned.txt"
    codes = {
        "good": "t.mutate(c=t.a + 1)\n",
        "raises": "t.nope.sum()\n",
        "socket": 't.filter(__import__("socket").create_connection(("10.255.255.1", 80)) is None)'
        "\n",
        "writes": 't.filter(t.a > len(__import__("pathlib")'
        f'.Path({str(victim)!r}).write_text("x")))\n',
        "hangs": "t.filter(t.a > any(iter(int, 1)))\n",
    }
    with Sandbox(workers=1, time_limit=2, preload=PRELOAD) as sandbox:
        outcomes = list(sandbox.map(VERIFY, [payload(c) for c in codes.values()]))
    return {"outcomes": dict(zip(codes, outcomes, strict=True)), "victim": victim}


def test_sandbox_runs_a_good_program(sandbox_outcomes: dict[str, Any]) -> None:
    good = sandbox_outcomes["outcomes"]["good"]
    assert good.ok
    assert good.value["executed"] is True
    assert set(good.value["sql"]) == {"duckdb", "postgres", "mssql"}


def test_sandbox_reports_the_real_exception(sandbox_outcomes: dict[str, Any]) -> None:
    raised = sandbox_outcomes["outcomes"]["raises"]
    assert raised.status == "error"
    assert raised.error_type == "AttributeError"
    assert "'Table' object has no attribute 'nope'" in raised.message


def test_sandbox_blocks_network_and_writes(sandbox_outcomes: dict[str, Any]) -> None:
    dialed = sandbox_outcomes["outcomes"]["socket"]
    assert (dialed.status, dialed.error_type) == ("error", "SandboxViolation")
    assert "network access is blocked" in dialed.message
    wrote = sandbox_outcomes["outcomes"]["writes"]
    assert (wrote.status, wrote.error_type) == ("error", "SandboxViolation")
    assert "writing outside the sandbox directory is blocked" in wrote.message
    assert str(sandbox_outcomes["victim"]) in wrote.message
    assert not sandbox_outcomes["victim"].exists()


def test_sandbox_stops_a_hanging_program(sandbox_outcomes: dict[str, Any]) -> None:
    hung = sandbox_outcomes["outcomes"]["hangs"]
    assert hung.status == "timeout"
    assert "time limit of 2 s exceeded" in hung.message


# --- end to end: bad input in a mined folder ------------------------------------------------

TABLE = '>>> t = ibis.memtable({{"a": [1, 2, 3], "b": ["x", "y", "z"]}})'
BAD_INPUT = f'''\
"""Doctests with one good program and one bad program of each kind."""


def good():
    """A good program.

    >>> import ibis
    {TABLE}
    >>> t.mutate(c=t.a + 1)
    """


def raises():
    """A program that raises.

    >>> import ibis
    {TABLE}
    >>> t.nope.sum()
    """


def hangs():
    """A program that never ends.

    >>> import ibis
    {TABLE}
    >>> t.filter(t.a > any(iter(int, 1)))
    """


def hogs():
    """A program that allocates without bound.

    >>> import ibis
    {TABLE}
    >>> t.mutate(z=len([0] * (10**10)))
    """


def dials():
    """A program that opens a socket.

    >>> import ibis
    {TABLE}
    >>> t.filter(__import__("socket").create_connection(("10.255.255.1", 80)) is None)
    """


def writes():
    """A program that writes a file.

    >>> import ibis
    {TABLE}
    >>> t.filter(t.a > len(__import__("pathlib").Path({{victim!r}}).write_text("x")))
    """


def again():
    """The good program once more: verified once, counted as a duplicate.

    >>> import ibis
    {TABLE}
    >>> t.mutate(c=t.a + 1)
    """


def crashes():
    """A program that kills its interpreter.

    >>> import ibis
    {TABLE}
    >>> t.filter(t.a > len(__import__("ctypes").string_at(0)))
    """
'''
BAD_SYMBOLS = ("raises", "hangs", "hogs", "dials", "writes", "crashes")


@pytest.fixture(scope="module")
def bad_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("bad")
    victim = root / "pwned.txt"
    folder = root / "badpkg"
    folder.mkdir()
    (folder / "mod.py").write_text(BAD_INPUT.format(victim=str(victim)))
    result = mine(folder, root / "out", workers=1, time_limit=3)
    return {"result": result, "out": root / "out", "folder": folder, "victim": victim}


def test_bad_programs_are_candidates(bad_run: dict[str, Any]) -> None:
    """The extractor keeps every bad program: it is the sandbox that stops them."""
    text = (bad_run["folder"] / "mod.py").read_text()
    found = list(programs(parse_module(text, Provenance("bad", "mod.py")), {}))
    assert all(isinstance(p, Program) for p in found)
    assert [p.symbol for p in found] == ["good", *BAD_SYMBOLS[:-1], "again", "crashes"]


def test_good_program_gives_examples_in_every_dialect(bad_run: dict[str, Any]) -> None:
    records = read_jsonl(bad_run["out"] / "ibis_to_sql_mined.jsonl")
    assert len({r["target"]["sql"] for r in records}) == len(records) >= 4  # one per SQL text
    covered = [
        d for r in records for d in [r["input"]["dialect"], *r["meta"].get("same_sql_as", [])]
    ]
    assert sorted(covered) == sorted(DEFAULT_DIALECTS)
    for record in records:
        assert record["input"]["ibis"] == "t.mutate(c=t.a + 1)\n"
        assert record["context"] == {"tables": {"t": {"schema": {"a": "int64", "b": "string"}}}}
        meta = record["meta"]
        assert meta["verified"] == [
            "compiled",
            f"parsed:{record['input']['dialect']}",
            "executed:duckdb",
        ]
        assert (meta["origin"], meta["symbol"], meta["path"]) == ("doctest", "good", "mod.py")
        assert record["source"] == "badpkg"
    (readable,) = read_jsonl(bad_run["out"] / "sql_to_ibis_mined.jsonl")  # one target per SQL
    assert readable["target"] == {"ibis": "t.mutate(c=t.a + 1)\n"}
    assert readable["input"]["dialect"] == "duckdb"
    assert "t0" not in readable["input"]["sql"]
    assert readable["meta"]["sql_author"] == "compiler"
    assert readable["meta"]["ibis_author"] == "human"
    assert readable["meta"]["origin"] == "doctest"


def test_bad_programs_are_counted_and_not_written(bad_run: dict[str, Any]) -> None:
    rejects = bad_run["result"].rejects
    # charged once, to the stage both tasks take their programs from
    assert rejects.of("programs") == {
        "crashed": 1,
        "duplicate_program": 1,
        "program_error:AttributeError": 1,
        "program_error:MemoryError": 1,
        "program_error:SandboxViolation": 2,  # socket and file
        "timeout": 1,
    }
    assert set(rejects.of("ibis_to_sql")) <= {f"same_sql:{d}" for d in DEFAULT_DIALECTS}
    assert rejects.of("sql_to_ibis") == {"another_target": 1}  # the decompiled Ibis
    written = [r for task in TASKS for r in read_jsonl(bad_run["out"] / f"{task}_mined.jsonl")]
    assert {r["meta"]["symbol"] for r in written} == {"good"}
    assert not bad_run["victim"].exists()
    manifest = json.loads((bad_run["out"] / "manifest.json").read_text())
    assert manifest["stages"]["programs"]["rejects"] == rejects.of("programs")
    assert manifest["stages"]["programs"]["serves"] == {
        "program": ["sql_to_ibis", "ibis_to_sql"],
        "human_sql": ["sql_to_ibis"],
    }
    assert manifest["tasks"]["ibis_to_sql"]["rejects"] == rejects.of("ibis_to_sql")


def test_bad_run_output_validates(bad_run: dict[str, Any]) -> None:
    report = validate_files([bad_run["out"]])
    assert report.ok, report.problems
    distinct = len(read_jsonl(bad_run["out"] / "ibis_to_sql_mined.jsonl"))
    assert report.records == distinct + 1  # and the readable sql_to_ibis pair


def test_each_distinct_program_is_verified_once() -> None:
    def job(code: str, path: str, schema: tuple[tuple[str, str], ...]) -> Job:
        program = Program(code, (("t", TableSource(schema=schema)),), "doctest", "f", (1, 1))
        page = parse_module("", Provenance("src", path))
        return program_jobs._program_job(program, page)

    a = job("t.a + 1\n", "one.py", (("a", "int64"),))
    again = job("t.a + 1\n", "two.py", (("a", "int64"),))
    other_schema = job("t.a + 1\n", "three.py", (("a", "float64"),))
    assert distinct([a, again, other_schema]) == [a, other_schema]
    sent = program_payload(a.site.program, ("duckdb",), readable=False)
    assert sent["code"] == "t.a + 1\n"
    assert sent["tables"] == [("t", {"schema": (("a", "int64"),), "source": None})]
    assert (sent["dialects"], sent["readable"]) == (["duckdb"], False)


# --- end to end: snapshot and determinism ---------------------------------------------------

FRAMES = '''\
"""Frames used by the translation snapshot."""


def top_groups():
    """The largest groups first.

    >>> import ibis
    >>> t = ibis.memtable({"g": ["a", "b", "a"], "v": [1, 2, 3]})
    >>> t.group_by("g").agg(total=t.v.sum()).order_by(ibis.desc("total"))
    """


def joined():
    """Join two tables.

    >>> import ibis
    >>> from ibis import _
    >>> orders = ibis.table({"id": "int64", "amount": "float64"}, name="orders")
    >>> users = ibis.table({"id": "int64", "name": "string"}, name="users")
    >>> orders.join(users, "id").filter(_.amount > 0).select("id", "name")
    """


def rejected():
    """Candidates that are no program, and a program found twice.

    >>> import ibis
    >>> t = ibis.memtable({"g": ["a", "b", "a"], "v": [1, 2, 3]})
    >>> t.execute()
    >>> unknown.filter(unknown.x > 1)
    >>> t.group_by("g").agg(total=t.v.sum()).order_by(ibis.desc("total"))
    """
'''
SNAP_CONFTEST = """\
import ibis
import pytest


@pytest.fixture
def events():
    return ibis.table({"day": "date", "n": "int32"}, name="events")
"""
SNAP_TEST = """\
def test_latest(events):
    expr = events.filter(events.n > 0).day.max()
    assert expr is not None
"""


def write_snapshot_package(root: Path) -> Path:
    folder = root / "snappkg"
    (folder / "tests").mkdir(parents=True)
    (folder / "frames.py").write_text(FRAMES)
    (folder / "tests" / "conftest.py").write_text(SNAP_CONFTEST)
    (folder / "tests" / "test_frames.py").write_text(SNAP_TEST)
    return folder


@pytest.fixture(scope="module")
def snap_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("snap")
    folder = write_snapshot_package(root)
    result = mine(folder, root / "one", workers=1)
    return {"root": root, "folder": folder, "result": result, "out": root / "one"}


def test_snapshot(snap_run: dict[str, Any], snapshot) -> None:
    for task in TASKS:
        text = (snap_run["out"] / f"{task}_mined.jsonl").read_text(encoding="utf-8")
        snapshot(text, f"{task}_snippets.jsonl")
    rejects = snap_run["result"].rejects
    counts = {stage: rejects.of(stage) for stage in ("programs", *TASKS)}
    snapshot(json.dumps(counts, indent=1) + "\n", "translation_snippets.rejects.json")


def test_snapshot_run_covers_doctests_and_tests(snap_run: dict[str, Any]) -> None:
    records = read_jsonl(snap_run["out"] / "ibis_to_sql_mined.jsonl")
    by_symbol = {r["meta"]["symbol"]: r for r in records}
    assert set(by_symbol) == {"top_groups", "joined", "test_latest"}
    assert by_symbol["test_latest"]["meta"]["origin"] == "test"
    assert by_symbol["test_latest"]["meta"]["path"] == "tests/test_frames.py"
    assert by_symbol["joined"]["context"]["tables"] == {
        "orders": {"schema": {"id": "int64", "amount": "float64"}},
        "users": {"schema": {"id": "int64", "name": "string"}},
    }
    assert by_symbol["top_groups"]["input"]["ibis"] == (
        't.group_by("g").agg(total=t.v.sum()).order_by(ibis.desc("total"))\n'
    )
    assert all("executed:duckdb" in r["meta"]["verified"] for r in records)
    assert validate_files([snap_run["out"]]).ok


def test_runs_are_byte_identical_whatever_the_worker_count(snap_run: dict[str, Any]) -> None:
    two = snap_run["root"] / "two"
    mine(snap_run["folder"], two, workers=2)

    def written(folder: Path) -> dict[str, bytes]:
        return {
            p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.name != "timings.json"
        }

    one = written(snap_run["out"])
    assert one == written(two)
    assert set(one) == {"ibis_to_sql_mined.jsonl", "sql_to_ibis_mined.jsonl", "manifest.json"}


def test_generated_names_do_not_depend_on_dialect_order_or_table_source() -> None:
    """Ibis names unnest columns with uuid4: the SQL must still be the same on every run."""
    code = "t.unnest(t.x)\n"
    declared = [("t", {"schema": [("x", "array<string>")], "source": None})]
    inferred = [("t", {"schema": None, "source": 'ibis.memtable({"x": [["a"]]})'})]
    one = verify_program({"code": code, "tables": declared, "dialects": ["duckdb", "postgres"]})
    two = verify_program({"code": code, "tables": inferred, "dialects": ["postgres", "duckdb"]})
    assert "ibis_table_unnest" in one["sql"]["duckdb"]
    assert one["sql"] == two["sql"]


def test_tables_built_inside_the_program_are_refused() -> None:
    """An unnamed ``ibis.table(schema)`` gets a process-wide counter name in its SQL."""
    payload = {"code": 'ibis.table({"a": "int32"})\n', "tables": [], "dialects": ["duckdb"]}
    with pytest.raises(UndeclaredTable):
        verify_program(payload)


def test_a_recovery_that_agrees_on_one_draw_only_is_not_kept() -> None:
    """Decompiling this SQL drops its HAVING-like filter: right when the sum is positive,
    wrong otherwise. Only comparing on several draws of data tells."""
    code = "t.filter(t.int_col.sum() > 0)\n"
    tables = [("t", {"schema": [("int_col", "int64"), ("s", "string")], "source": None})]
    out = verify_program({"code": code, "tables": tables, "dialects": ["duckdb"], "readable": True})
    assert out["executed"] and out["readable"]
    assert out["decompiled"] is None
