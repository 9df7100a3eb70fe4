"""Read what a git checkout says about itself: its commit and its repository name."""

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
    return done.stdout.strip() if done.returncode == 0 else None


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
