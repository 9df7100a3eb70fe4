"""The code of a documented definition: its source with the docstring removed, cut when long.

See :mod:`ibert_mine.tasks.documentation` for the cut rule.
"""

from __future__ import annotations

import ast

from ibert_mine.core.reasons import Reason, Reject
from ibert_mine.sources.python import Definition, ModuleUnit, first_line

INLINE_DOCSTRING = Reason("inline_docstring", "the docstring shares a line with code")
CODE_UNPARSEABLE = Reason("code_unparseable", "the code without its docstring does not parse")


def definition_code(unit: ModuleUnit, d: Definition, max_lines: int) -> tuple[str, bool] | Reject:
    """The definition's source without its docstring, cut to ``max_lines`` (see module doc)."""
    doc = d.doc_node
    assert doc is not None and doc.end_lineno is not None
    before = unit.line_text(doc.lineno)[: unit.char_col(doc.lineno, doc.col_offset)]
    after = unit.line_text(doc.end_lineno)[unit.char_col(doc.end_lineno, doc.end_col_offset) :]
    if before.strip() or after.strip():
        return INLINE_DOCSTRING()
    body = d.node.body[1:]
    last = doc.end_lineno
    while last < d.end and not unit.line_text(last + 1).strip():
        last += 1  # the blank lines that followed the docstring go with it
    drop = set(range(doc.lineno, last + 1))
    limit = d.start - 2 + max_lines + len(drop)  # without the docstring; one line for ``...``
    cut_at = next(  # the first statement always stays: a body of ``...`` alone is a stub
        (first_line(stmt) for stmt in body[1:] if stmt.end_lineno > limit),  # type: ignore[operator]
        None,
    )
    if cut_at is not None:
        drop |= set(range(cut_at, d.end + 1))
    lines = [unit.line_text(n) for n in range(d.start, d.end + 1) if n not in drop]
    if cut_at is not None:
        lines = [*_strip_trailing_blank(lines), before + "..."]
    elif not body:  # the emptied body: ``...`` where the docstring was
        pos = doc.lineno - d.start
        lines = [*lines[:pos], before + "...", *lines[pos:]]
    code = _dedent(lines, unit.line_text(d.start))
    try:
        ast.parse(code)
    except SyntaxError:
        return CODE_UNPARSEABLE()
    return code, cut_at is not None


def _strip_trailing_blank(lines: list[str]) -> list[str]:
    while lines and not lines[-1].strip():
        lines.pop()
    return lines


def _dedent(lines: list[str], head: str) -> str:
    """Remove the first line's indentation from every line that starts with it."""
    margin = head[: len(head) - len(head.lstrip())]
    out = [line[len(margin) :] if line.startswith(margin) else line for line in lines]
    return "\n".join(out).strip("\n").rstrip() + "\n"
