"""Near-miss Ibis programs: what a wrong answer to a translation would be.

The rules (:mod:`~ibert_mine.execution.mutants.rules`) are small functions named for the
mistake they make, in an ordered tuple; each looks at one node of the program's syntax
tree (:mod:`~ibert_mine.execution.mutants.site`) and yields what could stand there.
:func:`mutants` runs every rule on every node, writes each replacement back as a whole
program, and keeps the distinct programs, at most ``cap`` of them: rule by rule in turn
(round robin, each rule's sites in tree order), so that every kind of mistake is
represented. A mutant that does not build or compile is discarded by the caller
(:mod:`ibert_mine.execution.kill`).
"""

from __future__ import annotations

import ast
from collections.abc import Mapping

from ibert_mine.execution.mutants.rules import RULES
from ibert_mine.execution.mutants.site import Mutant, Where, replaced

CAP = 40

__all__ = ["CAP", "Mutant", "candidates", "mutants"]


def candidates(code: str, schemas: Mapping[str, Mapping[str, str]]) -> dict[str, list[Mutant]]:
    """Every distinct mutant of ``code``, by rule name, each rule's in tree order."""
    tree = ast.parse(code)
    where = Where(tree, schemas)
    original = ast.unparse(tree)
    seen = {original}
    found: dict[str, list[Mutant]] = {}
    nodes = list(ast.walk(tree))
    for rule in RULES:
        for index, node in enumerate(nodes):
            for new in rule(node, where):
                mutated = ast.unparse(replaced(tree, index, new))
                if mutated not in seen:
                    seen.add(mutated)
                    found.setdefault(rule.__name__, []).append(Mutant(rule.__name__, mutated))
    return found


def mutants(
    code: str, schemas: Mapping[str, Mapping[str, str]], cap: int = CAP
) -> tuple[list[Mutant], int]:
    """At most ``cap`` mutants of ``code`` (round robin over the rules) and how many there
    were in all."""
    found = candidates(code, schemas)
    total = sum(len(v) for v in found.values())
    queues = [list(found[rule.__name__]) for rule in RULES if rule.__name__ in found]
    chosen: list[Mutant] = []
    while len(chosen) < min(cap, total):
        for queue in queues:
            if queue and len(chosen) < cap:
                chosen.append(queue.pop(0))
    return chosen, total
