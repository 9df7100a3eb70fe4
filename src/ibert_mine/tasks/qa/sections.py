"""The sections of a Markdown or Quarto page: heading, prose, code, and the lines they span.

A section starts at an ATX heading outside code fences and outside Quarto divs (a heading
inside a callout is its title; one inside a tabset names a tab), and runs to the next
heading of its level or above. The text before the first heading belongs to the page's
title (front matter ``title:`` or the first ``#`` heading). Of a tabset only the first tab
is kept: the tabs are alternatives (``pip``, ``conda``, ``mamba``), and one is the answer.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})\s*\{?\.?([\w+-]*)")
_DIV_OPEN = re.compile(r"^[ \t]*(:{3,})\s*\S")
_DIV_CLOSE = re.compile(r"^[ \t]*:{3,}\s*$")
_TITLE = re.compile(r"(?m)^title:\s*[\"']?(.*?)[\"']?\s*$")
_ANNOTATION = re.compile(r"\s*# <\d+>\s*$")  # Quarto code annotation markers
_HIDDEN = re.compile(r"^\s*#\|\s*(echo|include)\s*:\s*false\b")
_LIST_ITEM = re.compile(r"^\d+\.\s")
PYTHON = frozenset({"python", "py", "python3", "ipython"})


@dataclass(frozen=True, slots=True)
class Section:
    """One section: its heading, its prose (Markdown), its Python code and its lines."""

    heading: str
    level: int  # 1 for the page's lead section
    prose: str  # the section's Markdown, Python code blocks taken out
    code: tuple[str, ...]  # its Python code blocks, in order
    start: int  # 1-based line of the heading (or the first line after the front matter)
    end: int


def notebook_markdown(text: str) -> tuple[str, list[int]] | None:
    """A notebook as one Markdown page (its Markdown cells as written, its code cells as
    fenced ``python`` blocks) and the cell number of each of its lines; None when the
    notebook cannot be read."""
    try:
        cells = json.loads(text).get("cells", [])
    except (json.JSONDecodeError, AttributeError):
        return None
    lines: list[str] = []
    cell_of: list[int] = []
    for number, cell in enumerate(cells if isinstance(cells, list) else [], start=1):
        if not isinstance(cell, dict) or cell.get("cell_type") not in {"markdown", "code"}:
            continue
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else str(source)
        body = source.strip("\n").split("\n")
        if cell["cell_type"] == "code":
            body = ["```python", *body, "```"]
        lines += [*body, ""]
        cell_of += [number] * (len(body) + 1)
    return "\n".join(lines), cell_of


def page_title(text: str) -> str | None:
    """The title of a page: its front matter's ``title:``, else its first ``#`` heading."""
    front = _front_matter_end(text)
    if front:
        found = _TITLE.search("\n".join(text.split("\n")[:front]))
        if found and found.group(1).strip():
            return found.group(1).strip()
    for line in text.split("\n"):
        match = _HEADING.match(line)
        if match and len(match.group(1)) == 1:
            return match.group(2)
    return None


def _front_matter_end(text: str) -> int:
    """The number of front matter lines at the top of ``text`` (0 when it has none)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return 0
    for i, line in enumerate(lines[1:], start=1):
        if line.strip() in {"---", "..."}:
            return i + 1
    return 0


def sections(text: str) -> list[Section]:
    """The sections of a page, in order (the lead section under the page's title first)."""
    lines = text.split("\n")
    start = _front_matter_end(text)
    title = page_title(text) or ""
    heads: list[tuple[int, int, str]] = [(start, 1, title)]  # (index, level, heading)
    fence: str | None = None
    divs = 0
    for i in range(start, len(lines)):
        line = lines[i]
        match = _FENCE.match(line)
        if match and (fence is None or line.strip().startswith(fence)):
            fence = match.group(1)[:3] if fence is None else None
            continue
        if fence is not None:
            continue
        if _DIV_CLOSE.match(line):
            divs = max(0, divs - 1)
        elif _DIV_OPEN.match(line):
            divs += 1
        elif divs == 0 and (heading := _HEADING.match(line)):
            level = len(heading.group(1))
            if level == 1 and i == heads[0][0] + _blank_run(lines, heads[0][0]):
                heads[0] = (i, 1, heading.group(2))  # the page's own title heading
            else:
                heads.append((i, level, heading.group(2)))
    ends = [h[0] for h in heads[1:]] + [len(lines)]
    spans = zip(heads, ends, strict=True)
    return [_section(lines, i, level, heading, end) for (i, level, heading), end in spans]


def _blank_run(lines: list[str], i: int) -> int:
    n = 0
    while i + n < len(lines) and not lines[i + n].strip():
        n += 1
    return n


def _section(lines: list[str], i: int, level: int, heading: str, end: int) -> Section:
    body_start = i + 1 if _HEADING.match(lines[i] if i < len(lines) else "") else i
    prose, code = _split(lines[body_start:end])
    last = end
    while last > body_start and not lines[last - 1].strip():
        last -= 1
    return Section(heading, level, prose, tuple(code), i + 1, max(last, i + 1))


def _cell_code(block: list[str]) -> str:
    """A code cell's code: Quarto's ``#|`` options and annotation markers taken out."""
    return "\n".join(_ANNOTATION.sub("", x) for x in block if not x.lstrip().startswith("#|"))


class _Body:
    """Reads a section's body line by line: prose, code blocks, tabsets cut to one tab."""

    def __init__(self) -> None:
        self.prose: list[str] = []
        self.code: list[str] = []
        self.block: list[str] | None = None  # the code block being read
        self.fence, self.lang = "", ""
        self.depth = 0  # Quarto divs open
        self.tabset = 0  # the depth of the tabset being read (0: none)
        self.tab_level: int | None = None  # its tabs' heading level, once seen
        self.skipping = False  # in a tabset's second tab or after
        self.annotated = False  # after a block with ``# <1>`` markers: its annotation list

    def line(self, line: str) -> None:
        """Take one line of the body."""
        if self.block is not None:
            self._in_block(line)
        elif match := _FENCE.match(line):
            self.fence, self.lang, self.block = match.group(1), match.group(2).lower(), []
        elif _DIV_CLOSE.match(line):
            if self.tabset and self.depth == self.tabset:
                self.tabset, self.tab_level, self.skipping = 0, None, False
            self.depth = max(0, self.depth - 1)
        elif _DIV_OPEN.match(line):
            self.depth += 1
            if "panel-tabset" in line and not self.tabset:
                self.tabset = self.depth
        elif self.tabset and self.depth == self.tabset and (heading := _HEADING.match(line)):
            level = len(heading.group(1))
            if self.tab_level is None:
                self.tab_level = level
            elif level == self.tab_level:
                self.skipping = True
        elif self.annotated and (_LIST_ITEM.match(line) or line.startswith("   ")):
            return  # the numbered notes of the block's markers: about lines no longer marked
        elif not self.skipping:
            self.annotated = self.annotated and not line.strip()
            self.prose.append(line)

    def _in_block(self, line: str) -> None:
        assert self.block is not None
        if not line.strip().startswith(self.fence):
            self.block.append(line)
            return
        hidden = any(_HIDDEN.match(x) for x in self.block)  # the site's own build cells
        if self.skipping or hidden:
            self.block = None
            return
        self.annotated = any(_ANNOTATION.search(x) for x in self.block)
        kept = _cell_code(self.block).split("\n") if self.lang in PYTHON else self.block
        if self.lang in PYTHON:
            self.code.append("\n".join(kept))
        if self.lang:  # a block with no language is output or a diagram: not the answer
            self.prose.extend([f"```{self.lang}", *kept, line.strip()])
        self.block = None


def _split(body: list[str]) -> tuple[str, list[str]]:
    """The prose (tabsets cut to their first tab) and the Python code blocks of a body."""
    reader = _Body()
    for line in body:
        reader.line(line)
    return "\n".join(reader.prose), reader.code
