"""Completion sites: the statements of a module (with their context) and of its doctests.

A *site* is a statement with the lines of context before it (at most
``config.context_lines``, whole statements only, dedented so it is valid at module level);
all text comes from the file. See :mod:`ibert_mine.tasks.code_completion` for the origins.
"""

from __future__ import annotations

import ast
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

from ibert_mine.core.config import Config
from ibert_mine.core.reasons import Reason, Reject
from ibert_mine.sources.python import (
    Definition,
    ModuleUnit,
    doctest_examples,
    first_line,
    parse_or_none,
    source_lines,
)
from ibert_mine.tasks.code_completion.cuts import Region, make_region, maybe_ibis, scan

PLAIN_KEEP = 20  # one site in PLAIN_KEEP without Ibis names keeps a whole-line cut
MAX_STATEMENT_LINES = 30
MAX_BLOCK_LINES = 8
MAX_SUFFIX_LINES = 10  # a next statement longer than this is no suffix

SIMPLE = (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.Expr, ast.Return)
COMPOUND = (
    ast.If, ast.For, ast.AsyncFor, ast.While, ast.With, ast.AsyncWith,
    ast.Try, ast.TryStar, ast.Match,
)  # fmt: skip
SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
DEFERRED = re.compile(r"^\s*(?:>>>\s*)?from ibis import\b.*[\s,(]_\b", re.MULTILINE)

STATEMENT_TOO_LONG = Reason(
    "statement_too_long", f"a statement over {MAX_STATEMENT_LINES} lines or 1600 characters"
)
NO_IBIS_API = Reason("no_ibis_api", "a statement that uses no Ibis name (most are left out)")
SHARED_LINE = Reason("shared_line", "the statement shares its line with other code")
SIGNATURE_OUT_OF_CONTEXT = Reason(
    "signature_out_of_context", "the function's signature is further up than the context reaches"
)


@dataclass(frozen=True, slots=True)
class Site:
    """A statement (or block) in its region of text, with what the examples' meta needs."""

    node: ast.stmt
    region: Region
    origin: str
    symbol: str
    lines: tuple[int, int]
    suffix_end: int | None  # where the next statement ends: the suffix of whole-line FIM
    tags: list[str]  # meta.ibis_api
    first_in_body: bool = False  # the first statement after a signature: no context yet


def _wanted(stmt: ast.stmt) -> bool:
    """Whether ``stmt`` is a candidate: a simple statement worth completing or a small block."""
    if isinstance(stmt, COMPOUND):
        return stmt.end_lineno - stmt.lineno < MAX_BLOCK_LINES  # type: ignore[operator]
    if isinstance(stmt, ast.Expr):
        return not isinstance(stmt.value, ast.Constant | ast.Name)  # docstrings, `...`, `t`
    if isinstance(stmt, ast.Return):
        return stmt.value is not None
    return isinstance(stmt, SIMPLE)


def _statements(
    body: list[ast.stmt], def_ok: bool
) -> Iterator[tuple[ast.stmt, list[ast.stmt], int, bool]]:
    """Statements of a body in source order, not entering nested scopes.

    ``def_ok`` is false inside a ``try`` body, where text cut after the statement would
    lack the ``except``: context there cannot start at the ``def`` line.
    """
    for i, stmt in enumerate(body):
        yield stmt, body, i, def_ok
        if isinstance(stmt, SCOPES):
            continue
        if isinstance(stmt, ast.Try | ast.TryStar):
            yield from _statements(stmt.body, False)
            for handler in stmt.handlers:
                yield from _statements(handler.body, def_ok)
            yield from _statements(stmt.orelse + stmt.finalbody, def_ok)
        elif isinstance(stmt, ast.Match):
            for case in stmt.cases:
                yield from _statements(case.body, def_ok)
        else:
            yield from _statements(getattr(stmt, "body", []), def_ok)
            branch, orelse = stmt, getattr(stmt, "orelse", [])
            while _is_elif(branch, orelse):  # an `elif` is no statement of its own
                branch, orelse = orelse[0], orelse[0].orelse  # type: ignore[attr-defined]
                yield from _statements(branch.body, def_ok)  # type: ignore[attr-defined]
            yield from _statements(orelse, def_ok)


def _is_elif(stmt: ast.stmt, orelse: list[ast.stmt]) -> bool:
    return (
        isinstance(stmt, ast.If)
        and len(orelse) == 1
        and isinstance(orelse[0], ast.If)
        and orelse[0].col_offset == stmt.col_offset
    )


def seed_of(text: str) -> int:
    """A 64-bit seed from ``text``: cut points depend only on the statement."""
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big")


def body_sites(
    unit: ModuleUnit, definition: Definition, config: Config, deferred: bool
) -> Iterator[Site | Reject]:
    """Sites of a function, method or module body, with their context lines."""
    node, limit, api = definition.node, config.context_lines, config.ibis_api
    is_def = definition.kind != "module"
    for stmt, block, i, def_ok in _statements(node.body, True):
        if not _wanted(stmt):
            continue
        start, end = stmt.lineno, stmt.end_lineno or stmt.lineno
        if end - start >= MAX_STATEMENT_LINES:
            yield STATEMENT_TOO_LONG()
            continue
        code = "".join(unit.lines[start - 1 : end])
        tags, chain = scan(stmt, api, deferred) if maybe_ibis(code, api) else ([], False)
        if not tags:
            if seed_of(code) % PLAIN_KEEP:
                yield NO_IBIS_API()
                continue
            chain = scan(stmt, api, deferred)[1]
        if is_def and def_ok and start - definition.start <= limit:
            first, col = definition.start, node.col_offset  # type: ignore[union-attr]
        elif is_def:  # the context could not show the signature the statement's names need
            yield SIGNATURE_OUT_OF_CONTEXT()
            continue
        else:
            j = i
            while j > 0 and start - first_line(block[j - 1]) <= limit:
                j -= 1
            first, col = first_line(block[j]), block[j].col_offset
        indent = unit.lines[first - 1][:col]
        if indent.strip() or unit.line_text(start)[: unit.char_col(start, stmt.col_offset)].strip():
            yield SHARED_LINE()
            continue
        last, nxt = end, block[i + 1] if i + 1 < len(block) else None
        if nxt is not None and nxt.end_lineno - first_line(nxt) < MAX_SUFFIX_LINES:  # type: ignore[operator]
            last = nxt.end_lineno  # type: ignore[assignment]
        region = make_region(unit.lines, first, last, indent)
        suffix_end = region.end(nxt) if nxt is not None and last > end else None
        origin = "block" if isinstance(stmt, COMPOUND) else "chain" if chain else "statement"
        opening = block is node.body and all(_is_docstring(s) for s in block[:i])
        site = Site(stmt, region, origin, definition.qualname, (start, end), suffix_end, tags)
        yield replace(site, first_in_body=is_def and opening)


def _is_docstring(stmt: ast.stmt) -> bool:
    return isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant)


def doctest_sites(definition: Definition, config: Config, deferred: bool) -> Iterator[Site]:
    """Sites of the ``>>>`` examples of a docstring; earlier examples are the context."""
    examples = doctest_examples(definition)
    trees = [parse_or_none(ex.source) for ex in examples]
    strict = not any("ibis" in ex.source for ex in examples)  # else generic names count
    context: list[str] = []
    for k, (ex, tree) in enumerate(zip(examples, trees, strict=True)):
        if tree is None:
            context.clear()
            continue
        base, n = [], 0
        for previous in reversed(context):
            n += previous.count("\n")
            if n > config.context_lines:
                break
            base.insert(0, previous)
        following = examples[k + 1].source if k + 1 < len(examples) and trees[k + 1] else ""
        lines = source_lines(ex.source + following)
        region = make_region(lines, 1, len(lines), "", "".join(base))
        for i, stmt in enumerate(tree.body):
            if not _wanted(stmt):
                continue
            suffix_end = len(region.text.rstrip()) if following else None
            if i + 1 < len(tree.body):
                suffix_end = region.end(tree.body[i + 1])
            span = (ex.line + stmt.lineno - 1, ex.line + (stmt.end_lineno or stmt.lineno) - 1)
            tags = scan(stmt, config.ibis_api, deferred, strict)[0]
            yield Site(stmt, region, "doctest", definition.qualname, span, suffix_end, tags)
        context.append(ex.source)
