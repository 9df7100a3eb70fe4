"""The pieces of the HTML report: tables, bar charts as inline SVG, highlighted code.

Everything is inline (styles, SVG, highlighting by pygments with inline styles): the
page needs no network and no script. Every count a table shows carries ``data-key``, so a
test can read the page's numbers back.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence

from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer, SqlLexer, TextLexer

STYLE = """
body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:1400px}
table{border-collapse:collapse;margin:0.5em 0 1.5em}td,th{border:1px solid #ccc;
padding:3px 8px;text-align:left;vertical-align:top}td.n{text-align:right}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:1em;margin-bottom:1.5em}
.pair pre{white-space:pre-wrap;font-size:12px;max-height:22em;overflow:auto;
background:#f7f7f7;padding:0.6em;margin:0}h3{margin-bottom:0.2em}
"""
_FORMATTER = HtmlFormatter(noclasses=True, nowrap=True)
LEXERS = {"python": PythonLexer(), "sql": SqlLexer(), "text": TextLexer()}


def esc(text: object) -> str:
    """``text`` escaped for HTML."""
    return html.escape(str(text))


def table(headers: Sequence[str], rows: Sequence[Sequence[object]], key: str) -> str:
    """A table whose last column is a count, marked ``data-key="KEY:cell|cell"``."""
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = []
    for row in rows:
        *labels, count = row
        mark = esc(f"{key}:{'|'.join(str(x) for x in labels)}")
        cells = "".join(f"<td>{esc(x)}</td>" for x in labels)
        body.append(f'<tr>{cells}<td class="n" data-key="{mark}">{count}</td></tr>')
    return f"<table><tr>{head}</tr>{''.join(body)}</table>"


def histogram(values: Sequence[int], label: str) -> str:
    """A bar chart (inline SVG) of ``values`` in power-of-two bins."""
    if not values:
        return ""
    bins: dict[int, int] = {}
    for v in values:
        bins[int(math.log2(max(v, 1)))] = bins.get(int(math.log2(max(v, 1))), 0) + 1
    lo, hi = min(bins), max(bins)
    width, height, bar = 24 * (hi - lo + 1) + 40, 140, 20
    top = max(bins.values())
    parts = []
    for i, b in enumerate(range(lo, hi + 1)):
        n = bins.get(b, 0)
        h = round(100 * n / top)
        x = 30 + 24 * i
        parts.append(f'<rect x="{x}" y="{110 - h}" width="{bar}" height="{h}" fill="#4a7ab7">'
                     f"<title>{2**b}-{2 ** (b + 1) - 1} chars: {n}</title></rect>")  # fmt: skip
        parts.append(f'<text x="{x}" y="125" font-size="8">{2**b}</text>')
    return (f'<figure><svg xmlns="http://www.w3.org/2000/svg" width="{width}" '
            f'height="{height}" role="img" aria-label="{esc(label)}">{"".join(parts)}</svg>'
            f"<figcaption>{esc(label)}</figcaption></figure>")  # fmt: skip


def code(text: str, lang: str) -> str:
    """``text`` highlighted in ``lang`` (``python``, ``sql`` or ``text``), in a ``<pre>``."""
    return f"<pre>{highlight(text, LEXERS.get(lang, LEXERS['text']), _FORMATTER)}</pre>"


def page(title: str, body: str) -> str:
    """The whole document."""
    head = (
        '<meta charset="utf-8"><link rel="icon" href="data:,">'
        f"<title>{esc(title)}</title><style>{STYLE}</style>"
    )
    heading = f"<h1>{esc(title)}</h1>"
    return f'<!DOCTYPE html><html lang="en"><head>{head}</head><body>{heading}{body}</body></html>'
