"""The child side of :mod:`ibert_mine.snippets.sandbox`: one long-lived worker process.

Started by :func:`launch` as ``python -c BOOT CONFIG_JSON``. It preloads heavy modules, sets
its memory limit, installs an audit hook (no network, no processes, no writes outside its
own directory), says ``ready`` and then answers requests until its input pipe closes.

Frames on both pipes are an 8-byte big-endian length followed by a pickle.
Request: ``(func, payload_pickle)``. Replies: ``("ready", info)``, ``("fatal", text)``,
``("ok", value_pickle)``, ``("error", type_name, message, recycle)``.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import pickle
import resource
import shutil
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

HEADER = struct.Struct("!Q")
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

    def check(event: str, args: tuple[Any, ...]) -> None:
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

    def hook(event: str, args: tuple[Any, ...]) -> None:
        if getattr(busy, "on", False):
            return
        busy.on = True
        try:
            check(event, args)
        finally:
            busy.on = False

    return hook


def _read_exact(fd: int, size: int) -> bytes | None:
    """Read exactly ``size`` bytes, or return None at end of file."""
    chunks, left = [], size
    while left:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def send_frame(fd: int, message: Any) -> None:
    """Write one length-prefixed pickled message to a blocking pipe."""
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    view = memoryview(HEADER.pack(len(data)) + data)
    while view:
        view = view[os.write(fd, view) :]


def pop_frame(buf: bytearray, loads: Any = pickle.loads) -> Any:
    """Remove one complete message from the front of ``buf`` and return it, or None."""
    if len(buf) < HEADER.size or len(buf) < HEADER.size + HEADER.unpack_from(buf)[0]:
        return None
    end = HEADER.size + HEADER.unpack_from(buf)[0]
    data = bytes(buf[HEADER.size : end])
    del buf[:end]
    return loads(data)


_SAFE_GLOBALS = (
    {("builtins", name) for name in ("set", "frozenset", "bytearray", "complex", "slice", "range")}
    | {("decimal", "Decimal"), ("collections", "OrderedDict")}
    | {("datetime", name) for name in ("date", "datetime", "time", "timedelta", "timezone")}
)


class _DataOnlyUnpickler(pickle.Unpickler):
    """Unpickles plain data only: a reply from a worker can never name a callable."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _SAFE_GLOBALS:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"refused to load {module}.{name} from a worker")


def safe_loads(data: bytes) -> Any:
    """``pickle.loads`` for what a worker sends: containers, numbers, text, dates only."""
    import io

    return _DataOnlyUnpickler(io.BytesIO(data)).load()


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
    boot = f"import sys; sys.path[:] = {path!r}\nfrom {__name__} import main; main()"
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
        header = _read_exact(rfd, HEADER.size)
        if header is None:
            return
        body = _read_exact(rfd, HEADER.unpack(header)[0])
        if body is None:
            return
        func, payload = pickle.loads(body)
        del body
        reply = _call(functions, func, payload)
        del payload
        send_frame(wfd, reply)
        del reply
        _clear(root)
