"""Code completion: cut real statements of a module at AST node boundaries.

Every example is a piece of the source itself. A *site* is a statement with the lines of
context before it (at most ``config.context_lines``, whole statements only, dedented so it
is valid at module level); all text comes from the file.

Sites (``meta.origin``, and ``meta.statement`` for code):

- ``doctest``: a statement of a ``>>>`` example; the earlier examples of the same docstring
  are the context.
- ``code``, ``method_chain``: a simple statement (assign, annotated/augmented assign,
  expression, return) of a function or module body that holds a method chain (a call on
  the result of a call).
- ``code``, ``simple``: any other simple statement of a function or module body.
- ``code``, ``compound``: a compound statement (``if``/``for``/``with``/``try``/...) of at
  most 8 lines.

Cuts (``meta.cut``): ``attribute`` (after the ``.`` of a method call; the missing span is
the method name and its call), ``argument`` (after ``(`` or ``, ``), ``keyword`` (after
``name=``), ``subscript`` (after ``[``), ``operator`` (the right operand of a binary,
comparison or boolean operator), ``line`` (a whole statement) and ``block`` (a whole
compound statement). ``l2r`` examples give ``partial_code`` -> ``completed_code``, the
completion running to the end of the statement. ``fim`` examples give ``prefix`` and
``suffix`` -> ``middle``, the exact text of the cut node; the suffix runs to the end of the
statement, or for ``line``/``block`` cuts it is the next statement of the same block.

Ibis first: ``meta.ibis_api`` lists the Ibis names a site uses (see
:func:`~ibert_mine.tasks.code_completion.cuts.scan`: generic names such as ``get`` or ``join``
count only next to a distinctive one, or in a doctest that uses ``ibis``). A site without
Ibis names is kept, as one whole-line cut, always for a doctest and for one in
``PLAIN_KEEP`` of the others (by the hash of the statement); the rest are rejected as
``no_ibis_api``.

One example per site (one source span): fill-in-the-middle for one site in ``FIM_EVERY``
(by the statement's hash; StarCoder's 50%) of those that have a fill-in-the-middle cut
(on the installed ibis, a third of all examples), else left-to-right, with one cut point
picked by a generator seeded with that hash, so the output depends only on the input. A
fill-in-the-middle whose suffix would be empty is written left-to-right.

What a completion must be (else the site is rejected under the first reason met): not
punctuation or under 3 characters (``trivial_completion``), at most 400 characters
(``completion_too_long``), holding a call, an operator or a subscript — not a lone name or
literal (``lone_name_or_literal``) — after a prefix with a full line of context or 40
characters (``short_prefix``); imports and option settings are never the target
(``boilerplate``). Other rejects: ``statement_too_long`` (over 30 lines or 1600
characters), ``shared_line`` (the statement shares its line with other code),
``unparseable``, ``no_cut_point``.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

from ibert_mine.core import meta as keys
from ibert_mine.core.config import Config
from ibert_mine.core.example import Example
from ibert_mine.core.meta import MetaKey
from ibert_mine.core.meta import build as build_meta
from ibert_mine.core.reasons import Reason, Reject
from ibert_mine.programs.private import uses_private_api
from ibert_mine.sources.python import ModuleUnit, parses
from ibert_mine.tasks.chat_format import fenced, join
from ibert_mine.tasks.code_completion.checks import check_completion
from ibert_mine.tasks.code_completion.cuts import Cut, boilerplate, statement_cuts
from ibert_mine.tasks.code_completion.sites import (
    DEFERRED,
    NO_IBIS_API,
    SHARED_LINE,
    SIGNATURE_OUT_OF_CONTEXT,
    STATEMENT_TOO_LONG,
    Site,
    body_sites,
    doctest_sites,
    seed_of,
)
from ibert_mine.tasks.code_completion.worth import (
    BOILERPLATE,
    COMPLETION_TOO_LONG,
    LONE_NAME_OR_LITERAL,
    MAX_COMPLETION,
    NO_CONTEXT,
    NO_CUT_POINT,
    SHORT_PREFIX,
    TRIVIAL_COMPLETION,
    unusable,
)
from ibert_mine.tasks.contract import Direct, Fields, Task
from ibert_mine.tasks.tags import TAGS, place_tags

NAME = "code_completion"

FIM_EVERY = 2  # one site in FIM_EVERY (by its hash) is fill-in-the-middle, as StarCoder's 50%
# meta.statement of a code site, by the kind of site (doctest sites have none)
STATEMENTS = {"chain": "method_chain", "statement": "simple", "block": "compound"}

META: tuple[MetaKey, ...] = (
    *keys.PATH_TO_VERSION,
    keys.ORIGIN.allowing("doctest", "code"),
    keys.SYMBOL,
    MetaKey(
        "statement",
        "string",
        "the kind of statement completed (code only):",
        values=(
            ("method_chain", "a simple statement holding a method chain"),
            ("simple", "another simple statement (assignment, expression, return)"),
            ("compound", "an if/for/while/with/try/match block of at most 8 lines"),
        ),
    ),
    MetaKey(
        "cut",
        "string",
        "where the missing span begins:",
        values=(
            ("attribute", "after the . of a method call: the method name and its call"),
            ("argument", "after ( or , of a call: the argument"),
            ("keyword", "after name= of a call: the keyword's value"),
            ("subscript", "after [: the subscript"),
            ("operator", "the right operand of a binary, comparison or boolean operator"),
            ("line", "a whole statement"),
            ("block", "a whole compound statement"),
        ),
    ),
    MetaKey(
        "variant",
        "string",
        "the shape of the example:",
        values=(
            ("l2r", "left to right: partial_code -> completed_code"),
            ("fim", "fill in the middle: prefix + suffix -> middle"),
        ),
    ),
    MetaKey("ibis_api", "strings", "the Ibis names the statement uses"),
    TAGS,
    keys.CLUSTER,
)

UNPARSEABLE = Reason("unparseable", "the statement's text, cut out, does not parse")


def mine(unit: ModuleUnit, config: Config) -> Iterator[Example | Reject]:
    """Completion examples (``l2r`` and ``fim``) from the statements and doctests of ``unit``."""
    deferred = bool(DEFERRED.search(unit.text))
    for definition in unit.definitions:
        for site in doctest_sites(definition, config, deferred):
            yield from _site_examples(unit, site, config.ibis_api)
        if definition.kind != "class":
            for site in body_sites(unit, definition, config, deferred):
                if isinstance(site, Reject):
                    yield site
                else:
                    yield from _site_examples(unit, site, config.ibis_api)


def _site_examples(unit: ModuleUnit, site: Site, api: frozenset[str]) -> Iterator[Example | Reject]:
    """The one example of a site, or one Reject saying why there is none."""
    region, node, tags = site.region, site.node, site.tags
    text = region.text
    s0, s1 = region.start(node), region.end(node)
    statement = text[s0:s1]
    if s1 - s0 > 4 * MAX_COMPLETION:
        yield STATEMENT_TOO_LONG()
        return
    if boilerplate(node):
        yield BOILERPLATE()
        return
    code = text[:s1]
    if not parses(code):
        yield UNPARSEABLE()
        return
    whole = Cut("block" if site.origin == "block" else "line", s0, s1)
    inner = statement_cuts(node, region, api) if tags and site.origin != "block" else []
    reasons: list[Reason] = []

    def usable(cut: Cut, span: str) -> bool:
        reason = unusable(text[: cut.start], span)
        if reason:
            reasons.append(reason)
        return reason is None

    # a whole first statement after a bare signature cannot be told from it (a fill-in-the-
    # middle can: its suffix uses what the statement defines)
    l2r_whole = [] if site.first_in_body else [whole]
    if site.first_in_body:
        reasons.append(NO_CONTEXT)
    l2r = [c for c in [*l2r_whole, *inner] if usable(c, text[c.start : s1])]
    fim = [c for c in inner if usable(c, text[c.start : c.end])]
    if site.suffix_end is not None and tags and usable(whole, statement):
        fim.insert(0, whole)
    seed = seed_of(statement)
    rng = random.Random(seed)
    # one example per site: fill-in-the-middle for half of them (by the statement's hash)
    variant = "fim" if (seed % FIM_EVERY == 0 and fim) or not l2r else "l2r"
    picked = _pick(fim if variant == "fim" else l2r, 1, rng)
    if not picked:
        yield (reasons[0] if reasons else NO_CUT_POINT)()
        return
    cut = picked[0]
    where = "doctest" if site.origin == "doctest" else "code"
    symbol = site.symbol or "<module>"  # a statement at a module's top level
    meta = {**unit.provenance.meta(lines=site.lines), "origin": where, "symbol": symbol}
    meta["statement"] = STATEMENTS.get(site.origin)
    tags_meta = [*place_tags(unit.provenance.path, site.symbol)]
    if uses_private_api(statement):
        tags_meta.append("private_api")
    meta["tags"] = tags_meta or None
    end = site.suffix_end if cut is whole else s1
    prefix, middle, suffix = text[: cut.start], text[cut.start : cut.end], text[cut.end : end]
    if variant == "l2r" or not suffix:  # an empty suffix: the middle ends the statement
        yield _example(
            unit, {"partial_code": prefix}, {"completed_code": code}, meta, cut, "l2r", tags
        )
    elif cut is whole and not parses(prefix + middle + suffix):
        yield UNPARSEABLE()
    else:
        inp = {"prefix": prefix, "suffix": suffix}
        yield _example(unit, inp, {"middle": middle}, meta, cut, "fim", tags)


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
    meta = build_meta(META, {**meta, "cut": cut.kind, "variant": variant, "ibis_api": tags})
    source = unit.provenance.source
    return Example.create(task=NAME, source=source, input=input, target=target, meta=meta)


def render(record: dict) -> tuple[str, str]:
    """The user's turn (the code to complete) and the assistant's (the completion)."""
    inp, target = record["input"], record["target"]
    if "prefix" in inp:
        before, after = fenced(inp["prefix"]), fenced(inp.get("suffix", ""))
        ask = join("Fill in the missing middle of this code.", "Before:", before, "After:", after)
        return ask, fenced(target["middle"])
    return join("Complete this code.", fenced(inp["partial_code"])), fenced(
        target["completed_code"]
    )


TASK = Task(
    name=NAME,
    fields=Fields(
        input_required=(),
        target_required=(),
        input_optional=("partial_code", "prefix", "suffix"),
        target_optional=("completed_code", "middle"),
        may_be_empty=("input.suffix",),
    ),
    miner=Direct(consumes=(ModuleUnit.KIND,), mine=mine),
    reasons=(
        NO_CONTEXT,
        SIGNATURE_OUT_OF_CONTEXT,
        LONE_NAME_OR_LITERAL,
        SHORT_PREFIX,
        BOILERPLATE,
        STATEMENT_TOO_LONG,
        NO_IBIS_API,
        SHARED_LINE,
        UNPARSEABLE,
        TRIVIAL_COMPLETION,
        COMPLETION_TOO_LONG,
        NO_CUT_POINT,
    ),
    meta=META,
    checks=(check_completion,),
    stats_keys=("statement", "variant"),
    informative=lambda example: len(example.meta.get("ibis_api", [])),
    render=render,
)
