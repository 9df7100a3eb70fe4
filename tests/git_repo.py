"""A small git history built in a test's folder, with fixed dates: the fix commits' fixture."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

DATE = "2024-01-0{day}T12:00:00+00:00"

GOOD = '''\
import re


def parse_limit(text):
    """The row limit a query string asks for."""
    match = re.match(r"limit (\\d+)", text)
    return int(match.group(1))


class Table:
    def head(self, n=5):
        return self.rows[:n]
'''

FIXED = '''\
import re


def parse_limit(text):
    """The row limit a query string asks for."""
    match = re.match(r"limit (\\d+)", text)
    if match is None:
        raise ValueError(f"no limit in {text!r}")
    return int(match.group(1))


class Table:
    def head(self, n=5):
        return self.rows[:n]
'''

TEST = """\
import pytest

from pkg.core import parse_limit


def test_parse_limit():
    assert parse_limit("limit 3") == 3
"""

TEST_FIXED = (
    TEST
    + """

def test_no_limit():
    with pytest.raises(ValueError, match="no limit in"):
        parse_limit("select")
"""
)


def git(repo: Path, *args: str, day: int = 1) -> str:
    """Run git in ``repo`` with fixed names and dates."""
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "A U Thor",
        "GIT_AUTHOR_EMAIL": "author@example.com",
        "GIT_COMMITTER_NAME": "A U Thor",
        "GIT_COMMITTER_EMAIL": "author@example.com",
        "GIT_AUTHOR_DATE": DATE.format(day=day),
        "GIT_COMMITTER_DATE": DATE.format(day=day),
        "GIT_CONFIG_NOSYSTEM": "1",
        "HOME": str(repo),
    }
    done = subprocess.run(["git", "-C", str(repo), *args], env=env, capture_output=True, check=True)
    return done.stdout.decode().strip()


def commit(repo: Path, message: str, files: dict[str, str | bytes | None], day: int) -> str:
    """Write (or delete, for None) ``files`` and commit them; the new commit's hash."""
    for rel, content in files.items():
        path = repo / rel
        if content is None:
            git(repo, "rm", "-q", rel)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        git(repo, "add", rel)
    git(repo, "commit", "-q", "-m", message, day=day)
    return git(repo, "rev-parse", "HEAD")


def build(repo: Path) -> dict[str, str]:
    """The fixture history; the hashes of its commits by name."""
    repo.mkdir(parents=True, exist_ok=True)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "remote", "add", "origin", "https://github.com/example/pkg.git")
    out = {}
    out["root"] = commit(
        repo, "Initial commit", {"pkg/core.py": GOOD, "pkg/tests/test_core.py": TEST}, 1
    )
    out["docs"] = commit(repo, "fix(docs): typo in the readme", {"README.md": "# pkg\n"}, 2)
    out["test_only"] = commit(repo, "fix: a flaky test", {"pkg/tests/test_core.py": TEST + "\n"}, 3)
    out["deps"] = commit(
        repo, "fix(deps): update dependency re2 to v2", {"pyproject.toml": "[project]\n"}, 4
    )
    out["format"] = commit(
        repo,
        "fix: format core",
        {"pkg/core.py": GOOD.replace("return self.rows[:n]", "return self.rows[ : n ]")},
        5,
    )
    out["feature"] = commit(repo, "feat: a new module", {"pkg/extra.py": "X = 1\n"}, 6)
    out["fix"] = commit(
        repo,
        "fix(core): parse_limit fails on a query without a limit (#12)\n\n"
        "parse_limit called .group on None when the query had no limit clause.\n"
        "Raise a ValueError that says so.\n\n"
        "Closes #11.\n\nCo-authored-by: B <b@example.com>\n",
        {
            "pkg/core.py": FIXED.replace("rows[:n]", "rows[ : n ]"),
            "pkg/tests/test_core.py": TEST_FIXED,
            "docs/logo.png": b"\x89PNG\0\1",
        },
        7,
    )
    git(repo, "checkout", "-q", "-b", "side", out["feature"])
    out["side"] = commit(repo, "fix: side branch", {"pkg/side.py": "Y = 2\n"}, 8)
    git(repo, "checkout", "-q", "main")
    git(repo, "merge", "-q", "--no-ff", "-m", "Merge branch side", "side", day=9)
    out["merge"] = git(repo, "rev-parse", "HEAD")
    out["revert"] = commit(repo, 'Revert "feat: a new module"', {"pkg/extra.py": None}, 10)
    out["data"] = commit(
        repo, "fix: data files", {"pkg/data.py": b"X = 1\n", "pkg/latin.py": "X = 'cafe'\n"}, 11
    )
    out["binary2"] = commit(repo, "fix: binary data", {"pkg/data.py": b"X = 1\0\n"}, 12)
    out["latin1"] = commit(
        repo, "fix: latin-1", {"pkg/latin.py": "X = 'caf\xe9'\n".encode("latin-1")}, 13
    )
    git(repo, "mv", "pkg/side.py", "pkg/moved.py")
    out["rename"] = commit(repo, "fix: move side", {}, 14)
    out["delete"] = commit(repo, "fix: drop the moved module", {"pkg/moved.py": None}, 15)
    # a dependency bump that adapts the code to the new version is a bump all the same
    adapted = (repo / "pkg" / "core.py").read_text().replace("int(match.group(1))", "int(match[1])")
    out["deps_code"] = commit(
        repo, "fix(deps): update dependency re2 to v3", {"pkg/core.py": adapted}, 16
    )
    return out
