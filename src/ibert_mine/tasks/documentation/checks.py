"""What ``validate`` checks of a documentation record, besides the schema."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ibert_mine.tasks.documentation import docstyle


def check_documentation(record: dict[str, Any]) -> Iterator[str]:
    """The code does not hold its docstring; the style is what docstring-parser detects;
    a parameters section documents parameters."""
    code, style = record["input"]["code"], record["input"]["style"]
    docstring = record["target"]["docstring"]
    if docstring in code:
        yield "documentation: the input code contains the target docstring"
    if style not in docstyle.STYLES:
        yield f"documentation: unknown style {style!r}"
    elif record["input"].get("section") == "parameters":
        if not docstyle.section_params(docstring, style):
            yield f"documentation: the section documents no parameter in {style!r} style"
    elif docstyle.detect_style(docstring) != style:
        yield f"documentation: style {style!r} is not what docstring-parser detects"
    if record["input"].get("section") not in (None, "parameters", "description"):
        yield "documentation: unknown section"
