"""Where a mistake rule looks: one node of a program, its source text, its tables' columns.

A rule edits the program's text, not its tree: the broken program is the user's code with
one mistake in it, formatted as they wrote it, so that ``broken_code`` and ``fixed_code``
differ only where the mistake is. :class:`Site` gives the text of any node and the columns
of the declared tables; :func:`apply` writes an :class:`Found`'s edits into the code;
:func:`demo` shows what one rule makes of a snippet (the rules' examples use it).
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from ibert_mine.execution.mutants.site import JOINS, Where, method_of, type_family

__all__ = ["JOINS", "Found", "Rule", "Site", "apply", "demo", "method_of", "type_family"]

Edit = tuple[int, int, str]  # (start, end) character offsets in the code, new text


@dataclass(frozen=True, slots=True)
class Found:
    """One mistake a rule makes: the edits to the code, and why it breaks and how the
    original fixes it (``{error_type}`` stands for the exception's name)."""

    edits: tuple[Edit, ...]
    explanation: str
    expect: str = ""  # the error must hold this text, else it is not the mistake explained


class Site(Where):
    """A program's text and tree, its declared tables' columns, and the nodes' parents."""

    def __init__(self, code: str, schemas: Mapping[str, Mapping[str, str]]):
        self.code = code
        self.tree = ast.parse(code)
        super().__init__(self.tree, schemas)
        self.schemas = {name: dict(cols) for name, cols in schemas.items()}
        # lines as ast counts them: split at "\n" only (str.splitlines also splits at form
        # feeds and other separators, which would shift every offset after them)
        parts = code.split("\n")
        self._lines = [part + "\n" for part in parts[:-1]] + [parts[-1]]
        self._starts = [0]
        for line in self._lines:
            self._starts.append(self._starts[-1] + len(line))

    def _offset(self, line: int, col: int) -> int:
        text = self._lines[line - 1] if line - 1 < len(self._lines) else ""
        return self._starts[line - 1] + len(text.encode()[:col].decode(errors="ignore"))

    def span(self, node: ast.AST) -> tuple[int, int]:
        """The character offsets of ``node``'s text in the code."""
        start = self._offset(node.lineno, node.col_offset)  # type: ignore[attr-defined]
        return start, self._offset(node.end_lineno, node.end_col_offset)  # type: ignore[attr-defined]

    def text(self, node: ast.AST) -> str:
        """The source text of ``node``, as written."""
        start, end = self.span(node)
        return self.code[start:end]

    def replace(self, node: ast.AST, new: str) -> Edit:
        """The edit that writes ``new`` where ``node`` stands."""
        return (*self.span(node), new)

    def rename(self, attribute: ast.Attribute, name: str) -> Edit:
        """The edit that renames the attribute ``x.old`` to ``x.name`` (its last characters)."""
        _, end = self.span(attribute)
        return (end - len(attribute.attr), end, name)

    def column(self, node: ast.AST) -> tuple[str, str] | None:
        """(table, column) when ``node`` is ``table.column`` of a declared table."""
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in self.schemas
            and node.attr in self.schemas[node.value.id]
            and node.attr not in table_attributes()  # t.count is the method, not a column
        ):
            return node.value.id, node.attr
        return None

    def family(self, table: str, column: str) -> str:
        """The type family of a declared column (``numeric``, ``string``, ``date``...)."""
        return type_family(self.schemas[table][column])

    def other_family(self, table: str, column: str, wanted: tuple[str, ...]) -> str | None:
        """The first column of ``table`` (after ``column``, wrapping) of a family in
        ``wanted`` that is not ``column``'s family."""
        names = list(self.schemas[table])
        i = names.index(column)
        own = self.family(table, column)
        for other in names[i + 1 :] + names[:i]:
            fam = self.family(table, other)
            if fam != own and fam in wanted:
                return other
        return None


@functools.cache
def table_attributes() -> frozenset[str]:
    """The names an Ibis table answers with a method or property, not a column."""
    import ibis  # heavy: imported on first use

    return frozenset(name for name in dir(ibis.Table) if not name.startswith("_"))


Rule = Callable[[ast.AST, Site], Iterator[Found]]


def apply(code: str, found: Found) -> str:
    """``code`` with ``found``'s edits written in (edits do not overlap)."""
    out = code
    for start, end, new in sorted(found.edits, reverse=True):
        out = out[:start] + new + out[end:]
    return out


DEMO_SCHEMAS = {
    "t": {
        "a": "int64",
        "b": "float64",
        "g": "string",
        "d": "date",
        "ts": "timestamp",
        "amount": "float64",
    },
    "s": {"k": "int64", "v": "string"},
}


def demo(rule: Rule, code: str, schemas: Mapping[str, Mapping[str, str]] | None = None) -> list:
    """The broken programs one rule makes of ``code`` (for the rules' examples)."""
    site = Site(code, DEMO_SCHEMAS if schemas is None else schemas)
    made = [item for node in ast.walk(site.tree) for item in rule(node, site)]
    return [apply(code, item[1] if isinstance(item, tuple) else item) for item in made]
