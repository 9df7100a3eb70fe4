"""Long-lived worker processes that run untrusted snippets under limits.

Like datatrove's ``ExtractorSandbox`` (long-lived children, a deadline, replacement on death),
but every result is one :class:`Outcome`: ``ok`` with the value, ``error`` with the child's
real exception type and text, ``timeout``, or ``crashed``.

How the limits are enforced (the child side is :mod:`ibert_mine.sandbox.worker`):

- time: a job may use ``time_limit`` seconds of CPU time, which the parent reads from
  ``/proc/<pid>/stat`` (all the worker's threads), so the limit does not depend on how busy
  the machine is and the same job gets the same outcome on a loaded CI machine; and at
  most ``WALL_FACTOR`` times that in wall-clock time (a snippet that sleeps or waits).
  Where ``/proc`` cannot be read the limit is ``time_limit`` of wall-clock time. On either,
  the parent SIGKILLs the worker and starts a fresh one. The clocks start only once the
  worker has reported ``ready`` (preloading is not counted).
- memory: after preloading, the worker sets ``RLIMIT_AS = VmSize + memory_limit`` (soft and
  hard, so a snippet cannot raise it). Workers run with ``MALLOC_ARENA_MAX=2``: without it,
  glibc's per-thread arenas of the duckdb threads reserve so much address space that queries
  fail. Measured with ibis 12 / duckdb 2.0: VmSize after preloading ibis, duckdb and
  pyarrow is ~405 MiB; a duckdb connect + group-by runs with a 256 MiB margin; with the
  default 1 GiB an unbounded ``list.append`` stops at ~750 MiB with ``MemoryError``.
  After a ``MemoryError`` (or duckdb's ``OutOfMemoryException``) the worker is replaced so
  that a fragmented heap cannot make later calls fail.
- network, processes, files: an audit hook in the worker raises ``SandboxViolation`` (a
  ``PermissionError``) on socket connect/bind/getaddrinfo/sendto/..., on subprocess, exec,
  spawn, fork, kill and setrlimit, and on opening for writing or on removing, renaming,
  creating, chmod-ing paths outside the worker's own temporary directory (its cwd, HOME
  and TMPDIR; emptied after every call). Audit hooks only see Python-level calls: code in C
  extensions (duckdb's ``COPY ... TO``, httpfs, ctypes) is not confined by them.
- determinism: workers get ``PYTHONHASHSEED=0``, ``TZ=UTC`` and a minimal environment.
"""

from __future__ import annotations

import os
import pickle
import selectors
import shutil
import sys
import tempfile
import time
import weakref
from collections import deque
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ibert_mine.sandbox.outcome import Outcome, SandboxError
from ibert_mine.sandbox.process import WorkerHandle, cpu_seconds, death, launch, shutdown
from ibert_mine.sandbox.protocol import pop_frame, safe_loads, send_frame
from ibert_mine.sandbox.worker import SandboxViolation

__all__ = ["Outcome", "Sandbox", "SandboxError", "SandboxViolation"]

START_TIMEOUT = 120.0  # seconds a fresh worker may take to preload and say ready
WALL_FACTOR = 3.0  # wall-clock budget of a job, in units of its CPU time limit
POLL = 0.1  # seconds between two readings of a busy worker's CPU time


class Sandbox:
    """A pool of long-lived worker processes that run ``module:function`` on payloads."""

    def __init__(
        self,
        workers: int = 1,
        time_limit: float = 10.0,
        memory_limit: int = 1 << 30,
        preload: tuple[str, ...] = (),
    ) -> None:
        """Start ``workers`` children; each preloads ``preload`` once."""
        if workers < 1:
            raise ValueError("workers must be at least 1")
        self.time_limit, self.memory_limit = float(time_limit), int(memory_limit)
        self.preload = tuple(preload)
        self.restarts = 0
        self.info: dict[str, Any] = {}  # what the last ready worker reported (vm_size, ...)
        self._root = tempfile.mkdtemp(prefix="ibert-sandbox-")
        self._workers: list[WorkerHandle] = []
        self._finalizer = weakref.finalize(self, shutdown, self._workers, self._root)
        self._active = False
        package_root = str(Path(__file__).resolve().parents[2])  # the worker needs us first
        path = [package_root, *(os.path.abspath(p) if p else os.getcwd() for p in sys.path)]
        self._path = list(dict.fromkeys(path))
        for slot in range(workers):
            self._workers.append(self._spawn(slot))

    def _spawn(self, slot: int) -> WorkerHandle:
        home = os.path.join(self._root, f"w{slot}")
        shutil.rmtree(home, ignore_errors=True)
        os.mkdir(home)
        proc, parent_r, parent_w = launch(home, self._path, self.preload, self.memory_limit)
        return WorkerHandle(proc, parent_r, parent_w, time.monotonic() + START_TIMEOUT)

    def _replace(self, slot: int, *, failed: bool = True) -> None:
        self._workers[slot].kill()
        self._workers[slot] = self._spawn(slot)
        self.restarts += failed

    def run(self, func: str, payload: Any) -> Outcome:
        """Call ``func`` (``"package.module:function"``) on ``payload`` in a worker."""
        outcomes = self.map(func, (payload,))
        try:
            return next(outcomes)
        finally:
            outcomes.close()

    def map(self, func: str, payloads: Iterable[Any]) -> Iterator[Outcome]:
        """Run ``func`` on every payload across all workers; yield outcomes in input order."""
        if self._finalizer.alive is False:
            raise RuntimeError("the sandbox is closed")
        if self._active:
            raise RuntimeError("the sandbox is already running a map; it is not reentrant")
        self._active = True
        try:
            yield from self._map(func, iter(payloads))
        finally:
            self._active = False
            for slot, worker in enumerate(self._workers):
                if worker.job is not None and self._finalizer.alive:  # closed early
                    self._replace(slot, failed=False)

    def _map(self, func: str, payloads: Iterator[Any]) -> Iterator[Outcome]:
        done: dict[int, Outcome] = {}
        retry: deque[tuple[int, str, bytes]] = deque()
        window = 4 * len(self._workers)
        issued = emitted = 0
        exhausted = False
        while True:
            for slot, worker in enumerate(self._workers):
                while worker.deadline is None and (retry or not exhausted):
                    if retry:
                        job = retry.popleft()
                    elif issued - emitted >= window:
                        break
                    else:
                        try:
                            payload = next(payloads)
                        except StopIteration:
                            exhausted = True
                            break
                        index, issued = issued, issued + 1
                        try:
                            data = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
                        except Exception as exc:
                            message = f"payload could not be pickled: {exc}"
                            done[index] = Outcome("error", None, type(exc).__name__, message)
                            continue
                        job = (index, func, data)
                    if not self._dispatch(slot, job):
                        retry.appendleft(job)
                        worker = self._workers[slot]
            while emitted in done:
                yield done.pop(emitted)
                emitted += 1
            waiting = [w for w in self._workers if w.deadline is not None]
            if all(w.job is None for w in waiting) and not retry and exhausted:
                return
            if not waiting:  # every worker idle: the window had filled up, now it has room
                continue
            self._wait(waiting, done)

    def _dispatch(self, slot: int, job: tuple[int, str, bytes]) -> bool:
        """Send a job to an idle worker; on a broken pipe replace the worker, return False."""
        worker = self._workers[slot]
        try:
            send_frame(worker.wfd, job[1:])
        except OSError:
            self._replace(slot)
            return False
        worker.cpu_start = cpu_seconds(worker.proc.pid)
        wall = self.time_limit * (WALL_FACTOR if worker.cpu_start is not None else 1.0)
        worker.job, worker.deadline = job, time.monotonic() + wall
        return True

    def _wait(self, waiting: list[WorkerHandle], done: dict[int, Outcome]) -> None:
        """Wait for replies or the nearest deadline and record what happened."""
        timeout = max(0.0, min(w.deadline for w in waiting) - time.monotonic())
        if any(w.job is not None and w.cpu_start is not None for w in waiting):
            timeout = min(timeout, POLL)  # read their CPU time again soon
        with selectors.DefaultSelector() as selector:
            for worker in waiting:
                selector.register(worker.rfd, selectors.EVENT_READ, worker)
            ready = [key.data for key, _ in selector.select(timeout)]
        for worker in ready:
            self._read(self._workers.index(worker), done)
        now = time.monotonic()
        for slot, worker in enumerate(self._workers):
            if worker in waiting and worker.deadline is not None:
                self._check_limits(slot, now, done)

    def _read(self, slot: int, done: dict[int, Outcome]) -> None:
        """Read what a worker has sent and handle every complete reply."""
        worker = self._workers[slot]
        try:
            chunk = os.read(worker.rfd, 1 << 20)
        except BlockingIOError:
            return
        if not chunk:
            self._died(slot, done)
            return
        worker.buf += chunk
        while worker is self._workers[slot]:
            try:
                message = pop_frame(worker.buf, safe_loads)
            except Exception:  # a frame that is not plain data: the worker is not trusted
                message = ("malformed",)
            if message is None:
                break
            if not self._expected(worker, message):
                self._malformed(slot, done)
                break
            self._handle(slot, message, done)

    def _check_limits(self, slot: int, now: float, done: dict[int, Outcome]) -> None:
        """Stop a worker past its start deadline, its CPU time or its wall-clock time."""
        worker = self._workers[slot]
        assert worker.deadline is not None
        if worker.job is None:
            if worker.deadline <= now:
                self._finalizer()
                raise SandboxError(f"worker did not start within {START_TIMEOUT:.0f} s")
            return
        cpu = worker.cpu_used()
        if cpu is not None and cpu > self.time_limit:
            message = f"CPU time limit of {self.time_limit:g} s exceeded"
        elif worker.deadline <= now:
            wall = self.time_limit * (WALL_FACTOR if worker.cpu_start is not None else 1.0)
            message = f"wall-clock time limit of {wall:g} s exceeded"
        else:
            return
        done[worker.job[0]] = Outcome("timeout", message=message)
        worker.job = None
        self._replace(slot)

    def _died(self, slot: int, done: dict[int, Outcome]) -> None:
        worker = self._workers[slot]
        reason = death(worker.proc)
        if worker.job is None:
            self._finalizer()
            raise SandboxError(f"worker failed to start: {reason}")
        done[worker.job[0]] = Outcome("crashed", message=reason)
        worker.job = None
        self._replace(slot)

    @staticmethod
    def _expected(worker: WorkerHandle, message: Any) -> bool:
        """True for a well-formed reply that fits the worker's state (starting or busy)."""
        if not isinstance(message, tuple) or not message:
            return False
        kind, busy = message[0], worker.job is not None
        shapes = {"ready": (2, False), "fatal": (2, False), "ok": (2, True), "error": (4, True)}
        if kind not in shapes or shapes[kind] != (len(message), busy):
            return False
        return kind != "error" or all(isinstance(m, str) for m in message[1:3])

    def _malformed(self, slot: int, done: dict[int, Outcome]) -> None:
        """A reply the protocol does not allow (forged by snippet code): replace the worker."""
        worker = self._workers[slot]
        if worker.job is not None:
            done[worker.job[0]] = Outcome("crashed", message="malformed reply from the worker")
            worker.job = None
        self._replace(slot)

    def _handle(self, slot: int, message: tuple, done: dict[int, Outcome]) -> None:
        worker = self._workers[slot]
        kind = message[0]
        if kind == "ready":
            self.info = message[1]
            worker.deadline = None
            return
        if kind == "fatal":
            self._finalizer()
            raise SandboxError(message[1])
        assert worker.job is not None
        index = worker.job[0]
        worker.job, worker.deadline = None, None
        if kind == "ok":
            try:
                done[index] = Outcome("ok", safe_loads(message[1]))
            except Exception as exc:  # not plain data: refused, and the worker replaced
                text = f"malformed reply from the worker: {exc}"
                done[index] = Outcome("crashed", message=text)
                self._replace(slot)
            return
        _, error_type, text, recycle = message
        done[index] = Outcome("error", None, error_type, text)
        if recycle:
            self._replace(slot)

    def close(self) -> None:
        """Kill all workers and remove their directories (idempotent)."""
        self._finalizer()

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
