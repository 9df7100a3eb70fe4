"""Code completion: cut real statements of a module at AST node boundaries.

Every example is a piece of the source itself. A *site* is a statement with the lines of
context before it (at most ``config.context_lines``, whole statements only, dedented so it
is valid at module level); all text comes from the file.

Origins (``meta.origin``):

- ``doctest``: a statement of a ``>>>`` example; the earlier examples of the same docstring
  are the context.
- ``chain``: a simple statement (assign, annotated/augmented assign, expression, return) of
  a function or module body that holds a method chain (a call on the result of a call).
- ``statement``: any other simple statement of a function or module body.
- ``block``: a compound statement (``if``/``for``/``with``/``try``/...) of at most 8 lines.

Cuts (``meta.cut``): ``attribute`` (after the ``.`` of a method call; the missing span is
the method name and its call), ``argument`` (after ``(`` or ``, ``), ``keyword`` (after
``name=``), ``subscript`` (after ``[``), ``operator`` (the right operand of a binary,
comparison or boolean operator), ``line`` (a whole statement) and ``block`` (a whole
compound statement). ``l2r`` examples give ``partial_code`` -> ``completed_code``, the
completion running to the end of the statement. ``fim`` examples give ``prefix`` and
``suffix`` -> ``middle``, the exact text of the cut node; the suffix runs to the end of the
statement, or for ``line``/``block`` cuts it is the next statement of the same block.

Ibis first: ``meta.ibis_api`` lists the Ibis names a site uses (see
:func:`~ibert_mine.tasks.completion_cuts.scan`: generic names such as ``get`` or ``join``
count only next to a distinctive one, or in a doctest that uses ``ibis``). An Ibis-using
site yields at most ``CAPS[origin]`` = (l2r, fim, total) examples: doctests and chains up
to 2 + 1, other statements and blocks 1 (the hash picks the variant), one cut kind at a
time before any kind repeats. A site without Ibis names yields at most one ``line`` cut:
always for a doctest, for one in ``PLAIN_KEEP`` of the others (by the hash of the
statement); the rest are rejected as ``no_ibis_api``. Cut points are picked by a generator
seeded with a hash of the statement text, so the output depends only on the input.

Rejects (one per site at most): ``no_ibis_api``, ``statement_too_long`` (over 30 lines or
1600 characters), ``shared_line`` (the statement shares its line with other code),
``unparseable``, ``trivial_completion`` (punctuation or under 3 characters),
``completion_too_long`` (over 400 characters), ``no_cut_point``.
"""

from __future__ import annotations

import ast
import hashlib
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ibert_mine.config import Config
from ibert_mine.schema import Example
from ibert_mine.sources.python import (
    Definition,
    ModuleUnit,
    doctest_examples,
    first_line,
    parse_or_none,
    parses,
    source_lines,
)
from ibert_mine.tasks.base import Reject
from ibert_mine.tasks.completion_cuts import (
    Cut,
    Region,
    make_region,
    maybe_ibis,
    scan,
    statement_cuts,
    trivial,
)

NAME = "code_completion"

# (l2r, fim, total) examples per Ibis-using site, by origin
CAPS = {"doctest": (2, 1, 3), "chain": (2, 1, 3), "statement": (1, 1, 1), "block": (1, 1, 1)}
PLAIN_KEEP = 20  # one site in PLAIN_KEEP without Ibis names keeps a whole-line cut
MAX_COMPLETION = 400  # characters of a completion or a middle
MAX_STATEMENT_LINES = 30
MAX_BLOCK_LINES = 8
MAX_SUFFIX_LINES = 10  # a next statement longer than this is no suffix

SIMPLE = (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.Expr, ast.Return)
COMPOUND = (
    ast.If, ast.For, ast.AsyncFor, ast.While, ast.With, ast.AsyncWith,
    ast.Try, ast.TryStar, ast.Match,
)  # fmt: skip
SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_DEFERRED = re.compile(r"^\s*(?:>>>\s*)?from ibis import\b.*[\s,(]_\b", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class _Site:
    """A statement (or block) in its region of text, with what the examples' meta needs."""

    node: ast.stmt
    region: Region
    origin: str
    symbol: str
    lines: tuple[int, int]
    suffix_end: int | None  # where the next statement ends: the suffix of whole-line FIM
    tags: list[str]  # meta.ibis_api


def mine(unit: ModuleUnit, config: Config) -> Iterator[Example | Reject]:
    """Completion examples (``l2r`` and ``fim``) from the statements and doctests of ``unit``."""
    deferred = bool(_DEFERRED.search(unit.text))
    for definition in unit.definitions:
        for site in _doctest_sites(definition, config, deferred):
            yield from _site_examples(unit, site, config.ibis_api)
        if definition.kind != "class":
            for site in _body_sites(unit, definition, config, deferred):
                if isinstance(site, Reject):
                    yield site
                else:
                    yield from _site_examples(unit, site, config.ibis_api)


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


def _seed(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big")


def _body_sites(
    unit: ModuleUnit, definition: Definition, config: Config, deferred: bool
) -> Iterator[_Site | Reject]:
    """Sites of a function, method or module body, with their context lines."""
    node, limit, api = definition.node, config.context_lines, config.ibis_api
    is_def = definition.kind != "module"
    for stmt, block, i, def_ok in _statements(node.body, True):
        if not _wanted(stmt):
            continue
        start, end = stmt.lineno, stmt.end_lineno or stmt.lineno
        if end - start >= MAX_STATEMENT_LINES:
            yield Reject("statement_too_long")
            continue
        code = "".join(unit.lines[start - 1 : end])
        tags, chain = scan(stmt, api, deferred) if maybe_ibis(code, api) else ([], False)
        if not tags:
            if _seed(code) % PLAIN_KEEP:
                yield Reject("no_ibis_api")
                continue
            chain = scan(stmt, api, deferred)[1]
        if is_def and def_ok and start - definition.start <= limit:
            first, col = definition.start, node.col_offset  # type: ignore[union-attr]
        else:
            j = i
            while j > 0 and start - first_line(block[j - 1]) <= limit:
                j -= 1
            first, col = first_line(block[j]), block[j].col_offset
        indent = unit.lines[first - 1][:col]
        if indent.strip() or unit.line_text(start)[: unit.char_col(start, stmt.col_offset)].strip():
            yield Reject("shared_line")
            continue
        last, nxt = end, block[i + 1] if i + 1 < len(block) else None
        if nxt is not None and nxt.end_lineno - first_line(nxt) < MAX_SUFFIX_LINES:  # type: ignore[operator]
            last = nxt.end_lineno  # type: ignore[assignment]
        region = make_region(unit.lines, first, last, indent)
        suffix_end = region.end(nxt) if nxt is not None and last > end else None
        origin = "block" if isinstance(stmt, COMPOUND) else "chain" if chain else "statement"
        yield _Site(stmt, region, origin, definition.qualname, (start, end), suffix_end, tags)


def _doctest_sites(definition: Definition, config: Config, deferred: bool) -> Iterator[_Site]:
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
            yield _Site(stmt, region, "doctest", definition.qualname, span, suffix_end, tags)
        context.append(ex.source)


def _site_examples(
    unit: ModuleUnit, site: _Site, api: frozenset[str]
) -> Iterator[Example | Reject]:
    """The examples of one site, or one Reject saying why there are none."""
    region, node, tags = site.region, site.node, site.tags
    text = region.text
    s0, s1 = region.start(node), region.end(node)
    statement = text[s0:s1]
    if s1 - s0 > 4 * MAX_COMPLETION:
        yield Reject("statement_too_long")
        return
    code = text[:s1]
    if not parses(code):
        yield Reject("unparseable")
        return
    whole = Cut("block" if site.origin == "block" else "line", s0, s1)
    has_context = bool(text[:s0].strip())
    inner = statement_cuts(node, region, api) if tags and site.origin != "block" else []
    reasons: list[str] = []

    def usable(cut: Cut, span: str) -> bool:
        reason = "trivial_completion" if trivial(span) else None
        if len(span) > MAX_COMPLETION:
            reason = "completion_too_long"
        if reason:
            reasons.append(reason)
        return reason is None

    l2r = [c for c in ([whole] if has_context else []) + inner if usable(c, text[c.start : s1])]
    fim = [c for c in inner if usable(c, text[c.start : c.end])]
    if has_context and site.suffix_end is not None and tags and usable(whole, statement):
        fim.insert(0, whole)
    seed = _seed(statement)
    rng = random.Random(seed)
    cap_l2r, cap_fim, total = CAPS[site.origin] if tags else (1, 0, 1)
    if seed & 1:  # within ``total``, the hash says which variant goes first
        cap_l2r = min(cap_l2r, total - min(cap_fim, len(fim)))
    else:
        cap_fim = min(cap_fim, total - min(cap_l2r, len(l2r)))
    meta = {**unit.provenance.meta(lines=site.lines), "origin": site.origin, "symbol": site.symbol}
    produced = 0
    for cut in _pick(l2r, cap_l2r, rng):
        produced += 1
        inp = {"partial_code": text[: cut.start]}
        yield _example(unit, inp, {"completed_code": code}, meta, cut, "l2r", tags)
    for cut in _pick(fim, cap_fim, rng):
        end = site.suffix_end if cut is whole else s1
        prefix, middle, suffix = text[: cut.start], text[cut.start : cut.end], text[cut.end : end]
        if cut is whole and not parses(prefix + middle + suffix):
            yield Reject("unparseable")
            continue
        produced += 1
        inp = {"prefix": prefix, "suffix": suffix}
        yield _example(unit, inp, {"middle": middle}, meta, cut, "fim", tags)
    if not produced:
        yield Reject(reasons[0] if reasons else "no_cut_point")


def _pick(pool: list[Cut], cap: int, rng: random.Random) -> list[Cut]:
    """Up to ``cap`` cuts, each kind once before any repeats, returned in source order."""
    if cap <= 0 or not pool:
        return []
    order = pool[:]
    rng.shuffle(order)
    firsts: list[Cut] = []
    repeats: list[Cut] = []
    for cut in order:
        (repeats if any(c.kind == cut.kind for c in firsts) else firsts).append(cut)
    chosen = (firsts + repeats)[:cap]
    return sorted(chosen, key=lambda c: (c.start, c.end, c.kind))


def _example(
    unit: ModuleUnit,
    input: dict[str, str],
    target: dict[str, str],
    meta: dict[str, Any],
    cut: Cut,
    variant: str,
    tags: list[str],
) -> Example:
    meta = {**meta, "cut": cut.kind, "variant": variant, "ibis_api": tags}
    source = unit.provenance.source
    return Example.create(task=NAME, source=source, input=input, target=target, meta=meta)
