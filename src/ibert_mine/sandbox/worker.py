"""The child side of the sandbox (:mod:`ibert_mine.sandbox.pool`): one long-lived worker.

Started by :func:`ibert_mine.sandbox.process.launch` as ``python -c BOOT CONFIG_JSON``. It
preloads heavy modules, sets its memory limit, installs an audit hook (no network, no
processes, no writes outside its own directory), says ``ready`` and then answers requests
(:mod:`ibert_mine.sandbox.protocol`) until its input pipe closes.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import pickle
import resource
import shutil
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

from ibert_mine.sandbox.protocol import HEADER, read_exact, send_frame

_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
_NETWORK_EVENTS = frozenset(
    f"socket.{name}"
    for name in (
        *("connect", "bind", "getaddrinfo", "gethostbyname", "gethostbyname_ex"),
        *("gethostbyaddr", "getnameinfo", "sendto", "sendmsg", "sethostname"),
    )
)
_PROCESS_EVENTS = frozenset(
    (
        *("subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn"),
        *("os.fork", "os.forkpty", "os.kill", "os.killpg", "pty.spawn"),
        *("resource.setrlimit", "resource.prlimit"),
    )
)
# event -> indexes of the arguments that are paths being modified
_PATH_EVENTS = {
    "os.remove": (0,),
    "os.rmdir": (0,),
    "os.mkdir": (0,),
    "os.rename": (0, 1),
    "os.symlink": (1,),
    "os.link": (1,),
    "os.truncate": (0,),
    "os.chmod": (0,),
    "os.chown": (0,),
    "os.utime": (0,),
    "os.setxattr": (0,),
    "os.removexattr": (0,),
    "shutil.rmtree": (0,),
    "shutil.copyfile": (1,),
    "shutil.copytree": (1,),
}


class SandboxViolation(PermissionError):
    """Raised inside the worker when a snippet tries something the sandbox forbids."""


def _vm_size() -> int:
    """Return this process's virtual memory size (VmSize) in bytes."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def _make_hook(root: str) -> Callable[[str, tuple[Any, ...]], None]:
    """Build the audit hook that confines a snippet; ``root`` is its writable directory."""
    allowed = (os.path.realpath(root), os.devnull)
    busy = threading.local()

    def outside(path: Any) -> bool:
        if path is None or isinstance(path, int):
            return False  # an already-open descriptor was checked when it was opened
        real = os.path.realpath(os.fsdecode(path))
        return not (real in allowed or real.startswith(allowed[0] + os.sep))

    def hook(event: str, args: tuple[Any, ...]) -> None:
        if getattr(busy, "on", False):
            return
        busy.on = True
        try:
            _check(event, args, outside)
        finally:
            busy.on = False

    return hook


def _check(event: str, args: tuple[Any, ...], outside: Callable[[Any], bool]) -> None:
    """Raise :class:`SandboxViolation` for an audit event the sandbox forbids."""
    if event in _NETWORK_EVENTS:
        raise SandboxViolation(f"network access is blocked in the sandbox ({event})")
    if event in _PROCESS_EVENTS:
        raise SandboxViolation(f"starting processes is blocked in the sandbox ({event})")
    if event == "open":
        path, mode, flags = (*args, None, None)[:3]
        writes = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
            isinstance(flags, int) and flags & _WRITE_FLAGS
        )
        if writes and outside(path):
            raise SandboxViolation(f"writing outside the sandbox directory is blocked: {path}")
    elif event in _PATH_EVENTS:
        for index in _PATH_EVENTS[event]:
            if index < len(args) and outside(args[index]):
                raise SandboxViolation(
                    f"changing files outside the sandbox directory is blocked "
                    f"({event}: {args[index]})"
                )


def _text(exc: BaseException) -> str:
    try:
        return str(exc)
    except Exception:  # a broken __str__ must not kill the worker
        return f"<unprintable {type(exc).__name__}>"


def _clear(root: str) -> None:
    """Empty the worker's directory and make it the current directory again."""
    os.chdir(root)
    for entry in os.scandir(root):
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                os.unlink(entry.path)


def _watch_parent(parent: int) -> None:
    """Exit when the parent is gone, even while a snippet is running."""
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(3)


def _call(functions: dict[str, Callable[[Any], Any]], func: str, payload: bytes) -> tuple:
    """Run one request and return its reply tuple."""
    try:
        if func not in functions:
            module, _, name = func.partition(":")
            functions[func] = getattr(importlib.import_module(module), name)
        value = functions[func](pickle.loads(payload))
    except BaseException as exc:
        recycle = isinstance(exc, MemoryError) or "OutOfMemory" in type(exc).__name__
        return ("error", type(exc).__name__, _text(exc), recycle)
    try:
        return ("ok", pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    except BaseException as exc:
        return ("error", type(exc).__name__, f"result could not be pickled: {_text(exc)}", False)


def main() -> None:
    """Entry point of the worker process (configuration is JSON in ``sys.argv[1]``)."""
    config = json.loads(sys.argv[1])
    rfd, wfd, root = config["rfd"], config["wfd"], config["root"]
    sys.dont_write_bytecode = True
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    os.chdir(root)
    try:
        for name in config["preload"]:
            importlib.import_module(name)
    except BaseException as exc:
        send_frame(wfd, ("fatal", f"preloading failed: {type(exc).__name__}: {_text(exc)}"))
        return
    vm_size = _vm_size()
    limit = vm_size + config["memory_limit"] if config["memory_limit"] > 0 else -1
    if limit > 0:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    threading.Thread(target=_watch_parent, args=(os.getppid(),), daemon=True).start()
    sys.addaudithook(_make_hook(root))
    send_frame(wfd, ("ready", {"pid": os.getpid(), "vm_size": vm_size, "rlimit_as": limit}))
    functions: dict[str, Callable[[Any], Any]] = {}
    while True:
        header = read_exact(rfd, HEADER.size)
        if header is None:
            return
        body = read_exact(rfd, HEADER.unpack(header)[0])
        if body is None:
            return
        func, payload = pickle.loads(body)
        del body
        reply = _call(functions, func, payload)
        del payload
        send_frame(wfd, reply)
        del reply
        _clear(root)
