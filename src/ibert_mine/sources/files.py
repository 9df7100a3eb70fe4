"""Walk a source folder: include/exclude rules, skipped folders, size limits, encodings.

A file that cannot become text is never an error: it is skipped and counted under a
named reason (``file:too_large``, ``file:binary``, ``file:not_utf8``,
``file:broken_symlink``, ``file:not_regular``, ``file:unreadable``).
"""

from __future__ import annotations

import fnmatch
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

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
    }
)
# Python modules, and the pages and notebooks whose code cells hold Ibis programs
DEFAULT_INCLUDE: tuple[str, ...] = ("*.py", "*.qmd", "*.md", "*.ipynb")
DEFAULT_MAX_BYTES = 1_000_000
BINARY_SNIFF_BYTES = 8192


@dataclass(frozen=True, slots=True)
class WalkRules:
    """Which files of a folder are read: globs on the relative path, and a size limit."""

    include: tuple[str, ...] = DEFAULT_INCLUDE
    exclude: tuple[str, ...] = ()
    max_bytes: int = DEFAULT_MAX_BYTES

    def wants(self, rel_path: str) -> bool:
        """True when ``rel_path`` (POSIX, relative to the root) matches include and no exclude."""
        name = rel_path.rsplit("/", 1)[-1]
        included = any(
            fnmatch.fnmatch(name, g) or fnmatch.fnmatch(rel_path, g) for g in self.include
        )
        excluded = any(
            fnmatch.fnmatch(rel_path, g) or fnmatch.fnmatch(name, g) for g in self.exclude
        )
        return included and not excluded


@dataclass(frozen=True, slots=True)
class Skip:
    """A file that was passed over, with the reason it was."""

    path: str
    reason: str


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
                yield Skip(rel, "file:broken_symlink")
                continue
            yield rel


def read_text(base: Path, rel_path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> TextFile | Skip:
    """Read one file as UTF-8 text, or say why it cannot be used."""
    full = base / rel_path
    try:
        if not stat.S_ISREG(full.stat().st_mode):  # a FIFO, a device: never read
            return Skip(rel_path, "file:not_regular")
        with full.open("rb") as handle:
            data = handle.read(max_bytes + 1)  # the size on disk may lie (procfs, growth)
        if len(data) > max_bytes:
            return Skip(rel_path, "file:too_large")
    except FileNotFoundError:
        return Skip(rel_path, "file:broken_symlink")
    except OSError:
        return Skip(rel_path, "file:unreadable")
    if b"\x00" in data[:BINARY_SNIFF_BYTES]:
        return Skip(rel_path, "file:binary")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return Skip(rel_path, "file:not_utf8")
    return TextFile(rel_path, text.removeprefix("\ufeff"))
