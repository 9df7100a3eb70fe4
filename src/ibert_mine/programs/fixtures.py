"""Table schemas of pytest fixtures, read statically from ``conftest.py`` files.

A fixture is a table with a known schema when its ``return`` is:

- ``ibis.table(<literal schema>, name=...)``, or ``ibis.table(<fixture>, ...)`` where that
  fixture returns a literal schema;
- ``<anything>.table("name")`` where ``name`` is a key of a module-level dict literal of
  schemas in some ``conftest.py`` of the source (as Ibis's ``MOCK_TABLES``).

Fixtures of the nearest ``conftest.py`` win, and the test module's own fixtures win over all.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path, PurePosixPath

from ibert_mine.core.config import WalkRules
from ibert_mine.sources import files

Schema = tuple[tuple[str, str], ...]


def _as_schema(value: object) -> Schema | None:
    """A literal schema: a dict ``{col: type}`` or a list of ``(col, type)`` pairs."""
    if isinstance(value, dict):
        items = list(value.items())
    elif isinstance(value, list | tuple):
        items = list(value)
    else:
        return None
    if not items or not all(
        isinstance(i, tuple | list) and len(i) == 2 and all(isinstance(x, str) for x in i)
        for i in items
    ):
        return None
    return tuple((str(k), str(v)) for k, v in items)


def _literal(node: ast.AST) -> object:
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return None


def schema_registry(tree: ast.Module) -> dict[str, Schema]:
    """Table name -> schema, from module-level dict literals whose values are all schemas."""
    out: dict[str, Schema] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict):
            value = _literal(node.value)
            if isinstance(value, dict) and value:
                schemas = {k: _as_schema(v) for k, v in value.items() if isinstance(k, str)}
                if schemas and all(schemas.values()):
                    out.update(schemas)  # type: ignore[arg-type]
    return out


def _is_fixture(node: ast.FunctionDef) -> bool:
    for dec in node.decorator_list:
        target = dec.func if isinstance(dec, ast.Call) else dec
        name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
        if name == "fixture":
            return True
    return False


def module_fixtures(tree: ast.Module, registry: Mapping[str, Schema]) -> dict[str, Schema]:
    """Fixture name -> table schema for the fixtures of one module that are known tables."""
    literals: dict[str, Schema] = {}
    returns: dict[str, ast.expr] = {}
    for node in tree.body:
        if not (isinstance(node, ast.FunctionDef) and _is_fixture(node)):
            continue
        ret = next((s.value for s in node.body if isinstance(s, ast.Return) and s.value), None)
        if ret is None:
            continue
        returns[node.name] = ret
        if (schema := _as_schema(_literal(ret))) is not None:
            literals[node.name] = schema
    tables: dict[str, Schema] = {}
    for name, ret in returns.items():
        if isinstance(ret, ast.Attribute) and ret.attr in registry:
            tables[name] = registry[ret.attr]  # ``backend.functional_alltypes``
            continue
        if not (isinstance(ret, ast.Call) and isinstance(ret.func, ast.Attribute)):
            continue
        if ret.func.attr != "table" or not ret.args:
            continue
        arg = ret.args[0]
        is_ibis = isinstance(ret.func.value, ast.Name) and ret.func.value.id == "ibis"
        if is_ibis:
            schema = (
                literals.get(arg.id) if isinstance(arg, ast.Name) else _as_schema(_literal(arg))
            )
        else:
            key = _literal(arg)
            schema = registry.get(key) if isinstance(key, str) else None
        if schema is not None:
            tables[name] = schema
    return tables


@lru_cache(maxsize=8)
def _conftests(root: str, base: str) -> tuple[dict[str, dict[str, Schema]], dict[str, Schema]]:
    """Per-folder fixtures of every conftest.py under ``root`` (paths relative to ``base``)."""
    trees: dict[str, ast.Module] = {}
    rules = WalkRules(include=("conftest.py",))
    for rel in files.walk(Path(root), rules, base=Path(base)):
        if isinstance(rel, files.Skip):
            continue
        read = files.read_text(Path(base), rel)
        if isinstance(read, files.Skip):
            continue
        try:
            trees[rel] = ast.parse(read.text)
        except (SyntaxError, ValueError, RecursionError):
            continue
    registry: dict[str, Schema] = {}
    for tree in trees.values():
        registry.update(schema_registry(tree))
    per_dir = {
        str(PurePosixPath(rel).parent): module_fixtures(tree, registry)
        for rel, tree in trees.items()
    }
    return per_dir, registry


def fixtures_for(root: Path, base: Path, rel_path: str, own: ast.Module) -> dict[str, Schema]:
    """Fixture schemas visible from test module ``rel_path`` of the source at ``root``/``base``."""
    per_dir, registry = _conftests(str(root), str(base))
    out: dict[str, Schema] = {}
    parents = list(PurePosixPath(rel_path).parents)  # nearest first
    for parent in reversed(parents):
        out.update(per_dir.get(str(parent), {}))
    out.update(module_fixtures(own, registry))
    return out
