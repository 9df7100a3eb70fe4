"""Human SQL (TPC-H) and compiler snapshot files as provenance of translation pairs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ibert_mine import api
from ibert_mine.core.config import Config
from ibert_mine.sources.resolve import resolve
from ibert_mine.validate import validate_files

TPC_CONFTEST = '''
import datetime

import ibis
from dateutil.relativedelta import relativedelta


def add_date(datestr: str, dy: int = 0, dm: int = 0, dd: int = 0) -> ir.DateScalar:
    """Add years, months and days to a date."""
    dt = datetime.date.fromisoformat(datestr)
    dt += relativedelta(years=dy, months=dm, days=dd)
    return ibis.date(dt.isoformat())
'''

H_QUERIES = '''
import ibis
from ibis.backends.tests.tpc.conftest import add_date, tpc_test


@tpc_test("h")
def test_01(lineitem):
    """Pricing summary, reduced."""
    t = lineitem
    q = t.filter(t.l_shipdate <= add_date("1998-12-01", dd=-90))
    q = q.group_by("l_returnflag").agg(sum_qty=t.l_quantity.sum())
    return q.order_by("l_returnflag")


@tpc_test("h")
def test_02(region):
    return region.filter(region.r_name == "EUROPE").select("r_regionkey")
'''

Q01 = """SELECT l_returnflag, sum(l_quantity) AS sum_qty
FROM lineitem
WHERE l_shipdate <= CAST('1998-09-02' AS date)
GROUP BY l_returnflag
ORDER BY l_returnflag;
"""
Q02 = "SELECT r_regionkey FROM region WHERE r_name = 'EUROPE' ;\n"  # a space before ;
DS_QUERIES = """
def test_01(store_sales):
    return store_sales.limit(1)
"""


def write_tpc_tree(root: Path) -> Path:
    """A folder laid out as Ibis's TPC suite: tests, conftest helper, SQL files."""
    tpc = root / "ibis" / "backends" / "tests" / "tpc"
    (tpc / "h").mkdir(parents=True)
    (tpc / "ds").mkdir()
    (tpc / "queries" / "duckdb" / "h").mkdir(parents=True)
    (tpc / "conftest.py").write_text(TPC_CONFTEST)
    (tpc / "h" / "test_queries.py").write_text(H_QUERIES)
    (tpc / "ds" / "test_queries.py").write_text(DS_QUERIES)
    (tpc / "queries" / "duckdb" / "h" / "01.sql").write_text(Q01)
    (tpc / "queries" / "duckdb" / "h" / "02.sql").write_text(Q02)
    return root


def test_tpch_pairs_are_executed_and_kept(tmp_path: Path) -> None:
    root = write_tpc_tree(tmp_path / "checkout")
    out = tmp_path / "out"
    config = Config(tasks=("sql_to_ibis",), output=out, workers=1, ibis_api=frozenset())
    result = api.mine_to([resolve(str(root))], config)
    human = [e for e in result.examples["sql_to_ibis"] if e.meta["sql_author"] == "human"]
    assert sorted(e.meta["symbol"] for e in human) == ["test_01", "test_02"]
    first = next(e for e in human if e.meta["symbol"] == "test_01")
    assert first.input["sql"] == Q01.strip().rstrip(";")
    assert first.meta["sql_path"] == "ibis/backends/tests/tpc/queries/duckdb/h/01.sql"
    assert first.meta["verified"] == ["compiled", "executed:duckdb"]
    mutants = first.meta["mutants"]  # TPC-H 1: its data tells it from its near misses
    assert mutants["total"] >= 8 and mutants["killed"] >= 0.9 * mutants["total"]
    code = first.target["ibis"]
    assert code.startswith("import datetime\nfrom dateutil.relativedelta import relativedelta\n")
    assert "def add_date(datestr, dy=0, dm=0, dd=0):" in code
    assert code.rstrip().endswith('q.order_by("l_returnflag")')
    assert set(first.context["tables"]) == {"lineitem"}
    assert first.context["tables"]["lineitem"]["schema"]["l_shipdate"] == "date"
    assert result.rejects.get("programs", "tpc_schema_unknown") == 1  # the TPC-DS query
    report = validate_files([out], execute=True)
    assert report.problems == [] and report.executed == len(result.examples["sql_to_ibis"])
    lines = (out / "sql_to_ibis_mined.jsonl").read_text().splitlines()
    assert all(json.loads(line)["task"] == "sql_to_ibis" for line in lines)


SNAPSHOT_TEST = """
import ibis
from ibis import to_sql

t = ibis.table({"a": "int64", "b": "string"}, name="t")


def test_filter(snapshot):
    expr = t.filter(t.a > 1).select("b")
    snapshot.assert_match(to_sql(expr), "out.sql")
    expr = t.select("a")
    snapshot.assert_match(to_sql(expr), "other.sql")
"""


def test_compiler_snapshot_files_are_kept_as_provenance(tmp_path: Path) -> None:
    import ibis

    tests = tmp_path / "pkg" / "tests"
    snap = tests / "snapshots" / "test_snap" / "test_filter"
    snap.mkdir(parents=True)
    (tests / "test_snap.py").write_text(SNAPSHOT_TEST)
    t = ibis.table({"a": "int64", "b": "string"}, name="t")
    (snap / "out.sql").write_text(ibis.to_sql(t.filter(t.a > 1).select("b"), dialect="duckdb"))
    (snap / "other.sql").write_text("SELECT 1")  # a snapshot that no longer matches
    out = tmp_path / "out"
    config = Config(tasks=("ibis_to_sql",), output=out, workers=1, ibis_api=frozenset())
    result = api.mine_to([resolve(str(tmp_path / "pkg"))], config)
    marked = [e for e in result.examples["ibis_to_sql"] if "snapshot" in e.meta["verified"]]
    assert [(e.input["dialect"], e.meta["snapshot"]) for e in marked] == [
        ("duckdb", "tests/snapshots/test_snap/test_filter/out.sql")
    ]
    unmarked = [e for e in result.examples["ibis_to_sql"] if e not in marked]
    assert all("snapshot" not in e.meta for e in unmarked)
    assert result.rejects.get("ibis_to_sql", "snapshot_differs") == 1


DS_WITH_SQL = """
from ibis import _


def test_01(store_sales, item):
    return (
        store_sales.join(item, store_sales.ss_item_sk == item.i_item_sk)
        .group_by("i_category")
        .agg(total=_.ss_net_paid.sum())
        .order_by("i_category")
    )


def test_02(web_sales):
    return web_sales.count()
"""
DS_01 = """SELECT i_category, sum(ss_net_paid) AS total
FROM store_sales JOIN item ON ss_item_sk = i_item_sk
GROUP BY i_category
ORDER BY i_category
"""
DDL = """
create table store_sales (
    ss_item_sk integer not null,
    ss_net_paid decimal(7,2),
    primary key (ss_item_sk)
);
CREATE TABLE item (i_item_sk INTEGER NOT NULL, i_category CHAR(50));
create table customer (c_customer_sk integer);  -- TPC-DS's customer, not TPC-H's
"""


def test_tpcds_pairs_need_a_schema_file(tmp_path: Path) -> None:
    root = write_tpc_tree(tmp_path / "checkout")
    tpc = root / "ibis" / "backends" / "tests" / "tpc"
    (tpc / "ds" / "test_queries.py").write_text(DS_WITH_SQL)
    (tpc / "queries" / "duckdb" / "ds").mkdir()
    (tpc / "queries" / "duckdb" / "ds" / "01.sql").write_text(DS_01)
    ddl = tmp_path / "tpcds.sql"
    ddl.write_text(DDL)
    out = tmp_path / "out"
    config = api.make_config(["sql_to_ibis"], out, workers=1, schema_files=[ddl])
    assert dict(config.table_schemas)["store_sales"] == (
        ("ss_item_sk", "int32"),
        ("ss_net_paid", "decimal(7, 2)"),
    )
    result = api.mine_to([resolve(str(root))], config)
    human = [e for e in result.examples["sql_to_ibis"] if e.meta["sql_author"] == "human"]
    paths = sorted(e.meta["sql_path"].rsplit("duckdb/", 1)[1] for e in human)
    # TPC-H keeps the specification's tables (the DDL's ``customer`` does not replace them)
    assert paths == ["ds/01.sql", "h/01.sql", "h/02.sql"]
    ds = next(e for e in human if e.meta["sql_path"].endswith("ds/01.sql"))
    assert ds.context["tables"]["item"]["schema"] == {"i_item_sk": "int32", "i_category": "string"}
    assert result.rejects.get("programs", "tpc_schema_unknown") == 1  # web_sales is not in the DDL
    assert validate_files([out], execute=True).problems == []


def test_a_bad_schema_file_is_a_usage_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.sql"
    bad.write_text("SELECT 1")
    with pytest.raises(api.UsageError, match="no CREATE TABLE"):
        api.make_config(["sql_to_ibis"], schema_files=[bad])
    with pytest.raises(api.UsageError, match="cannot be read"):
        api.make_config(["sql_to_ibis"], schema_files=[tmp_path / "missing.sql"])


def test_ddl_types_and_duplicate_columns() -> None:
    from ibert_mine.sources.ddl import DdlError, schemas_from_ddl

    assert schemas_from_ddl("CREATE TABLE T (A DATE, b VARCHAR(3), c DECIMAL(5,2));") == {
        "t": (("a", "date"), ("b", "string"), ("c", "decimal(5, 2)"))
    }
    with pytest.raises(DdlError, match="defined twice"):
        schemas_from_ddl('CREATE TABLE "T" ("A" int, "a" int)')
