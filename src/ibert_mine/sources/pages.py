"""Documentation pages and notebooks (``.qmd``, ``.md``, ``.ipynb``) as units of their code cells.

A page is read as one session, like a doctest: its Python cells in order. Quarto and
Markdown cells are fenced blocks (```` ```{python} ```` or ```` ```python ````); a
notebook's code cells are its cells of type ``code``. Each cell keeps the line where its
code starts (for a notebook, the cell's number), so examples can point back at it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from ibert_mine.sources.provenance import Provenance

DOC_SUFFIXES = (".qmd", ".md", ".ipynb")
_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<ticks>`{3,}|~{3,})\s*\{?(?P<lang>[\w+-]*)[^\n]*$")


@dataclass(frozen=True, slots=True)
class Cell:
    """One code cell: its language, its code, and the 1-based line (or cell number) it starts."""

    lang: str
    source: str
    line: int


@dataclass(frozen=True, slots=True)
class PageUnit:
    """A documentation page or notebook (unit kind ``"page"``): its text and its code cells."""

    KIND = "page"

    provenance: Provenance
    text: str
    cells: tuple[Cell, ...]


def parse_page(text: str, provenance: Provenance) -> PageUnit:
    """Read the code cells of a page once (a page that cannot be read has none)."""
    return PageUnit(provenance, text, tuple(code_cells(text, provenance.path)))


def is_doc(path: str) -> bool:
    """True for documentation pages and notebooks."""
    return path.endswith(DOC_SUFFIXES)


def code_cells(text: str, path: str) -> list[Cell]:
    """The code cells of a page or notebook, in order (empty when it cannot be read)."""
    if path.endswith(".ipynb"):
        return _notebook_cells(text)
    return _fenced_cells(text)


def _fenced_cells(text: str) -> list[Cell]:
    cells: list[Cell] = []
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        match = _FENCE.match(lines[i])
        if match is None or not match.group("lang"):
            i += 1
            continue
        ticks, lang = match.group("ticks"), match.group("lang").lower()
        body: list[str] = []
        j = i + 1
        while j < len(lines) and not lines[j].strip().startswith(ticks):
            body.append(lines[j])
            j += 1
        options = 0  # Quarto's leading ``#| echo: false`` lines are not code
        while options < len(body) and body[options].lstrip().startswith("#|"):
            options += 1
        cells.append(Cell(lang, "\n".join(body[options:]) + "\n", i + 2 + options))
        i = j + 1
    return cells


def _notebook_cells(text: str) -> list[Cell]:
    try:
        notebook = json.loads(text)
        raw = notebook.get("cells", [])
        lang = notebook.get("metadata", {}).get("kernelspec", {}).get("language", "python")
    except (json.JSONDecodeError, AttributeError):
        return []
    cells = []
    for number, cell in enumerate(raw, start=1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else str(source)
        if source.lstrip().startswith("%%sql"):
            cells.append(Cell("sql", source.split("\n", 1)[-1], number))
        else:
            cells.append(Cell(str(lang).lower(), source + "\n", number))
    return cells
