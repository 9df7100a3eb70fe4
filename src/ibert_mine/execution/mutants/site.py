"""Where a mutation rule looks: one node of a program's syntax tree, its parent, the columns.

:func:`replaced` writes one replacement back into a copy of the whole tree; :func:`demo`
shows what one rule makes of a snippet (the rules' examples use it).
"""

from __future__ import annotations

import ast
import copy
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Mutant:
    """One near-miss program: the rule that made it and its code."""

    kind: str
    code: str


_NUMERIC = ("int", "uint", "float", "decimal")


def type_family(kind: str) -> str:
    """The family a column type belongs to: ``numeric`` for every integer, float and
    decimal; otherwise the type without nullability or parameters.

    >>> [type_family(k) for k in ("!int8", "float64", "decimal(10, 2)", "timestamp('UTC')")]
    ['numeric', 'numeric', 'numeric', 'timestamp']
    """
    name = str(kind).lstrip("!").split("(")[0].split("<")[0].strip().lower()
    return "numeric" if name.startswith(_NUMERIC) else name


class Where:
    """What a rule may know about a node: its parent and the declared columns' types."""

    def __init__(self, tree: ast.AST, schemas: Mapping[str, Mapping[str, str]]):
        self._parents = {id(c): p for p in ast.walk(tree) for c in ast.iter_child_nodes(p)}
        self._join_args = {  # the names passed to a join: ``t.join(s, predicate)``
            arg.id
            for call in ast.walk(tree)
            if method_of(call) in JOINS
            for arg in [*call.args, *(k.value for k in call.keywords)]
            if isinstance(arg, ast.Name)
        }
        self.types: dict[str, str] = {}
        self.same_type: dict[str, str] = {}  # a column -> the next column of its family
        for cols in schemas.values():
            names = list(cols)
            for i, col in enumerate(names):
                self.types.setdefault(col, str(cols[col]).lstrip("!"))
                later = names[i + 1 :] + names[:i]
                family = type_family(cols[col])
                other = next((c for c in later if type_family(cols[c]) == family), None)
                if other is not None:
                    self.same_type.setdefault(col, other)

    def parent(self, node: ast.AST) -> ast.AST | None:
        """The node's parent in the tree (None at the top)."""
        return self._parents.get(id(node))

    def called_method(self, node: ast.AST) -> str | None:
        """The method name when ``node`` is an argument of a ``x.method(...)`` call."""
        parent = self.parent(node)
        if isinstance(parent, ast.keyword):
            parent = self.parent(parent)
        if isinstance(parent, ast.Call) and isinstance(parent.func, ast.Attribute):
            return parent.func.attr if parent.func is not node else None
        return None

    def in_join_condition(self, node: ast.AST) -> bool:
        """True when ``node`` is (in) an argument of a join, or in a value assigned to a
        name that is one: a mistake there can multiply the rows of every join after it."""
        child, parent = node, self.parent(node)
        while parent is not None:
            if method_of(parent) in JOINS and child is not parent.func:
                return True
            if isinstance(parent, ast.Assign) and child is parent.value:
                targets = [t.id for t in parent.targets if isinstance(t, ast.Name)]
                return any(t in self._join_args for t in targets)
            child, parent = parent, self.parent(parent)
        return False


Rule = Callable[[ast.AST, Where], Iterator[ast.AST]]
JOINS = frozenset(
    [
        "join",
        "inner_join",
        "left_join",
        "outer_join",
        "right_join",
        "semi_join",
        "anti_join",
        "cross_join",
        "asof_join",
        "any_inner_join",
        "any_left_join",
    ]
)


def method_of(node: ast.AST) -> str | None:
    """The method's name when ``node`` is a call ``x.method(...)``."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


def renamed(call: ast.Call, name: str) -> ast.AST:
    """The call ``x.method(...)`` with another method name."""
    return with_fields(call, func=with_fields(call.func, attr=name))


def with_fields(node: ast.AST, **fields: object) -> ast.AST:
    """A shallow copy of ``node`` with ``fields`` set (the original is left as it is)."""
    new = copy.copy(node)
    for name, value in fields.items():
        setattr(new, name, value)
    return new


def replaced(tree: ast.Module, index: int, new: ast.AST) -> ast.Module:
    """A copy of ``tree`` with its ``index``-th node (in ``ast.walk`` order) replaced."""
    out = copy.deepcopy(tree)
    target = list(ast.walk(out))[index]
    for parent in ast.walk(out):
        for field, value in ast.iter_fields(parent):
            if value is target:
                setattr(parent, field, new)
                return out
            if isinstance(value, list):
                for i, item in enumerate(value):
                    if item is target:
                        value[i] = new
                        return out
    raise ValueError("the node to replace is not in the tree")


def demo(
    rule: Rule, code: str, schemas: Mapping[str, Mapping[str, str]] | None = None
) -> list[str]:
    """The mutants one rule makes of ``code`` (for the rules' examples)."""
    schemas = schemas if schemas is not None else {"t": {"a": "int64", "b": "boolean"}}
    tree = ast.parse(code)
    where = Where(tree, schemas)
    out = []
    for index, node in enumerate(ast.walk(tree)):
        out.extend(ast.unparse(replaced(tree, index, new)) for new in rule(node, where))
    return out
