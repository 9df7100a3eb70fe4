"""Programs of sessions: a docstring's ``>>>`` examples, the code cells of a page.

A session is read as snippets run in turn. Tables come from ``ibis.memtable`` /
``ibis.table`` in the session, and from ``ibis.examples.X.fetch()`` when a printed table
header in the same docstring shows every column's type (:func:`printed_schema`). Its
hand-written SQL (``.sql("...")`` literals, SQL cells) comes out too, with the session's
programs as candidates (:mod:`ibert_mine.programs.human_sql`).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from ibert_mine.core.reasons import TOO_DEEPLY_NESTED, Reject
from ibert_mine.programs.human_sql import (
    HumanSql,
    SqlText,
    human_sql_sites,
    named_tables,
    sql_calls,
    sql_cell,
)
from ibert_mine.programs.program import (
    Program,
    TableSource,
    build_program,
    is_candidate,
    session_dialect,
    table_defs,
)
from ibert_mine.programs.slicing import Stmt
from ibert_mine.sources.pages import PageUnit
from ibert_mine.sources.python import Definition, doctest_examples

_HEADER_ROW = re.compile(r"^\s*┃(.*)┃\s*$")
_TYPE_ROW = re.compile(r"^\s*│(.*)│\s*$")


def printed_schema(want: str) -> tuple[tuple[str, str], ...] | None:
    """Column names and types from a printed Ibis table header, when it shows every column."""
    lines = want.splitlines()
    for i, line in enumerate(lines):
        header = _HEADER_ROW.match(line)
        if header is None or i + 2 >= len(lines):
            continue
        types = _TYPE_ROW.match(lines[i + 2])
        if types is None or "…" in line or "…" in lines[i + 2]:
            return None
        names = [c.strip() for c in header.group(1).split("┃")]
        dtypes = [c.strip() for c in types.group(1).split("│")]
        if len(names) == len(dtypes) and all(names) and all(dtypes):
            return tuple(zip(names, dtypes, strict=True))
        return None
    return None


def doctest_programs(definition: Definition) -> Iterator[Program | HumanSql | Reject]:
    """Programs of a docstring's ``>>>`` session, and its hand-written SQL."""
    examples = [(e.source, e.line, e.want) for e in doctest_examples(definition)]
    yield from session_programs(examples, "doctest", definition.qualname)


def doc_programs(page: PageUnit) -> list[Program | HumanSql | Reject]:
    """Programs of a documentation page or notebook: its Python cells as one session, and
    its SQL cells as hand-written SQL."""
    cells, path = page.cells, page.provenance.path
    python = [c for c in cells if c.lang in {"python", "py", "python3"}]
    sql = [t for c in cells if c.lang == "sql" and (t := sql_cell(c.source, c.line))]
    origin = "notebook" if path.endswith(".ipynb") else "docs"
    try:
        snippets = [(c.source, c.line, "") for c in python]
        return list(session_programs(snippets, origin, "", sql))
    except RecursionError:
        return [TOO_DEEPLY_NESTED()]


def session_programs(
    snippets: list[tuple[str, int, str]],
    origin: str,
    symbol: str,
    sql_texts: list[SqlText] | None = None,
) -> Iterator[Program | HumanSql | Reject]:
    """Programs of a session of snippets run in turn (a doctest, the cells of a page), and
    the hand-written SQL of the session (``.sql("...")`` literals and ``sql_texts``).

    Each snippet is ``(source, first line in the file, printed output)``; a snippet that
    does not parse is left out of the session.
    """
    stmts: list[Stmt] = []
    wants: list[str] = []
    for source, line, want in snippets:
        try:
            tree = ast.parse(source)
        except (SyntaxError, ValueError):
            continue
        for node in tree.body:
            text = ast.get_source_segment(source, node) or ""
            first = line + node.lineno - 1
            stmts.append(Stmt(node, text, first, line + (node.end_lineno or 1) - 1))
            wants.append(want)
    defs = table_defs(stmts)
    headers = _example_schemas(stmts, wants, defs)
    tables: dict[int, tuple[str, TableSource]] = {}
    for i, (name, source) in defs.items():
        if isinstance(source, TableSource):
            tables[i] = (name, source)
        elif name in headers:
            tables[i] = (name, TableSource(schema=headers[name]))
    built: list[Program] = []
    for i, stmt in enumerate(stmts):
        if i in defs or not is_candidate(stmt.node):
            continue
        program = build_program(stmts, i, tables, {}, origin, symbol)
        if isinstance(program, Program):
            built.append(program)
        yield program
    texts = sql_calls(stmts) + list(sql_texts or [])
    if texts:
        named = named_tables(stmts, tables)
        yield from human_sql_sites(texts, named, built, origin, symbol, session_dialect(stmts))


def _example_schemas(
    stmts: list[Stmt], wants: list[str], defs: dict[int, tuple[str, TableSource | str]]
) -> dict[str, tuple[tuple[str, str], ...]]:
    """Schemas of fetched example tables, read off a later ``>>> t`` that prints them whole."""
    fetched = {name for name, source in defs.values() if isinstance(source, str)}
    out: dict[str, tuple[tuple[str, str], ...]] = {}
    for stmt, want in zip(stmts, wants, strict=True):
        node = stmt.node
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Name):
            name = node.value.id
            if name in fetched and name not in out and (schema := printed_schema(want)):
                out[name] = schema
    return out
