"""Turn a ``--source`` argument into a :class:`Source`: an installed package, folder or checkout."""

from __future__ import annotations

import importlib.metadata
import importlib.util
from dataclasses import dataclass
from pathlib import Path

from ibert_mine.sources import git

DEFAULT_SOURCE = "ibis"


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

    def describe(self) -> dict[str, str | None]:
        """The manifest entry for this source."""
        return {
            "name": self.name,
            "kind": self.kind,
            "root": str(self.root),
            "base": str(self.base),
            "commit": self.commit,
            "version": self.version,
        }


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
                )
        base = path if path.is_dir() else path.parent
        return Source(name=base.name, kind="folder", root=path, base=base)
    if spec.isidentifier():
        found = _installed_package(spec)
        if found is not None:
            return found
    raise SourceError(f"source not found: {spec!r} is neither a path nor an installed package")
