"""The mistakes Ibis users make, made in working programs and run to their real errors.

The rules (:mod:`~.pandas_habits`, :mod:`~.rules`, :mod:`~.python_habits`,
:mod:`~.migrations`) are small functions
named for the mistake, in one ordered tuple :data:`RULES`; each looks at one node of the
program (:mod:`~.site`) and yields the broken text with why it fails. :func:`candidates`
keeps, for each rule, the first broken program (in tree order) that parses and differs;
:func:`run_mistakes` runs each in the sandbox worker that verified the program
(:mod:`~.run`), and keeps those that fail, with their error as the user sees it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from ibert_mine.execution.mistakes.migrations import BUILT_IN, Migration, api_migration
from ibert_mine.execution.mistakes.pandas_habits import PANDAS_RULES
from ibert_mine.execution.mistakes.python_habits import PYTHON_RULES
from ibert_mine.execution.mistakes.rules import RULES as OTHER_RULES
from ibert_mine.execution.mistakes.site import Found, Site, apply

RULES = (*PANDAS_RULES, *OTHER_RULES, *PYTHON_RULES)
KINDS = (*(rule.__name__ for rule in RULES), api_migration.__name__)
# each kind's meaning: the first line of its rule's docstring
MEANINGS = {
    rule.__name__: " ".join((rule.__doc__ or "").strip().split("\n\n")[0].split())
    for rule in (*RULES, api_migration)
}


@dataclass(frozen=True, slots=True)
class Candidate:
    """A broken program: the rule that broke it, its code, and the explanation's template."""

    kind: str
    code: str
    explanation: str
    expect: str = ""  # text the error must hold (else it is not the mistake explained)
    since: str | None = None  # the release that renamed or removed the name (api_migration)


def candidates(
    code: str,
    schemas: Mapping[str, Mapping[str, str]],
    migrations: Sequence[Migration] = BUILT_IN,
) -> list[Candidate]:
    """For each rule (in order), the first broken program it makes of ``code``."""
    site = Site(code, schemas)
    nodes = list(ast.walk(site.tree))
    found: list[Candidate] = []
    seen = {code}
    for rule in RULES:
        for node in nodes:
            made = next(_distinct(code, rule(node, site), seen), None)
            if made is not None:
                found.append(Candidate(rule.__name__, *made))
                break
    for node in nodes:  # every site of a migration, each its own rename
        for migration, edit in api_migration(node, site, migrations):
            for made in _distinct(code, [edit], seen):
                found.append(Candidate("api_migration", *made, since=migration.since))
    return found


def _distinct(code: str, founds: Iterable[Found], seen: set[str]) -> Iterator[tuple[str, str, str]]:
    """(broken code, explanation, expected error) of each of ``founds`` whose broken code
    parses and was not made before (``seen`` grows)."""
    for found in founds:
        broken = apply(code, found)
        if broken not in seen and _parses(broken):
            seen.add(broken)
            yield broken, found.explanation, found.expect


def _parses(code: str) -> bool:
    try:
        ast.parse(code)
    except SyntaxError:
        return False
    return True
