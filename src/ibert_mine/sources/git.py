"""Read what a git checkout says about itself: its commit, its repository name, its changes."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

_REMOTE_NAME = re.compile(r"[:/]([\w.-]+/[\w.-]+?)(?:\.git)?/?$")


def _git(root: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(
            ["git", "-C", str(root), *args], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if done.returncode != 0:
        return None
    return done.stdout if "-z" in args else done.stdout.strip()


def toplevel(path: Path) -> Path | None:
    """The work tree root containing ``path``, or None when it is not in a git checkout."""
    out = _git(path if path.is_dir() else path.parent, "rev-parse", "--show-toplevel")
    return Path(out) if out else None


def head_commit(root: Path) -> str | None:
    """The full hash of HEAD in the checkout at ``root`` (None for a repo with no commit)."""
    out = _git(root, "rev-parse", "--verify", "-q", "HEAD")
    return out or None


def repo_name(root: Path) -> str:
    """``owner/name`` from the ``origin`` remote URL, else the folder's name."""
    url = _git(root, "remote", "get-url", "origin")
    if url:
        match = _REMOTE_NAME.search(url)
        if match:
            return match.group(1)
    return root.resolve().name


def changed_paths(root: Path) -> frozenset[str]:
    """Paths (relative to the work tree root) that differ from HEAD: modified, added,
    deleted, renamed or untracked (ignored files left out)."""
    out = _git(root, "status", "--porcelain=v1", "-z", "--untracked-files=all")
    if not out:
        return frozenset()
    entries = out.split("\0")
    changed: set[str] = set()
    i = 0
    while i < len(entries):
        entry = entries[i]
        i += 1
        if len(entry) < 4:
            continue
        status, path = entry[:2], entry[3:]
        changed.add(path)
        if "R" in status or "C" in status:  # the next entry is the path it came from
            changed.add(entries[i])
            i += 1
    return frozenset(changed)
