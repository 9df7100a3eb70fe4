"""Units: what a file becomes once read, one kind per module of this package.

- ``module`` (:class:`~ibert_mine.sources.python.ModuleUnit`): a parsed Python module;
- ``page`` (:class:`~ibert_mine.sources.pages.PageUnit`): a documentation page or a
  notebook, with its code cells;
- ``commit`` (:class:`~ibert_mine.sources.history.CommitUnit`): a commit of a checkout's
  history. It is not a file: :func:`ibert_mine.sources.history.walk` plans commits, not
  :func:`read_unit`.

A task declares the unit kinds it consumes. A new kind of unit (a commit of a git
history, a thread of a community export) is a new module here with its own reader, one
entry in :data:`UNIT_KINDS` and one in :func:`read_unit`.
"""

from __future__ import annotations

from ibert_mine.core.reasons import Reason
from ibert_mine.sources import files, python
from ibert_mine.sources.files import Skip
from ibert_mine.sources.history import CommitUnit
from ibert_mine.sources.pages import PageUnit, is_doc, parse_page
from ibert_mine.sources.provenance import Provenance
from ibert_mine.sources.python import ModuleUnit, parse_module
from ibert_mine.sources.resolve import Source

Unit = ModuleUnit | PageUnit | CommitUnit
UNIT_KINDS: tuple[str, ...] = (ModuleUnit.KIND, PageUnit.KIND, CommitUnit.KIND)
FILE_KINDS: tuple[str, ...] = (ModuleUnit.KIND, PageUnit.KIND)  # what read_unit makes
SKIP_REASONS: tuple[Reason, ...] = files.REASONS + python.REASONS


def provenance_of(source: Source, path: str) -> Provenance:
    """The provenance of file ``path`` of ``source``."""
    return Provenance(
        source=source.name,
        path=path,
        commit=source.at_commit(path),
        repo=source.name if source.kind == "git" else None,
        version=source.version,
        root=source.root,
        base=source.base,
    )


def read_unit(source: Source, path: str, max_bytes: int) -> Unit | Skip:
    """Read file ``path`` of ``source`` into its unit, or say why it is skipped."""
    read = files.read_text(source.base, path, max_bytes)
    if isinstance(read, Skip):
        return read
    provenance = provenance_of(source, path)
    if is_doc(path):
        return parse_page(read.text, provenance)
    return parse_module(read.text, provenance)


def read_sibling(provenance: Provenance, rel_path: str) -> str | None:
    """The text of another file of the unit's source (``rel_path`` relative to its base)."""
    if provenance.base is None:
        return None
    read = files.read_text(provenance.base, rel_path)
    return None if isinstance(read, Skip) else read.text
