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
    # a notebook as one Markdown page (code cells fenced) and the cell number of each of
    # its lines; None for a page, or a notebook that cannot be read
    markdown: tuple[str, tuple[int, ...]] | None = None


def parse_page(text: str, provenance: Provenance) -> PageUnit:
    """Read the code cells of a page once (a page that cannot be read has none)."""
    if not provenance.path.endswith(".ipynb"):
        return PageUnit(provenance, text, tuple(_fenced_cells(text)))
    notebook = _notebook(text)
    if notebook is None:
        return PageUnit(provenance, text, ())
    return PageUnit(provenance, text, tuple(_notebook_cells(notebook)), notebook_page(notebook))


def code_cells(text: str, path: str) -> list[Cell]:
    """The code cells of a page or notebook, in order (empty when it cannot be read)."""
    return list(parse_page(text, Provenance("", path)).cells)


def _notebook(text: str) -> dict | None:
    try:
        notebook = json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        return None
    return notebook if isinstance(notebook, dict) else None


def _cell_source(cell: dict) -> str:
    """A cell's source as text (a list of lines, a string; anything else is no text)."""
    source = cell.get("source", "")
    if isinstance(source, list):
        return "".join(x for x in source if isinstance(x, str))
    return source if isinstance(source, str) else ""


def notebook_page(notebook: dict) -> tuple[str, tuple[int, ...]]:
    """A notebook as one Markdown page (its Markdown cells as written, its code cells as
    fenced ``python`` blocks) and the cell number of each of its lines."""
    lines: list[str] = []
    cell_of: list[int] = []
    cells = notebook.get("cells", [])
    for number, cell in enumerate(cells if isinstance(cells, list) else [], start=1):
        if not isinstance(cell, dict) or cell.get("cell_type") not in {"markdown", "code"}:
            continue
        body = _cell_source(cell).strip("\n").split("\n")
        if cell["cell_type"] == "code":
            body = ["```python", *body, "```"]
        lines += [*body, ""]
        cell_of += [number] * (len(body) + 1)
    return "\n".join(lines), tuple(cell_of)


def is_doc(path: str) -> bool:
    """True for documentation pages and notebooks."""
    return path.endswith(DOC_SUFFIXES)


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


def _notebook_cells(notebook: dict) -> list[Cell]:
    raw = notebook.get("cells", [])
    metadata = notebook.get("metadata", {})
    spec = metadata.get("kernelspec", {}) if isinstance(metadata, dict) else {}
    lang = spec.get("language", "python") if isinstance(spec, dict) else "python"
    cells = []
    for number, cell in enumerate(raw if isinstance(raw, list) else [], start=1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = _cell_source(cell)
        if source.lstrip().startswith("%%sql"):
            cells.append(Cell("sql", source.split("\n", 1)[-1], number))
        else:
            cells.append(Cell(str(lang).lower(), source + "\n", number))
    return cells
