"""Tests for the snippet sandbox: outcomes, limits, confinement, restarts and map order.

The snippet functions below are imported by the worker processes as ``<this module>:name``.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ibert_mine.execution import PRELOAD
from ibert_mine.sandbox.pool import Outcome, Sandbox, SandboxError

MODULE = __name__


def f(name: str) -> str:
    """The import path of a snippet function of this module."""
    return f"{MODULE}:{name}"


# --- snippets run inside the workers ------------------------------------------------------


class BadValue(ValueError):
    """A snippet-defined exception type."""


def add_one(x: int) -> int:
    return x + 1


def raise_bad(x: Any) -> None:
    raise BadValue(f"bad value {x!r}")


def divide(x: int) -> float:
    return 1 / x


def spin(_: Any) -> None:
    while True:
        pass


def nap(seconds: float) -> tuple[float, int]:
    time.sleep(seconds)
    return seconds, os.getpid()


def hog(_: Any) -> None:
    chunks = []
    while True:
        chunks.append(" " * 10**6)


def huge(_: Any) -> int:
    return len(bytearray(10**11))


def exit_hard(_: Any) -> None:
    os._exit(1)


def segfault(_: Any) -> None:
    import ctypes

    ctypes.string_at(0)


def connect(_: Any) -> None:
    import socket

    socket.create_connection(("example.com", 80), timeout=2)


def urlopen(_: Any) -> None:
    import urllib.request

    urllib.request.urlopen("http://example.com", timeout=2)


def write_file(path: str) -> str:
    with open(path, "w") as handle:
        handle.write("data")
    return os.path.realpath(path)


def list_cwd(_: Any) -> list[str]:
    return sorted(os.listdir("."))


def remove_file(path: str) -> None:
    os.remove(path)


def read_file(path: str) -> int:
    return len(Path(path).read_text())


def run_subprocess(_: Any) -> int:
    import subprocess

    return subprocess.run(["true"], check=False).returncode


def run_system(_: Any) -> int:
    return os.system("true")


def unpicklable(_: Any) -> Any:
    return lambda: 1


def ibis_groupby(n: int) -> list[tuple]:
    import ibis
    import pyarrow as pa

    con = ibis.duckdb.connect()
    t = ibis.memtable(pa.table({"a": list(range(n)), "b": [i % 3 for i in range(n)]}))
    expr = t.group_by("b").aggregate(n=t.a.count(), s=t.a.sum()).order_by("b")
    return [tuple(row) for row in con.execute(expr).itertuples(index=False)]


# --- fixtures ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def box() -> Iterator[Sandbox]:
    """Two workers with ibis preloaded and a 512 MiB memory margin."""
    with Sandbox(workers=2, time_limit=20, memory_limit=512 << 20, preload=PRELOAD) as sandbox:
        yield sandbox


@pytest.fixture
def quick() -> Iterator[Sandbox]:
    """One light worker (nothing preloaded) with a one-second time limit."""
    with Sandbox(workers=1, time_limit=1, preload=()) as sandbox:
        yield sandbox


# --- tests -------------------------------------------------------------------------------


def test_ok_returns_value(box: Sandbox) -> None:
    assert box.run(f("add_one"), 41) == Outcome("ok", 42)
    assert box.run(f("add_one"), 41).ok


def test_error_carries_real_exception(box: Sandbox) -> None:
    out = box.run(f("raise_bad"), 7)
    assert (out.status, out.error_type, out.message) == ("error", "BadValue", "bad value 7")
    out = box.run(f("divide"), 0)
    assert (out.error_type, out.message) == ("ZeroDivisionError", "division by zero")
    out = box.run(f"{MODULE}:no_such_function", 0)
    assert out.error_type == "AttributeError"
    assert box.run(f("divide"), 4).value == 0.25


def test_unpicklable_result_and_payload(box: Sandbox) -> None:
    out = box.run(f("unpicklable"), None)
    assert out.status == "error"
    assert "result could not be pickled" in out.message
    out = box.run(f("add_one"), lambda: 1)
    assert out.status == "error"
    assert "payload could not be pickled" in out.message
    assert box.run(f("add_one"), 1).value == 2


def test_waiting_is_not_charged_as_cpu_time(quick: Sandbox) -> None:
    # 1.5 s of sleep under a 1 s limit: little CPU used, within the 3 s wall-clock budget
    out = quick.run(f("nap"), 1.5)
    assert out.status == "ok" and out.value[0] == 1.5


@pytest.mark.parametrize(
    ("snippet", "limit", "least"),
    [  # a busy loop is stopped on CPU time; a sleeper on wall-clock time (3x the limit)
        ("spin", "CPU time limit of 1 s exceeded", 0.9),
        ("nap", "wall-clock time limit of 3 s exceeded", 2.9),
    ],
)
def test_timeout_then_next_call_works(
    quick: Sandbox, snippet: str, limit: str, least: float
) -> None:
    start = time.monotonic()
    out = quick.run(f(snippet), 100)
    elapsed = time.monotonic() - start
    assert out.status == "timeout"
    assert out.message == limit
    assert least < elapsed < 5
    assert quick.restarts == 1
    assert quick.run(f("add_one"), 1) == Outcome("ok", 2)


@pytest.mark.parametrize("snippet", ["hog", "huge"])
def test_memory_blowup_is_stopped(box: Sandbox, snippet: str) -> None:
    out = box.run(f(snippet), None)
    assert (out.status, out.error_type) == ("error", "MemoryError") or out.status == "crashed"
    assert box.run(f("add_one"), 1).value == 2
    assert box.run(f("ibis_groupby"), 30).ok


def test_crash_is_reported_and_worker_replaced(quick: Sandbox) -> None:
    out = quick.run(f("exit_hard"), None)
    assert out == Outcome("crashed", message="worker exited with code 1")
    assert quick.restarts == 1
    out = quick.run(f("segfault"), None)
    assert out.status == "crashed"
    assert "SIGSEGV" in out.message
    assert quick.restarts == 2
    assert quick.run(f("add_one"), 1).value == 2


@pytest.mark.parametrize("snippet", ["connect", "urlopen"])
def test_network_is_blocked(box: Sandbox, snippet: str) -> None:
    out = box.run(f(snippet), None)
    assert out.status == "error"
    assert "network access is blocked" in out.message


@pytest.mark.parametrize("snippet", ["run_subprocess", "run_system"])
def test_processes_are_blocked(box: Sandbox, snippet: str) -> None:
    out = box.run(f(snippet), None)
    assert (out.status, out.error_type) == ("error", "SandboxViolation")
    assert "starting processes is blocked" in out.message


def test_writes_confined_to_temp_dir(box: Sandbox, tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    out = box.run(f("write_file"), str(outside))
    assert (out.status, out.error_type) == ("error", "SandboxViolation")
    assert "outside the sandbox directory" in out.message
    assert not outside.exists()
    out = box.run(f("write_file"), str(tmp_path / "link" / ".." / "x.txt"))
    assert out.error_type == "SandboxViolation"

    inside = box.run(f("write_file"), "inside.txt")
    assert inside.ok
    assert Path(inside.value).name == "inside.txt"
    assert not Path(inside.value).is_relative_to(tmp_path)
    # each call starts in an empty directory, whichever worker runs it
    assert list(box.map(f("list_cwd"), [None, None])) == [Outcome("ok", [])] * 2

    outside.write_text("keep")
    out = box.run(f("remove_file"), str(outside))
    assert out.error_type == "SandboxViolation"
    assert outside.read_text() == "keep"
    assert box.run(f("read_file"), str(outside)) == Outcome("ok", 4)


def test_map_keeps_input_order_and_uses_both_workers(box: Sandbox) -> None:
    delays = [0.3, 0.05, 0.25, 0.0, 0.2, 0.1]
    start = time.monotonic()
    outs = list(box.map(f("nap"), delays))
    elapsed = time.monotonic() - start
    assert [o.value[0] for o in outs] == delays
    assert len({o.value[1] for o in outs}) == 2
    assert elapsed < sum(delays) - 0.1  # sequential would take sum(delays)
    mixed = list(box.map(f("divide"), [1, 0, 2, 0, 4]))
    assert [o.status for o in mixed] == ["ok", "error", "ok", "error", "ok"]
    assert [o.value for o in mixed if o.ok] == [1.0, 0.5, 0.25]


def test_map_with_timeouts_and_crashes_in_the_middle() -> None:
    with Sandbox(workers=2, time_limit=1, preload=()) as sandbox:
        payloads = [(f("add_one"), 1)] * 3
        outs = [sandbox.run(*p) for p in payloads]
        assert all(o.ok for o in outs)
        outs = list(sandbox.map(f("nap"), [0.0, 5, 0.0, 0.0]))
        assert [o.status for o in outs] == ["ok", "timeout", "ok", "ok"]
        assert sandbox.restarts == 1


def test_ibis_and_duckdb_work_inside(box: Sandbox) -> None:
    out = box.run(f("ibis_groupby"), 1000)
    assert out.ok, out
    assert out.value == [(b, len(range(b, 1000, 3)), sum(range(b, 1000, 3))) for b in range(3)]


def test_close_is_idempotent_and_reaps_children() -> None:
    sandbox = Sandbox(workers=2, preload=())
    procs = [w.proc for w in sandbox._workers]
    assert sandbox.run(f("add_one"), 0).value == 1
    sandbox.close()
    sandbox.close()
    assert all(p.returncode is not None for p in procs)
    with pytest.raises(RuntimeError, match="closed"):
        sandbox.run(f("add_one"), 0)


def test_failed_preload_raises() -> None:
    sandbox = Sandbox(preload=("no_such_module_for_the_sandbox",))
    with pytest.raises(SandboxError, match="preloading failed: ModuleNotFoundError"):
        sandbox.run(f("add_one"), 0)
    sandbox.close()


def test_map_longer_than_the_window_with_idle_workers() -> None:
    """A slow first job while the other worker drains the window: both end up idle."""
    with Sandbox(workers=2, time_limit=10, preload=()) as sandbox:
        outcomes = list(sandbox.map(f("nap"), [0.5] + [0.0] * 20))
    assert [o.status for o in outcomes] == ["ok"] * 21


class Evil:
    """Unpickling this runs a shell command."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple:
        return (os.system, (f"touch {self.marker}",))


def forge_reply(marker: str) -> None:
    """Snippet code that writes its own reply frame: a pickle that would run a command."""
    import json
    import pickle
    import struct

    wfd = json.loads(sys.argv[1])["wfd"]
    data = pickle.dumps(("ok", pickle.dumps(Evil(marker))))
    os.write(wfd, struct.pack(">Q", len(data)) + data)
    time.sleep(5)


def test_a_forged_reply_is_refused_and_runs_nothing_in_the_parent(tmp_path: Path) -> None:
    marker = tmp_path / "ran-in-parent"
    with Sandbox(workers=1, time_limit=10, preload=()) as sandbox:
        outcome = sandbox.run(f("forge_reply"), str(marker))
        assert outcome.status == "crashed"
        assert "malformed" in (outcome.message or "")
        assert not marker.exists()
        assert sandbox.run(f("add_one"), 1).value == 2  # the worker was replaced
