"""Only the changed top-level blocks of a module, parsed: a fix touches a few of hundreds.

A module is cut into *blocks* at its column-0 ``def``, ``async def``, ``class`` and
decorator lines (a decorator and the definition under it stay one block; the module's
head, before its first definition, is a block too). Blocks whose text is the same at
both sides cannot hold a change, so only the others are parsed, each at its own line
numbers, into a module of just those statements. When a block does not parse alone (a
column-0 ``def`` inside a string cut it), or the changed blocks are most of the file (a
large class), the caller parses the whole files instead.
"""

from __future__ import annotations

import ast
import re
from collections import Counter

MOST = 0.3  # changed blocks over this share of the file: parse the whole file
_START = re.compile(r"(?:@|def |async def |class )")


def blocks(lines: list[str]) -> list[tuple[int, int]]:
    """The blocks of a module's lines, as 0-based ``[start, stop)`` ranges."""
    starts = [0]
    decorated = False  # inside a decorator block, before its definition
    for i, line in enumerate(lines):
        if not _START.match(line):
            continue
        if decorated:
            decorated = line.startswith("@")
            continue
        if i:
            starts.append(i)
        decorated = line.startswith("@")
    return list(zip(starts, [*starts[1:], len(lines)], strict=True))


def _parse_block(lines: list[str], start: int, stop: int) -> list[ast.stmt] | None:
    """The statements of one block, at their lines in the file (blank lines before it)."""
    try:
        return ast.parse("\n" * start + "".join(lines[start:stop])).body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def changed_parts(old: list[str], new: list[str]) -> tuple[ast.Module, ast.Module] | None:
    """The changed blocks of each side, parsed into one module per side; None when one of
    them does not parse alone, or when they are most of the file (a large class changed:
    parsing the whole file is as fast)."""
    old_blocks, new_blocks = blocks(old), blocks(new)
    old_texts = Counter("".join(old[a:b]) for a, b in old_blocks)
    new_texts = Counter("".join(new[a:b]) for a, b in new_blocks)
    sides: list[ast.Module] = []
    for lines, ranges, other in ((old, old_blocks, new_texts), (new, new_blocks, old_texts)):
        changed = [(a, b) for a, b in ranges if "".join(lines[a:b]) not in other]
        if sum(b - a for a, b in changed) > MOST * len(lines):
            return None
        body: list[ast.stmt] = []
        for start, stop in changed:
            parsed = _parse_block(lines, start, stop)
            if parsed is None:
                return None
            body.extend(parsed)
        sides.append(ast.Module(body=body, type_ignores=[]))
    return sides[0], sides[1]
