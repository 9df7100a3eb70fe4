"""The sections of a Markdown or Quarto page: heading, prose, code, and the lines they span.

A section starts at an ATX heading outside code fences and outside Quarto divs (a heading
inside a callout is its title; one inside a tabset names a tab), and runs to the next
heading of its level or above. The text before the first heading belongs to the page's
title (front matter ``title:`` or the first ``#`` heading). Of a tabset only the first tab
is kept: the tabs are alternatives (``pip``, ``conda``, ``mamba``), and one is the answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ibert_mine.tasks.qa.code_example import PYTHON

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})\s*\{?\.?([\w+-]*)")
_DIV_OPEN = re.compile(r"^[ \t]*(:{3,})\s*\S")
_DIV_CLOSE = re.compile(r"^[ \t]*:{3,}\s*$")
_TITLE = re.compile(r"(?m)^title:\s*[\"']?(.*?)[\"']?\s*$")
_ANNOTATION = re.compile(r"\s*# <\d+>\s*$")  # Quarto code annotation markers
_HIDDEN = re.compile(r"^\s*#\|\s*(echo|include)\s*:\s*false\b")
_LIST_ITEM = re.compile(r"^\d+\.\s")


@dataclass(frozen=True, slots=True)
class Section:
    """One section: its heading, its prose (Markdown), its Python code and its lines."""

    heading: str
    level: int  # 1 for the page's lead section
    prose: str  # the section's Markdown, Python code blocks taken out
    code: tuple[str, ...]  # its Python code blocks, in order
    start: int  # 1-based line of the heading (or the first line after the front matter)
    end: int


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
            self._break()
        elif _DIV_OPEN.match(line):
            self.depth += 1
            if "panel-tabset" in line and not self.tabset:
                self.tabset = self.depth
            self._break()
        elif self.tabset and self.depth == self.tabset and (heading := _HEADING.match(line)):
            level = len(heading.group(1))
            if self.tab_level is None:
                self.tab_level = level
            elif level == self.tab_level:
                self.skipping = True
            self._break()
        elif self.annotated and (_LIST_ITEM.match(line) or line.startswith("   ")):
            return  # the numbered notes of the block's markers: about lines no longer marked
        elif not self.skipping:
            self.annotated = self.annotated and not line.strip()
            self.prose.append(line)

    def _break(self) -> None:
        """A line left out (a div's fence, a tab's name) still ends a paragraph, as it
        does once :func:`~ibert_mine.tasks.qa.markup.clean` takes it out of the source."""
        if not self.skipping:
            self.prose.append("")

    def _in_block(self, line: str) -> None:
        assert self.block is not None
        if not line.strip().startswith(self.fence):
            self.block.append(line)
            return
        block, self.block = self.block, None
        if self.skipping or any(_HIDDEN.match(x) for x in block):  # the site's build cells
            return
        self.annotated = any(_ANNOTATION.search(x) for x in block)
        kept = _cell_code(block).split("\n") if self.lang in PYTHON else block
        if self.lang in PYTHON:
            self.code.append("\n".join(kept))
        if self.lang:  # the block as written, its fence too (``` or ~~~)
            self.prose.extend([f"{self.fence}{self.lang}", *kept, line.strip()])
        else:  # no language: output or a diagram, not the answer; the paragraphs stay apart
            self._break()


def _split(body: list[str]) -> tuple[str, list[str]]:
    """The prose (tabsets cut to their first tab) and the Python code blocks of a body."""
    reader = _Body()
    for line in body:
        reader.line(line)
    return "\n".join(reader.prose), reader.code
