"""Walk a source folder: include/exclude rules, skipped folders, size limits, encodings.

A file that cannot become text is never an error: it is skipped and counted under one of
the declared reasons below (see :data:`ibert_mine.sources.units.SKIP_REASONS`).
"""

from __future__ import annotations

import io
import os
import re
import stat
import tokenize
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ibert_mine.core.config import DEFAULT_MAX_BYTES, WalkRules
from ibert_mine.core.reasons import Reason

SKIPPED_DIRS: frozenset[str] = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".venv",
        "venv",
        ".env",
        ".tox",
        ".nox",
        "node_modules",
        "build",
        "dist",
        "__pycache__",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".ipynb_checkpoints",
        "site-packages",
        ".eggs",
        # expected outputs that tests compare against (pytest-snapshot, syrupy): generated,
        # not written; a miner reads one beside its test when it needs it
        "snapshots",
        "__snapshots__",
    }
)
BINARY_SNIFF_BYTES = 8192
_CODING = re.compile(rb"^[ \t\f]*#.*?coding[:=]")  # a PEP 263 declaration line

TOO_LARGE = Reason("too_large", "the file is larger than --max-bytes")
BINARY = Reason("binary", "the file holds NUL bytes: binary, not text")
NOT_UTF8 = Reason("not_utf8", "the file is not valid UTF-8 and declares no other encoding")
ENCODING_ERROR = Reason(
    "encoding_error", "the encoding a Python file declares (PEP 263) is unknown or does not fit"
)
BROKEN_SYMLINK = Reason("broken_symlink", "a symlink to nothing (or the file vanished)")
NOT_REGULAR = Reason("not_regular", "a FIFO, a device or a socket: never read")
UNREADABLE = Reason("unreadable", "the operating system refused to read the file")
REASONS: tuple[Reason, ...] = (
    TOO_LARGE,
    BINARY,
    NOT_UTF8,
    ENCODING_ERROR,
    BROKEN_SYMLINK,
    NOT_REGULAR,
    UNREADABLE,
)


@dataclass(frozen=True, slots=True)
class Skip:
    """A file that was passed over, with the reason it was."""

    path: str
    reason: Reason


@dataclass(frozen=True, slots=True)
class TextFile:
    """A file decoded as UTF-8 text."""

    path: str  # relative to the source's base, POSIX separators
    text: str


def walk(root: Path, rules: WalkRules, base: Path | None = None) -> Iterator[str | Skip]:
    """Yield the relative paths (to ``base``, default ``root``) of wanted files, sorted.

    Folders in :data:`SKIPPED_DIRS` and hidden folders are not entered; symlinked folders
    are not followed; a broken symlink is yielded as a :class:`Skip`.
    """
    base = base or root
    if root.is_file():
        rel = root.relative_to(base).as_posix() if root != base else root.name
        yield rel
        return
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        dirnames[:] = sorted(
            d
            for d in dirnames
            if d not in SKIPPED_DIRS
            and not d.startswith(".")
            and not (here / d).is_symlink()
            and not d.endswith(".egg-info")
        )
        for name in sorted(filenames):
            full = here / name
            rel = full.relative_to(base).as_posix()
            if not rules.wants(rel):
                continue
            if full.is_symlink() and not full.exists():
                yield Skip(rel, BROKEN_SYMLINK)
                continue
            yield rel


def read_text(base: Path, rel_path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> TextFile | Skip:
    """Read one file as text (see :func:`decode`), or say why it cannot be used."""
    full = base / rel_path
    try:
        if not stat.S_ISREG(full.stat().st_mode):  # a FIFO, a device: never read
            return Skip(rel_path, NOT_REGULAR)
        with full.open("rb") as handle:
            data = handle.read(max_bytes + 1)  # the size on disk may lie (procfs, growth)
        if len(data) > max_bytes:
            return Skip(rel_path, TOO_LARGE)
    except FileNotFoundError:
        return Skip(rel_path, BROKEN_SYMLINK)
    except OSError:
        return Skip(rel_path, UNREADABLE)
    if b"\x00" in data[:BINARY_SNIFF_BYTES]:
        return Skip(rel_path, BINARY)
    text = decode(data, rel_path)
    return Skip(rel_path, text) if isinstance(text, Reason) else TextFile(rel_path, text)


def decode(data: bytes, rel_path: str) -> str | Reason:
    """The text of a file's bytes: UTF-8, or for Python the encoding its PEP 263 line (or
    BOM) declares, as Python reads it; else why not."""
    encoding = "utf-8"
    if rel_path.endswith(".py"):
        try:
            encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        except SyntaxError:  # no valid declaration: a bad one, or bytes that are not UTF-8
            declared = any(_CODING.match(line) for line in data.split(b"\n", 2)[:2])
            return ENCODING_ERROR if declared else NOT_UTF8
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return NOT_UTF8 if encoding in {"utf-8", "utf-8-sig"} else ENCODING_ERROR
    return text.removeprefix("\ufeff")
