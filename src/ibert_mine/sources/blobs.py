"""Blob contents of a checkout, read through one long-lived ``git cat-file --batch`` process.

Each process (the parent, or a worker of the history phase) keeps one reader per checkout,
started on first use, so that the thousands of blobs a history walk needs cost one
process, not one each. A blob the object store lacks, a binary blob, one over the size
limit and one that is not UTF-8 are answered with their declared reason, never raised.
"""

from __future__ import annotations

import atexit
import subprocess
from pathlib import Path

from ibert_mine.core.config import DEFAULT_MAX_BYTES
from ibert_mine.core.reasons import Reason
from ibert_mine.sources.files import BINARY, TOO_LARGE, decode

MISSING_BLOB = Reason("missing_blob", "the blob is not in the checkout's object store")
REASONS: tuple[Reason, ...] = (MISSING_BLOB,)  # with files' binary, not_utf8, too_large

_READERS: dict[Path, subprocess.Popen] = {}


def _reader(git_dir: Path) -> subprocess.Popen:
    proc = _READERS.get(git_dir)
    if proc is None or proc.poll() is not None:
        proc = subprocess.Popen(
            ["git", "-C", str(git_dir), "cat-file", "--batch"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        _READERS[git_dir] = proc
    return proc


def read_blob(git_dir: Path, sha: str) -> bytes | None:
    """The bytes of blob ``sha`` of the checkout at ``git_dir``; None when it is missing."""
    proc = _reader(git_dir)
    assert proc.stdin is not None and proc.stdout is not None
    try:
        proc.stdin.write(sha.encode("ascii") + b"\n")
        proc.stdin.flush()
        header = proc.stdout.readline().split()
    except (BrokenPipeError, OSError):
        close_readers()
        return None
    if len(header) != 3 or header[1] != b"blob":  # "<sha> missing", a tree, a dead reader
        return None
    size = int(header[2])
    data = proc.stdout.read(size)
    proc.stdout.read(1)  # the newline after the content
    return data if len(data) == size else None


def read_text(
    git_dir: Path, sha: str, path: str, max_bytes: int = DEFAULT_MAX_BYTES
) -> str | Reason:
    """Blob ``sha`` (of file ``path``) decoded as the file walk decodes files, or why not."""
    data = read_blob(git_dir, sha)
    if data is None:
        return MISSING_BLOB
    if len(data) > max_bytes:
        return TOO_LARGE
    if b"\x00" in data:
        return BINARY
    text = decode(data, path)
    return text  # or NOT_UTF8, ENCODING_ERROR


@atexit.register
def close_readers() -> None:
    """End every reader this process started."""
    for proc in _READERS.values():
        if proc.stdin is not None:
            proc.stdin.close()  # the reader ends at the end of its input
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    _READERS.clear()
