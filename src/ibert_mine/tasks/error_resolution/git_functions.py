"""The functions a commit changed in one Python file, at the parent and at the commit.

Both sides are parsed; a *function* is a module-level function or a method (of a class at
any depth of classes); a function nested in another belongs to the outer one. A function
present at both sides whose text differs is a candidate, stored dedented with its lines
(decorators included) so that it parses alone and is found verbatim in the file
(``textwrap.dedent(''.join(lines[first - 1:last]))``).

A candidate is dropped when the change teaches nothing or is not a local fix:

- ``formatting_only``: both sides have the same AST (whitespace, comments, parentheses);
- ``only_strings_changed``: only string literals differ (a message, a docstring, a version);
- ``only_annotations_changed``: only type annotations differ (and perhaps strings);
- ``function_too_long``: over :data:`MAX_FUNCTION_LINES` lines at either side;
- ``too_many_changed_lines``: over :data:`MAX_CHANGED_LINES` lines removed or added;
- ``change_outside_function``: the file also changes outside its functions (imports aside);
- ``uses_new_definition``: the fixed function calls a function, class or method the same
  commit adds to the file (the fix is not in the function alone);
- ``not_standalone``: dedented, a side does not parse alone (a string at column 0);
- ``side_unparseable``: the file does not parse at one side.
"""

from __future__ import annotations

import ast
import difflib
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass

from ibert_mine.core.reasons import Reason, Reject
from ibert_mine.tasks.error_resolution import git_chunks

MAX_FUNCTION_LINES = 80
MAX_CHANGED_LINES = 12

FORMATTING_ONLY = Reason("formatting_only", "the change is formatting only: the same AST")
ONLY_STRINGS_CHANGED = Reason(
    "only_strings_changed", "only string literals changed: a message, a docstring, a version"
)
ONLY_ANNOTATIONS_CHANGED = Reason(
    "only_annotations_changed", "only type annotations (and perhaps strings) changed"
)
FUNCTION_TOO_LONG = Reason(
    "function_too_long", f"the function is over {MAX_FUNCTION_LINES} lines at one side"
)
TOO_MANY_CHANGED_LINES = Reason(
    "too_many_changed_lines", f"over {MAX_CHANGED_LINES} lines of the function removed or added"
)
CHANGE_OUTSIDE_FUNCTION = Reason(
    "change_outside_function", "the file also changes outside its functions (imports aside)"
)
USES_NEW_DEFINITION = Reason(
    "uses_new_definition", "the fixed function uses a definition the same commit adds"
)
SIDE_UNPARSEABLE = Reason("side_unparseable", "the file does not parse at the parent or the commit")
NOT_STANDALONE = Reason(
    "not_standalone", "the function, dedented, does not parse alone (a string at column 0)"
)
REASONS: tuple[Reason, ...] = (
    FORMATTING_ONLY,
    ONLY_STRINGS_CHANGED,
    ONLY_ANNOTATIONS_CHANGED,
    FUNCTION_TOO_LONG,
    TOO_MANY_CHANGED_LINES,
    CHANGE_OUTSIDE_FUNCTION,
    USES_NEW_DEFINITION,
    SIDE_UNPARSEABLE,
    NOT_STANDALONE,
)

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef


@dataclass(frozen=True, slots=True)
class Side:
    """One function at one side: its dedented code, its lines, its node."""

    code: str
    first: int
    last: int
    node: FunctionNode


@dataclass(frozen=True, slots=True)
class FunctionChange:
    """A function changed by a commit: its qualified name and both sides."""

    qualname: str
    broken: Side
    fixed: Side


def parse(text: str) -> ast.Module | None:
    """The module's AST, or None when it does not parse (or nests too deep)."""
    try:
        return ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def functions(tree: ast.Module, lines: list[str]) -> dict[str, Side]:
    """Module-level functions and methods by qualified name (the first of equal names)."""
    out: dict[str, Side] = {}
    stack: list[tuple[str, ast.AST]] = [("", tree)]
    while stack:
        prefix, node = stack.pop()
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef):
                stack.append((f"{prefix}{child.name}.", child))
            elif isinstance(child, FunctionNode) and f"{prefix}{child.name}" not in out:
                first, last = _first(child), _last(child)
                code = "".join(lines[first - 1 : last])  # dedented once it is a candidate
                out[f"{prefix}{child.name}"] = Side(code, first, last, child)
    return out


def _skeleton(tree: ast.Module, lines: list[str], sides: dict[str, Side]) -> list[str]:
    """The lines of the module's statements outside its functions, imports and blank lines
    left out."""
    covered = {n for node in tree.body for n in range(_first(node), _last(node) + 1)}
    inside = {n for s in sides.values() for n in range(s.first, s.last + 1)}
    inside.update(n for node in _imports(tree.body) for n in range(node.lineno, _last(node) + 1))
    kept = (lines[n - 1].strip() for n in sorted(covered - inside) if n <= len(lines))
    return [line for line in kept if line and not line.startswith("#")]


def _first(node: ast.stmt) -> int:
    decorators = getattr(node, "decorator_list", [])
    return min([node.lineno, *(d.lineno for d in decorators)])


def _last(node: ast.stmt) -> int:
    return node.end_lineno or node.lineno


def _imports(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """The imports of a module's top level, also under ``if``/``try`` (``TYPE_CHECKING``)."""
    for node in body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif isinstance(node, ast.If | ast.Try):
            yield from _imports([*node.body, *node.orelse, *getattr(node, "finalbody", [])])


_ANNOTATIONS = ("annotation", "returns")


def _dump(node: ast.AST, strings: bool, annotations: bool = True) -> list:
    """The AST's shape without positions; with ``strings`` False, every string alike; with
    ``annotations`` False, no type annotation."""
    skipped = ("type_comment", "ctx") if annotations else ("type_comment", "ctx", *_ANNOTATIONS)
    out: list = []
    stack: list = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, ast.AST):
            if not strings and (
                isinstance(item, ast.JoinedStr)
                or (isinstance(item, ast.Constant) and isinstance(item.value, str))
            ):
                out.append("str")
                continue
            out.append(type(item).__name__)
            for name, value in ast.iter_fields(item):
                if name not in skipped:
                    stack.append(value)
        elif isinstance(item, list):
            out.append(len(item))
            stack.extend(item)
        else:
            out.append(repr(item))
    return out


def changed_lines(broken: str, fixed: str) -> int:
    """The larger of the lines removed and the lines added, blank lines aside."""
    a = [line.rstrip() for line in broken.splitlines() if line.strip()]
    b = [line.rstrip() for line in fixed.splitlines() if line.strip()]
    removed = added = 0
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op != "equal":
            removed += i2 - i1
            added += j2 - j1
    return max(removed, added)


def _new_names(old: ast.Module, new: ast.Module, old_sides: dict, new_sides: dict) -> set[str]:
    """Names of module-level definitions and methods the commit adds."""

    def defined(tree: ast.Module) -> set[str]:
        names = set()
        for node in tree.body:
            if isinstance(node, FunctionNode | ast.ClassDef):
                names.add(node.name)
            elif isinstance(node, ast.Assign):
                names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        return names

    methods = {q.rsplit(".", 1)[-1] for q in new_sides if "." in q and q not in old_sides}
    return (defined(new) - defined(old)) | methods


def _uses(node: ast.AST, names: set[str]) -> bool:
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name) and sub.id in names:
            return True
        if isinstance(sub, ast.Attribute) and sub.attr in names:
            return True
    return False


def changed_functions(old_text: str, new_text: str) -> list[FunctionChange | Reject]:
    """The functions the change from ``old_text`` to ``new_text`` touches, or why not
    (only the changed blocks are parsed, :mod:`.git_chunks`, unless one does not parse)."""
    old_lines, new_lines = old_text.splitlines(keepends=True), new_text.splitlines(keepends=True)
    parts = git_chunks.changed_parts(old_lines, new_lines)
    old, new = parts if parts is not None else (parse(old_text), parse(new_text))
    if old is None or new is None:
        return [SIDE_UNPARSEABLE()]
    before, after = functions(old, old_lines), functions(new, new_lines)
    touched = [q for q in after if q in before and before[q].code != after[q].code]
    if not touched:
        return []
    if _skeleton(old, old_lines, before) != _skeleton(new, new_lines, after):
        return [CHANGE_OUTSIDE_FUNCTION() for _ in touched]
    added = _new_names(old, new, before, after)
    return [_judge(q, _dedented(before[q]), _dedented(after[q]), added) for q in touched]


def _dedented(side: Side) -> Side:
    return Side(textwrap.dedent(side.code), side.first, side.last, side.node)


def _judge(qualname: str, broken: Side, fixed: Side, added: set[str]) -> FunctionChange | Reject:
    if _dump(broken.node, True) == _dump(fixed.node, True):
        return FORMATTING_ONLY()
    if max(broken.last - broken.first, fixed.last - fixed.first) + 1 > MAX_FUNCTION_LINES:
        return FUNCTION_TOO_LONG()
    if changed_lines(broken.code, fixed.code) > MAX_CHANGED_LINES:
        return TOO_MANY_CHANGED_LINES()
    if _dump(broken.node, False) == _dump(fixed.node, False):
        return ONLY_STRINGS_CHANGED()
    if _dump(broken.node, False, False) == _dump(fixed.node, False, False):
        return ONLY_ANNOTATIONS_CHANGED()
    if parse(broken.code) is None or parse(fixed.code) is None:
        return NOT_STANDALONE()
    if added and _uses(fixed.node, added):
        return USES_NEW_DEFINITION()
    return FunctionChange(qualname, broken, fixed)
