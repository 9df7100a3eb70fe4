"""Cut points for code completion, found on the AST of one statement.

A :class:`Region` is a stretch of real source text (context lines + a statement, dedented)
that knows how to turn AST positions (UTF-8 byte columns) into offsets in that text. A
:class:`Cut` is a place where a whole AST node begins (the missing span) and where it ends
(the fill-in-the-middle ``middle``). :func:`scan` says which Ibis names a node uses.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections.abc import Iterator
from dataclasses import dataclass

# Method names that are also everyday Python vocabulary (str, dict, list, set, pathlib,
# sqlglot builders...). They count as Ibis names only next to a distinctive Ibis name.
# fmt: off
GENERIC_NAMES = frozenset({
    "abs", "add", "all", "any", "append", "array", "bind", "bool", "cache", "capitalize", "ceil",
    "clear", "collect", "compile", "concat", "convert", "copy", "count", "date", "delta",
    "describe", "difference", "endswith", "equals", "execute", "exp", "extend", "fields", "file",
    "find", "first", "float", "floor", "format", "fragment", "get", "get_backend", "get_name",
    "hash", "head", "host", "index", "info", "insert", "int", "intersection", "items", "join",
    "keys", "last", "left", "length", "lift", "log", "lower", "lstrip", "map", "max", "min",
    "mode", "name", "names", "op", "path", "pipe", "pop", "protocol", "query", "release",
    "remove", "repeat", "replace", "reverse", "right", "round", "rstrip", "sample", "schema",
    "sort", "split", "sql", "sqrt", "startswith", "str", "strip", "sum", "time", "to_list",
    "transform", "translate", "type", "typeof", "types", "unbind", "union", "unwrap_as", "update",
    "upper", "values", "view", "visualize", "x", "y", "zip", "ibis.api", "ibis.ir", "ibis.util",
})
# fmt: on
BIN_OPS = frozenset(["+", "-", "*", "/", "//", "%", "**", "@", "&", "|", "^", "<<", ">>"])
CMP_OPS = frozenset(["==", "!=", "<", "<=", ">", ">=", "in", "not in", "is", "is not"])
BOOL_OPS = frozenset(["and", "or"])
_PUNCT = frozenset("()[]{},.:;'\" \t\r\n")


def _char(line: str, col: int) -> int:
    """Character column of byte column ``col`` on ``line``."""
    if line.isascii():
        return col
    return len(line.encode("utf-8")[:col].decode("utf-8", errors="replace"))


@dataclass(frozen=True, slots=True)
class Region:
    """Real source text with a map from AST positions to offsets in it."""

    text: str
    lines: tuple[str, ...]  # the original lines the positions refer to
    starts: tuple[int, ...]  # offset in ``text`` of each line's first kept character
    removed: tuple[int, ...]  # characters of indentation removed from each line
    first: int  # line number (as the AST counts) of ``lines[0]``

    def offset(self, lineno: int, col: int) -> int:
        """Offset in ``text`` of AST position (``lineno``, byte ``col``)."""
        i = lineno - self.first
        return self.starts[i] + _char(self.lines[i], col) - self.removed[i]

    def start(self, node: ast.AST) -> int:
        """Offset where ``node`` begins."""
        return self.offset(node.lineno, node.col_offset)  # type: ignore[attr-defined]

    def end(self, node: ast.AST) -> int:
        """Offset where ``node`` ends."""
        return self.offset(node.end_lineno, node.end_col_offset)  # type: ignore[attr-defined]


def make_region(
    lines: tuple[str, ...], first: int, last: int, indent: str, base: str = ""
) -> Region:
    """Region over ``lines[first-1:last]`` (1-based), dedented by ``indent``, after ``base``.

    Lines that do not start with ``indent`` (continuation lines of a string) are kept whole.
    """
    parts, starts, removed = [base], [], []
    pos, width = len(base), len(indent)
    for line in lines[first - 1 : last]:
        cut = width if line.startswith(indent) else 0
        starts.append(pos)
        removed.append(cut)
        parts.append(line[cut:])
        pos += len(line) - cut
    return Region("".join(parts), lines[first - 1 : last], tuple(starts), tuple(removed), first)


@dataclass(frozen=True, slots=True)
class Cut:
    """A missing span ``text[start:end]`` that is a whole node (``kind`` says which)."""

    kind: str  # "attribute" | "argument" | "keyword" | "subscript" | "operator"
    start: int
    end: int


def _walk(node: ast.AST) -> Iterator[ast.AST]:
    """Like ``ast.walk`` (parents first) but not into f-strings, whose positions are unreliable."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        if type(current) is ast.JoinedStr:
            continue
        for name in current._fields:
            value = getattr(current, name, None)
            if isinstance(value, ast.AST):
                stack.append(value)
            elif isinstance(value, list):
                stack.extend(v for v in value if isinstance(v, ast.AST))


_NAME_RE = re.compile(r"\.\s*([A-Za-z_]\w*)\s*\(|\bibis\.([A-Za-z_]\w*)|\b_[.\[]")


def maybe_ibis(code: str, api: frozenset[str]) -> bool:
    """Cheap test on text: could ``code`` use a distinctive Ibis name?"""
    for m in _NAME_RE.finditer(code):
        name = m.group(1) or (f"ibis.{m.group(2)}" if m.group(2) else "ibis._")
        if name not in GENERIC_NAMES and (name in api or name == "ibis._"):
            return True
    return False


def scan(
    node: ast.AST, api: frozenset[str], deferred: bool, strict: bool = True
) -> tuple[list[str], bool]:
    """The Ibis names ``node`` uses, and whether it holds a method chain.

    Names: method calls whose name is in ``api``, ``ibis.<name>`` references in ``api``,
    and ``_`` as ``ibis._`` when the module imports the deferred ``_`` from ibis. The list
    is empty unless one of them is distinctive (not in :data:`GENERIC_NAMES`) or ``strict``
    is false (code known to be Ibis code, as a doctest that uses ``ibis``). A chain is
    a method call on the result of another call.
    """
    found: set[str] = set()
    chain = False
    for n in _walk(node):
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute):
            if n.func.attr in api:
                found.add(n.func.attr)
            chain = chain or isinstance(n.func.value, ast.Call)
        elif isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name):
            if n.value.id == "ibis" and f"ibis.{n.attr}" in api:
                found.add(f"ibis.{n.attr}")
        elif deferred and isinstance(n, ast.Name) and n.id == "_" and type(n.ctx) is ast.Load:
            found.add("ibis._")
    return ([] if strict and found <= GENERIC_NAMES else sorted(found)), chain


def statement_cuts(stmt: ast.AST, region: Region, api: frozenset[str]) -> list[Cut]:
    """Every place in ``stmt`` where a missing span may begin, in source order.

    attribute: after the ``.`` of a method call in a chain (or of an Ibis method); the span
    is the method name and its call. argument: after ``(`` or ``, `` of a call. keyword:
    after ``name=``. subscript: after ``[``. operator: the right operand of a binary,
    comparison or boolean operator.
    """
    finder = _CutFinder(region, api)
    for node in _walk(stmt):  # parents come before their children
        if isinstance(node, ast.Call):
            finder.call(node)
        elif isinstance(node, ast.Subscript):
            finder.add("subscript", node.value, node.slice, "[")
        elif isinstance(node, ast.BinOp):
            finder.add("operator", node.left, node.right, BIN_OPS)
        elif isinstance(node, ast.Compare):
            prev = node.left
            for comparator in node.comparators:
                finder.add("operator", prev, comparator, CMP_OPS)
                prev = comparator
        elif isinstance(node, ast.BoolOp):
            for left, right in zip(node.values, node.values[1:], strict=False):
                finder.add("operator", left, right, BOOL_OPS)
    return sorted(set(finder.cuts), key=lambda c: (c.start, c.end, c.kind))


class _CutFinder:
    """The cuts found so far in one statement, and the calls that are links of a chain."""

    def __init__(self, region: Region, api: frozenset[str]) -> None:
        self.region, self.text, self.api = region, region.text, api
        self.cuts: list[Cut] = []
        self.chained: set[int] = set()  # calls whose result is called on: inner chain links

    def add(self, kind: str, before: ast.AST, node: ast.AST, gap_ok: frozenset[str] | str) -> None:
        """A cut at ``node`` when only ``gap_ok`` (a token or a set of them) precedes it."""
        s = self.region.start(node)
        gap = " ".join(self.text[self.region.end(before) : s].split())
        if gap == gap_ok if isinstance(gap_ok, str) else gap in gap_ok:
            self.cuts.append(Cut(kind, s, self.region.end(node)))

    def call(self, node: ast.Call) -> None:
        """Cuts at the arguments and keyword values of a call, and after its method's dot."""
        region, text = self.region, self.text
        items = sorted([*node.args, *node.keywords], key=lambda n: (n.lineno, n.col_offset))
        prev: ast.AST = node.func
        for i, item in enumerate(items):
            self.add("argument", prev, item, "(" if i == 0 else ",")
            if isinstance(item, ast.keyword) and item.arg is not None:
                s = region.start(item.value)
                if text[region.start(item) : s].replace(" ", "") == item.arg + "=":
                    self.cuts.append(Cut("keyword", s, region.end(item.value)))
            prev = item
        func = node.func
        if not isinstance(func, ast.Attribute):
            return
        if isinstance(func.value, ast.Call):
            self.chained.add(id(func.value))
        if isinstance(func.value, ast.Call) or func.attr in self.api or id(node) in self.chained:
            s = region.end(func) - len(func.attr)
            if text[s - 1] == ".":
                self.cuts.append(Cut("attribute", s, region.end(node)))


def trivial(span: str) -> bool:
    """A span that is only punctuation, or has fewer than 3 non-space characters."""
    return len("".join(span.split())) < 3 or all(c in _PUNCT for c in span)


# tokens that make a span compute something: a call or grouping, a subscript or display,
# an operator
_CODE_TOKENS = frozenset(
    ("(", "[", "{", "+", "-", "*", "/", "//", "%", "**", "@", "&", "|", "^", "~", "<<", ">>",
     "<", ">", "<=", ">=", "==", "!=", "not", "and", "or", "in", "is", "lambda", "if")
)  # fmt: skip
_OPTION_CALLS = ("set_option", "set_backend", "filterwarnings", "simplefilter")


def holds_code(span: str) -> bool:
    """True when ``span`` holds a call, an operator, a subscript or a display, not only a
    name, an attribute chain or a literal (``QUANTITY``, ``"field"``, ``1)``)."""
    found = False
    try:
        for token in tokenize.generate_tokens(io.StringIO(span).readline):
            if token.string in _CODE_TOKENS and token.type in {tokenize.OP, tokenize.NAME}:
                found = True
                break
    except (tokenize.TokenError, IndentationError, SyntaxError):
        pass  # a span cut mid-statement: what tokenized is enough
    return found


def boilerplate(stmt: ast.AST) -> bool:
    """An import, or a statement that sets an option (``ibis.options.interactive = True``,
    ``pd.set_option(...)``): never worth predicting."""
    if isinstance(stmt, ast.Import | ast.ImportFrom):
        return True
    if isinstance(stmt, ast.Assign | ast.AugAssign | ast.AnnAssign):
        targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
        return any("options" in _dotted(t).split(".") for t in targets)
    if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
        return _dotted(stmt.value.func).endswith(_OPTION_CALLS)
    return False


def _dotted(node: ast.AST) -> str:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
    return ".".join(reversed(parts))
