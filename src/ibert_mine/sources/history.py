"""The ``commit`` unit: one commit of a git checkout's history, read in one walk.

:func:`walk` runs ``git log --raw`` once, in one process, from the source's commit back to
the root, and yields a frozen :class:`CommitUnit` per commit (newest first, git's order, so
the same checkout always gives the same sequence): its hash, its parent, its message and
the files it changed at both sides (blob hashes, no content). A merge, a root commit and a
commit whose message is not UTF-8 are yielded as a :class:`~ibert_mine.sources.files.Skip`
under a declared reason. A folder that is not a checkout, or a shallow clone (whose oldest
commits have no parent to compare with), yields nothing: :func:`history_note` says why.

Blob contents are read later, when a miner asks (:mod:`ibert_mine.sources.blobs`), so the
walk needs no file content: a blob missing from the object store never stops it.
Renames are not detected (that would read blobs): a renamed file shows as deleted and added.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ibert_mine.core.reasons import Reason
from ibert_mine.sources.files import Skip
from ibert_mine.sources.provenance import Provenance
from ibert_mine.sources.resolve import Source

MERGE = Reason("merge", "a merge commit: its change has no single parent to compare with")
ROOT_COMMIT = Reason("root_commit", "the first commit: it has no parent")
MESSAGE_NOT_UTF8 = Reason("message_not_utf8", "the commit message is not valid UTF-8")
REASONS: tuple[Reason, ...] = (MERGE, ROOT_COMMIT, MESSAGE_NOT_UTF8)
COMMITS = "commits"  # the stage the walk's skipped commits are counted under

NOT_A_CHECKOUT = "not a git checkout: no commit history was mined"
SHALLOW = "a shallow clone: its history is cut, no commit history was mined"
NULL_SHA = "0" * 40
_FORMAT = "--format=%x1e%H %P%x1f%B%x1f"


@dataclass(frozen=True, slots=True)
class Change:
    """One file a commit changed: ``status`` A(dded), M(odified), D(eleted), T(ype changed).

    ``old_blob``/``new_blob`` are the blob hashes at the parent and at the commit (None
    where the file does not exist); the modes say ``120000`` for a symlink, ``160000`` for a
    submodule.
    """

    status: str
    path: str
    old_blob: str | None
    new_blob: str | None
    old_mode: str
    new_mode: str

    @property
    def is_file(self) -> bool:
        """True for a regular file at both sides it exists at (not a symlink, a submodule)."""
        modes = [m for m in (self.old_mode, self.new_mode) if m != "000000"]
        return all(m.startswith("100") for m in modes)


@dataclass(frozen=True, slots=True)
class CommitUnit:
    """A non-merge commit with a parent (unit kind ``"commit"``): message and changed files.

    ``provenance.commit`` is the commit itself (its ``path`` is empty: a commit has no single
    file); ``git_dir`` is the checkout its blobs are read from.
    """

    KIND = "commit"

    provenance: Provenance
    sha: str
    parent: str
    message: str
    changes: tuple[Change, ...]
    git_dir: Path

    @property
    def subject(self) -> str:
        """The first line of the message."""
        return self.message.split("\n", 1)[0].strip()


def history_note(source: Source) -> str | None:
    """Why ``source`` has no history to walk (not a checkout, a shallow clone), or None."""
    if source.kind != "git" or source.commit is None:
        return NOT_A_CHECKOUT
    if is_shallow(source.base):
        return SHALLOW
    return None


def is_shallow(base: Path) -> bool:
    """True when the checkout at ``base`` is a shallow clone (or git cannot tell)."""
    try:
        done = subprocess.run(
            ["git", "-C", str(base), "rev-parse", "--is-shallow-repository"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return True
    return done.returncode != 0 or done.stdout.strip() != "false"


def walk(source: Source) -> Iterator[CommitUnit | Skip]:
    """Every commit reachable from ``source.commit``, newest first (nothing when
    :func:`history_note` says there is no history). A skipped commit's ``path`` is its hash.

    When the source's root is a folder inside the checkout, only commits that change files
    under it are walked, and only those files are listed.
    """
    if history_note(source) is not None:
        return
    assert source.commit is not None
    args = ["git", "-C", str(source.base), "-c", "core.quotePath=false", "log", "-z", "--raw"]
    args += ["--no-renames", "--no-abbrev", "--no-color", "--no-ext-diff", _FORMAT]
    args += [source.commit, "--"]
    rel = source.root.relative_to(source.base).as_posix() if source.root != source.base else ""
    args += [rel] if rel and rel != "." else []
    with subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL) as proc:
        assert proc.stdout is not None
        for record in _records(proc.stdout):
            yield _commit(record, source)


def _records(stream) -> Iterator[bytes]:
    """The log's records (one per commit), split on the record separator, streamed."""
    pending = b""
    while chunk := stream.read(1 << 20):
        pending += chunk
        *done, pending = pending.split(b"\x1e")
        yield from (r for r in done if r)
    if pending:
        yield pending


def _commit(record: bytes, source: Source) -> CommitUnit | Skip:
    """One record (``<sha> <parents>\\x1f<message>\\x1f<raw entries>``) as a unit or a skip."""
    header, _, rest = record.partition(b"\x1f")
    body, _, raw = rest.rpartition(b"\x1f")
    sha, *parents = header.decode("ascii").split()
    if len(parents) > 1:
        return Skip(sha, MERGE)
    if not parents:
        return Skip(sha, ROOT_COMMIT)
    try:
        message = body.decode("utf-8")
    except UnicodeDecodeError:
        return Skip(sha, MESSAGE_NOT_UTF8)
    provenance = Provenance(
        source=source.name,
        path="",
        commit=sha,
        repo=source.name,
        root=source.root,
        base=source.base,
    )
    return CommitUnit(provenance, sha, parents[0], message.strip(), _changes(raw), source.base)


def _changes(raw: bytes) -> tuple[Change, ...]:
    """The ``--raw -z`` entries: ``:<old mode> <new mode> <old> <new> <status>\\0<path>\\0``."""
    tokens = raw.strip(b"\0\n").split(b"\0")
    out: list[Change] = []
    for head, path in zip(tokens[::2], tokens[1::2], strict=False):
        fields = head.lstrip(b"\n:").decode("ascii", "replace").split()
        if len(fields) != 5:
            continue
        old_mode, new_mode, old, new, status = fields
        out.append(
            Change(
                status=status[:1],
                path=path.decode("utf-8", "surrogateescape"),
                old_blob=None if old == NULL_SHA else old,
                new_blob=None if new == NULL_SHA else new,
                old_mode=old_mode,
                new_mode=new_mode,
            )
        )
    return tuple(out)
