"""Parent-side handles of sandbox worker processes: starting, CPU time, killing, reaping."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys


def launch(
    home: str, path: list[str], preload: tuple[str, ...], memory_limit: int
) -> tuple[subprocess.Popen[bytes], int, int]:
    """Start a worker in ``home`` with ``sys.path = path``; return it and the parent's ends
    of its pipes (a non-blocking reader and a blocking writer)."""
    child_r, parent_w = os.pipe()
    parent_r, child_w = os.pipe()
    config = {"rfd": child_r, "wfd": child_w, "root": home, "preload": list(preload)}
    config["memory_limit"] = memory_limit
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": home, "TMPDIR": home}
    env |= {"LANG": "C.UTF-8", "TZ": "UTC", "PYTHONHASHSEED": "0", "MALLOC_ARENA_MAX": "2"}
    boot = f"import sys; sys.path[:] = {path!r}\nfrom ibert_mine.sandbox.worker import main; main()"
    quiet = subprocess.DEVNULL
    try:
        proc = subprocess.Popen(
            [sys.executable, "-c", boot, json.dumps(config)],
            stdin=quiet,
            stdout=quiet,
            stderr=quiet,
            cwd=home,
            env=env,
            pass_fds=(child_r, child_w),
            start_new_session=True,
        )
    finally:
        os.close(child_r)
        os.close(child_w)
    os.set_blocking(parent_r, False)
    return proc, parent_r, parent_w


class WorkerHandle:
    """Parent-side handle of one child process and its pipes."""

    __slots__ = ("buf", "cpu_start", "deadline", "job", "proc", "rfd", "wfd")

    def __init__(self, proc: subprocess.Popen[bytes], rfd: int, wfd: int, deadline: float):
        self.proc, self.rfd, self.wfd = proc, rfd, wfd
        self.buf = bytearray()
        self.job: tuple[int, str, bytes] | None = None  # None while starting or idle
        self.deadline: float | None = deadline  # None when idle
        self.cpu_start: float | None = None  # the worker's CPU time when its job was sent

    def cpu_used(self) -> float | None:
        """CPU seconds the worker has used since its job was sent (None: not known)."""
        now = cpu_seconds(self.proc.pid)
        return None if now is None or self.cpu_start is None else now - self.cpu_start

    def kill(self) -> None:
        """SIGKILL the child, reap it and close the pipes (idempotent)."""
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        for fd in (self.rfd, self.wfd):
            with contextlib.suppress(OSError):
                os.close(fd)
        self.rfd = self.wfd = -1


_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds of process ``pid`` (all its threads), or None off Linux."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            fields = stat.read().rsplit(b")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / _TICKS  # utime, stime
    except (OSError, IndexError, ValueError):
        return None


def shutdown(workers: list[WorkerHandle], root: str) -> None:
    """Kill every worker and remove the sandbox's directories."""
    for worker in workers:
        worker.kill()
    shutil.rmtree(root, ignore_errors=True)


def death(proc: subprocess.Popen[bytes]) -> str:
    """How a worker process ended (signal or exit code), once it has."""
    try:
        code = proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()
        code = proc.wait()
    if code < 0:
        try:
            return f"worker was killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"worker was killed by signal {-code}"
    return f"worker exited with code {code}"
