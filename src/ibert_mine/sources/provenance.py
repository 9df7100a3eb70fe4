"""Where a unit came from: enough to find its text again, and the folder it was read from."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a unit came from: its source, its path, and the folders it was read from.

    ``root`` is the folder the source walks and ``base`` the folder ``path`` is relative to
    (both None for text that is not on disk): miners read sibling files through them
    (a test's ``conftest.py``, a TPC query file, a compiler snapshot).
    """

    source: str
    path: str
    commit: str | None = None
    repo: str | None = None
    version: str | None = None  # the version of an installed package source
    root: Path | None = None
    base: Path | None = None

    def meta(self, lines: tuple[int, int] | None = None) -> dict[str, Any]:
        """The provenance part of an example's ``meta``."""
        out: dict[str, Any] = {"path": self.path}
        if lines is not None:
            out["lines"] = [lines[0], lines[1]]
        if self.repo:
            out["repo"] = self.repo
        if self.commit:
            out["commit"] = self.commit
        if self.version:
            out["version"] = self.version
        return out
