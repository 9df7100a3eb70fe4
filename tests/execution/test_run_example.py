"""A qa code example as the sandbox runs it: its error or not, and nothing left behind."""

from __future__ import annotations

import ibis

import ibert_mine.execution.run_example as run_example_module
from ibert_mine.execution.run_example import run_example


def test_an_example_that_runs_and_one_that_raises() -> None:
    code = "import ibis\nt = ibis.memtable({'a': [1, 2]})\nt.a.sum()\n"
    assert run_example({"code": code}) == {"runs": True}
    broken = run_example({"code": code.replace("sum", "summ")})
    assert broken["runs"] is False
    assert broken["error"].startswith("AttributeError: 'IntegerColumn' object has no attribute")


def test_every_option_is_put_back() -> None:
    before = (ibis.options.sql.default_limit, ibis.options.repr.interactive.max_rows)
    code = (
        "import ibis\nibis.options.sql.default_limit = 1\n"
        "ibis.options.repr.interactive.max_rows = 2\nibis.options.interactive = True\n"
    )
    assert run_example({"code": code}) == {"runs": True}
    after = (ibis.options.sql.default_limit, ibis.options.repr.interactive.max_rows)
    assert after == before
    assert ibis.options.interactive is False


def test_a_removed_ibis_module_is_the_codes_error_a_missing_library_is_not() -> None:
    gone = run_example({"code": "import ibis.expr.long_gone\n"})
    assert gone == {
        "runs": False,
        "error": "ModuleNotFoundError: No module named 'ibis.expr.long_gone'",
    }
    assert run_example({"code": "import no_such_library_here\n"})["runs"] is None


def test_a_deadline_the_code_swallows_is_still_a_timeout(monkeypatch) -> None:
    monkeypatch.setattr(run_example_module, "SECONDS", 0.3)
    code = "import time\ntry:\n    time.sleep(1)\nexcept BaseException:\n    pass\n"
    assert run_example({"code": code}) == {"runs": None, "why": "timeout"}
