"""Parse a Python module once into the units the task miners need.

A :class:`ModuleUnit` holds the text, the AST, every documented-or-not definition
(module, classes, functions, methods) with its qualified name and line span, and
helpers to cut exact source text by AST positions (which count UTF-8 bytes).
"""

from __future__ import annotations

import ast
import doctest
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

import docstring_parser

from ibert_mine.core.reasons import Reason
from ibert_mine.sources.files import Skip
from ibert_mine.sources.provenance import Provenance

SYNTAX_ERROR = Reason("syntax_error", "a Python file that does not parse")
UNPARSEABLE = Reason("unparseable", "a Python file the parser gives up on (null bytes, too deep)")
REASONS: tuple[Reason, ...] = (SYNTAX_ERROR, UNPARSEABLE)

DefNode = ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Module


@dataclass(frozen=True, slots=True)
class Definition:
    """A module, class, function or method, with its docstring if it has one."""

    node: DefNode
    kind: str  # "module" | "class" | "function" | "method"
    qualname: str
    start: int  # first line, decorators included (1-based)
    end: int  # last line
    docstring: str | None  # cleaned, as ast.get_docstring gives it
    doc_node: ast.Expr | None


@dataclass(frozen=True, slots=True)
class DoctestExample:
    """One ``>>>`` example of a docstring: its source and its absolute first line."""

    source: str
    want: str
    line: int  # 1-based line of the ``>>>`` in the file
    end_line: int


@dataclass(frozen=True, slots=True)
class ModuleUnit:
    """A parsed Python module with its provenance (unit kind ``"module"``)."""

    KIND = "module"

    provenance: Provenance
    text: str
    tree: ast.Module
    definitions: tuple[Definition, ...]
    lines: tuple[str, ...] = field(repr=False)

    def line_text(self, lineno: int) -> str:
        """The text of 1-based line ``lineno`` without its newline."""
        return self.lines[lineno - 1].rstrip("\r\n")

    def char_col(self, lineno: int, byte_col: int) -> int:
        """Convert an AST byte column on ``lineno`` into a character column."""
        line = self.lines[lineno - 1]
        return len(line.encode("utf-8")[:byte_col].decode("utf-8", errors="replace"))

    def segment(self, lineno: int, col: int, end_lineno: int, end_col: int) -> str:
        """Exact text between two AST positions (byte columns)."""
        start_c = self.char_col(lineno, col)
        end_c = self.char_col(end_lineno, end_col)
        if lineno == end_lineno:
            return self.lines[lineno - 1][start_c:end_c]
        parts = [self.lines[lineno - 1][start_c:]]
        parts.extend(self.lines[lineno : end_lineno - 1])
        parts.append(self.lines[end_lineno - 1][:end_c])
        return "".join(parts)

    def node_text(self, node: ast.AST) -> str:
        """Exact source text of an expression or statement node."""
        return self.segment(node.lineno, node.col_offset, node.end_lineno, node.end_col_offset)  # type: ignore[attr-defined]


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def source_lines(text: str) -> tuple[str, ...]:
    """Lines as Python's tokenizer counts them (with their ends): only ``\n``, ``\r\n`` and
    ``\r`` end a line; ``str.splitlines`` would also split on form feeds and the like,
    and AST line numbers would then point at the wrong text."""
    return tuple(_LINE.findall(text))


def parse_or_none(code: str) -> ast.Module | None:
    """The AST of ``code``, or None when it does not parse (warnings silenced)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return ast.parse(code)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


@lru_cache(maxsize=4096)
def parse_docstring(docstring: str) -> docstring_parser.Docstring | None:
    """docstring-parser's reading of ``docstring`` (style detected), None when it fails.

    Cached, so the tasks that read one definition's docstring share one parse; callers
    must not change what it returns.
    """
    try:
        return docstring_parser.parse(docstring)
    except (docstring_parser.ParseError, ValueError, IndexError, AttributeError):
        return None


def parses(code: str) -> bool:
    """True when ``code`` is valid Python."""
    return parse_or_none(code) is not None


def first_line(stmt: ast.stmt) -> int:
    """The first line of a statement, its decorators included."""
    decorators = getattr(stmt, "decorator_list", [])
    return min([stmt.lineno] + [dec.lineno for dec in decorators])


def parse_module(text: str, provenance: Provenance) -> ModuleUnit | Skip:
    """Parse ``text`` once; a module that does not parse is a :class:`Skip`."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(text, filename=provenance.path)
    except SyntaxError:
        return Skip(provenance.path, SYNTAX_ERROR)
    except (ValueError, RecursionError, MemoryError):
        return Skip(provenance.path, UNPARSEABLE)
    lines = source_lines(text)
    definitions = sorted(_definitions(tree, len(lines)), key=_source_order)
    return ModuleUnit(provenance, text, tree, tuple(definitions), lines)


def _source_order(d: Definition) -> tuple[int, int]:
    return (d.start, -1 if d.kind == "module" else d.node.col_offset)  # type: ignore[union-attr]


def _docstring_parts(node: DefNode) -> tuple[str | None, ast.Expr | None]:
    body = node.body
    if body and isinstance(body[0], ast.Expr):
        value = body[0].value
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            return ast.get_docstring(node, clean=True), body[0]
    return None, None


_COMPOUND = (
    ast.If,
    ast.Try,
    ast.TryStar,
    ast.ExceptHandler,
    ast.With,
    ast.AsyncWith,
    ast.For,
    ast.AsyncFor,
    ast.While,
)


def _definitions(tree: ast.Module, n_lines: int) -> Iterator[Definition]:
    doc, doc_node = _docstring_parts(tree)
    yield Definition(tree, "module", "", 1, max(n_lines, 1), doc, doc_node)
    stack: list[tuple[ast.AST, str, bool]] = [(tree, "", False)]
    while stack:
        parent, prefix, in_class = stack.pop()
        children = [
            c
            for c in ast.iter_child_nodes(parent)
            if isinstance(c, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        ]
        found = []
        for child in children:
            qualname = f"{prefix}.{child.name}" if prefix else child.name
            is_class = isinstance(child, ast.ClassDef)
            kind = "class" if is_class else ("method" if in_class else "function")
            start = first_line(child)
            doc, doc_node = _docstring_parts(child)
            found.append(
                Definition(child, kind, qualname, start, child.end_lineno or start, doc, doc_node)
            )
            stack.append((child, qualname, is_class))
        # also look inside compound statements (if TYPE_CHECKING:, try:, ...)
        for c in ast.iter_child_nodes(parent):
            if isinstance(c, _COMPOUND):
                stack.append((c, prefix, in_class))
        yield from found


_DOCTEST_PARSER = doctest.DocTestParser()


def doctest_examples(definition: Definition) -> list[DoctestExample]:
    """The ``>>>`` examples of a definition's docstring, with absolute line numbers."""
    node = definition.doc_node
    if node is None:
        return []
    raw = node.value.value  # type: ignore[attr-defined]
    if ">>>" not in raw:
        return []
    try:
        examples = _DOCTEST_PARSER.get_examples(raw)
    except ValueError:  # inconsistent indentation inside an example
        return []
    out = []
    for ex in examples:
        first = node.lineno + ex.lineno
        n_lines = ex.source.count("\n")
        out.append(DoctestExample(ex.source, ex.want, first, first + max(n_lines - 1, 0)))
    return out
