"""The wire protocol between the sandbox's parent and its workers.

Frames on both pipes are an 8-byte big-endian length followed by a pickle.
Request: ``(func, payload_pickle)``. Replies: ``("ready", info)``, ``("fatal", text)``,
``("ok", value_pickle)``, ``("error", type_name, message, recycle)``. The parent reads
replies with :func:`safe_loads`: plain data only, so a snippet that forges a reply can
never make the parent run code.
"""

from __future__ import annotations

import io
import os
import pickle
import struct
from typing import Any

HEADER = struct.Struct("!Q")


def read_exact(fd: int, size: int) -> bytes | None:
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
    return _DataOnlyUnpickler(io.BytesIO(data)).load()
