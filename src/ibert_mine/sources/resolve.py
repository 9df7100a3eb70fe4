"""Turn a ``--source`` argument into a :class:`Source`: an installed package, folder or checkout."""

from __future__ import annotations

import importlib.metadata
import importlib.util
from dataclasses import dataclass
from pathlib import Path

from ibert_mine.sources import git

DEFAULT_SOURCE = "ibis"
MAX_LISTED = 1000  # paths listed in the manifest (the total is always given)


class SourceError(ValueError):
    """A ``--source`` that names nothing that can be mined."""


@dataclass(frozen=True, slots=True)
class Source:
    """Where examples come from.

    ``root`` is walked; paths in examples are relative to ``base`` (for the installed
    package, the folder holding ``ibis/``, so paths read ``ibis/expr/...`` as in the repo).
    """

    name: str  # recorded as each example's ``source``
    kind: str  # "package" | "folder" | "git"
    root: Path
    base: Path
    commit: str | None = None
    version: str | None = None
    # a checkout's paths (relative to ``base``) that differ from ``commit``: their examples
    # are the work tree's text and carry no commit
    changed: frozenset[str] = frozenset()

    def at_commit(self, path: str) -> str | None:
        """The commit whose text ``path`` has, None when it differs from the checkout's."""
        return None if path in self.changed else self.commit

    def describe(self) -> dict[str, object]:
        """The manifest entry for this source (a checkout's changed paths, at most
        :data:`MAX_LISTED`, and how many there are)."""
        entry: dict[str, object] = {
            "name": self.name,
            "kind": self.kind,
            "root": str(self.root),
            "base": str(self.base),
            "commit": self.commit,
            "version": self.version,
        }
        if self.kind == "git":
            entry["dirty"] = bool(self.changed)
            entry["changed"] = sorted(self.changed)[:MAX_LISTED]
            entry["changed_total"] = len(self.changed)
        return entry


def _installed_package(module: str) -> Source | None:
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        return None
    root = Path(next(iter(spec.submodule_search_locations))).resolve()
    dist = {"ibis": "ibis-framework"}.get(module, module)
    try:
        version = importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        version = None
    return Source(name=dist, kind="package", root=root, base=root.parent, version=version)


def resolve(spec: str) -> Source:
    """Resolve a ``--source``: a path (folder, file or git checkout) or an installed package."""
    path = Path(spec).expanduser()
    if path.exists():
        path = path.resolve()
        top = git.toplevel(path)
        if top is not None:
            commit = git.head_commit(top)
            if commit is not None:
                return Source(
                    name=git.repo_name(top),
                    kind="git",
                    root=path,
                    base=top.resolve(),
                    commit=commit,
                    changed=git.changed_paths(top),
                )
        base = path if path.is_dir() else path.parent
        return Source(name=base.name, kind="folder", root=path, base=base)
    if spec.isidentifier():
        found = _installed_package(spec)
        if found is not None:
            return found
    raise SourceError(f"source not found: {spec!r} is neither a path nor an installed package")
