"""Clean Markdown for answers, and the normalisation that finds an answer at its source.

Answers are Markdown a reader can use without the site that rendered it: :func:`clean`
takes out Quarto's directives and shortcodes, callout and tabset fences, raw HTML,
cross-reference markup, attribute blocks and images, and turns links to other pages of the
site (and quartodoc's interlinks) into their text. :func:`normalise` is what ``validate``
compares: cleaned text with its whitespace collapsed, so an answer paragraph is found in
the cleaned text of the lines it was taken from.
"""

from __future__ import annotations

import re

# Quarto fenced divs (::: {.callout-note}, ::: {.panel-tabset}, :::), and shortcodes
_DIV_FENCE = re.compile(r"(?m)^[ \t]*:{3,}.*$")
_SHORTCODE = re.compile(r"\{\{<.*?>\}\}", re.S)
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
_HTML_TAG = re.compile(r"</?[A-Za-z][\w-]*(?:\s[^<>]*)?/?>")
IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)(\{[^}]*\})?")  # with its attributes
# quartodoc interlinks: [](`ibis.memtable`) -> `ibis.memtable`
_INTERLINK = re.compile(r"\[\]\((`[^`]+`)\)")
# [text](target): links to pages of the site keep their text; web links stay links
_LINK = re.compile(r"(?<!!)\[([^\]]+)\]\(([^)\s]*)(?:\s+\"[^\"]*\")?\)")
_ATTRIBUTES = re.compile(r"(?:(?<=[\]\)*_])|^)\{[^}\n]*\}")
_HEADING_ANCHOR = re.compile(r"\s*\{#[^}]*\}\s*$", re.M)
_CROSS_REF = re.compile(r"(?<![\w@])@(fig|tbl|sec|eq|lst|thm)-[\w-]*\w")
# what Quarto renders a cross-reference as ("Figure 2"), without its number
_REFERRED = {"fig": "the figure", "tbl": "the table", "sec": "the section",
             "eq": "the equation", "lst": "the listing", "thm": "the theorem"}  # fmt: skip
_FENCED = re.compile(r"(?ms)(^[ \t]*(?:`{3,}|~{3,}).*?^[ \t]*(?:`{3,}|~{3,})[ \t]*$)")
_FENCE_INFO = re.compile(r"^([ \t]*(?:`{3,}|~{3,}))\s*\{\.?([\w+-]*)[^}\n]*\}")
_CELL_OPTION = re.compile(r"(?m)^[ \t]*#\|.*\n")
_ANNOTATION = re.compile(r"[ \t]*# <\d+>[ \t]*$", re.M)
_INLINE_CODE = re.compile(r"(`+[^`\n]+?`+)")
_SPACES = re.compile(r"\s+")
_INNER_HEADING = re.compile(r"(?m)^[ \t]*#{1,6}[ \t]+(.+?)[ \t]*$")  # a callout title
_INNER_SPACES = re.compile(r"(?<=\S) {2,}")
_BLANKS = re.compile(r"\n{3,}")


def _link(match: re.Match[str]) -> str:
    text, target = match.group(1), match.group(2)
    if target.startswith(("http://", "https://")):
        return f"[{text}]({target})"
    return text  # a page of the site, an anchor, an interlink target: its text only


def _bold(match: re.Match[str]) -> str:
    return f"**{match.group(1).replace('**', '')}**"


def clean(text: str) -> str:
    """``text`` without Quarto, HTML or cross-reference markup (blank runs collapsed);
    fenced code blocks and inline code are left as written.

    >>> clean('::: {.callout-tip}\\nSee [the guide](../a.qmd){.external}, [](`ibis.join`).\\n:::')
    'See the guide, `ibis.join`.'
    """
    parts = _FENCED.split(text)  # odd indexes: fenced code blocks
    cleaned = [_clean_code(part) if i % 2 else _clean_prose(part) for i, part in enumerate(parts)]
    lines = [line.rstrip() for line in "".join(cleaned).split("\n")]
    return _BLANKS.sub("\n\n", "\n".join(lines)).strip()


def _clean_code(block: str) -> str:
    """A fenced block with a plain info string (```` ```{.python} ```` -> ```` ```python ````),
    without Quarto's ``#|`` cell options and code annotation markers."""
    block = _CELL_OPTION.sub("", _FENCE_INFO.sub(r"\1\2", block))
    return _ANNOTATION.sub("", block)


def _clean_prose(text: str) -> str:
    text = _HTML_COMMENT.sub("", text)
    text = _SHORTCODE.sub("", text)
    text = _DIV_FENCE.sub("", text)
    text = IMAGE.sub("", text)
    text = _INTERLINK.sub(r"\1", text)
    text = _INNER_HEADING.sub(_bold, _HEADING_ANCHOR.sub("", text))
    text = _LINK.sub(_link, _ATTRIBUTES.sub("", text))  # link texts may hold inline code
    spans = _INLINE_CODE.split(text)  # odd indexes: inline code, kept as written
    for i in range(0, len(spans), 2):
        prose = _ATTRIBUTES.sub("", spans[i])
        prose = _HTML_TAG.sub("", prose)
        prose = _CROSS_REF.sub(lambda m: _REFERRED[m.group(1)], prose)
        prose = _HEADING_ANCHOR.sub("", prose)
        spans[i] = _INNER_SPACES.sub(" ", prose)
    return "".join(spans)


def normalise(text: str) -> str:
    """``text`` cleaned, its whitespace collapsed to single spaces: what grounding compares.

    >>> normalise("Join  two\\n   tables [](`ibis.join`).")
    'Join two tables `ibis.join`.'
    """
    return _SPACES.sub(" ", clean(text)).strip()


def paragraphs(text: str) -> list[str]:
    """The blank-line separated paragraphs of ``text`` (fenced code blocks kept whole)."""
    out: list[str] = []
    current: list[str] = []
    fence: str | None = None
    for line in text.split("\n"):
        stripped = line.strip()
        if fence is None and stripped.startswith(("```", "~~~")):
            fence = stripped[:3]
        elif fence is not None and stripped.startswith(fence):
            fence = None
        if not stripped and fence is None:
            if current:
                out.append("\n".join(current))
            current = []
        else:
            current.append(line)
    if current:
        out.append("\n".join(current))
    return out
