"""A ``code_example`` as runnable code, and whether it can run on its own.

The code of a doctest or of a page's cells is the statements as a user types them: no
``>>>`` prompts, no printed output. :func:`runnable_code` joins snippets and keeps the
result only when it parses and is not too long to read. :func:`self_contained` says
whether the sandbox can run it as it is: every name it reads is defined in it, imported,
or a builtin, and it reads no file, URL or example dataset (which need the network or a
file the example does not carry).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable

from ibert_mine.programs.slicing import assigned_names, loaded_names
from ibert_mine.sources.python import parse_or_none

PYTHON = frozenset({"python", "py", "python3", "ipython"})  # the languages of Python blocks
MAX_CODE_LINES = 40  # a longer example is a tutorial, not an answer's example
# calls that read data from outside the code: a file, a URL, an example dataset, a server
_OUTSIDE = re.compile(
    r"\.(fetch|read_csv|read_parquet|read_json|read_delta|read_geo|read_xlsx|read_sqlite"
    r"|read_postgres|read_mysql|read_in_memory|attach|load_extension|register)\s*\("
    r"|\bopen\s*\(|urlopen|requests\.|\bconnect\s*\(\s*['\"\w]"
)
_MAGIC = re.compile(r"(?m)^\s*[!%]")  # notebook shell commands and magics
_DIRECTIVE = re.compile(r"\s*# doctest:.*$", re.M)  # doctest's own options, not the user's


def runnable_code(snippets: Iterable[str]) -> str | None:
    """The snippets that parse, as one program (each ends with a newline); None when it
    holds no statement or is over :data:`MAX_CODE_LINES` lines. A snippet that does not
    parse alone (a traceback, console output in a code block) is not code."""
    kept = [s for s in snippets if s.strip() and parse_or_none(_DIRECTIVE.sub("", s))]
    code = "".join(s if s.endswith("\n") else s + "\n" for s in kept)
    code = _DIRECTIVE.sub("", code).strip("\n")
    if not code or code.count("\n") + 1 > MAX_CODE_LINES or _MAGIC.search(code):
        return None
    tree = parse_or_none(code)
    return code + "\n" if tree is not None and tree.body else None  # comments alone: no code


def self_contained(code: str) -> bool:
    """True when ``code`` defines every name it reads and reads nothing from outside.

    >>> self_contained("import ibis\\nt = ibis.memtable({'a': [1]})\\nt.a.sum()")
    True
    >>> self_contained("t.a.sum()")
    False
    >>> self_contained("import ibis\\nt = ibis.examples.penguins.fetch()")
    False
    """
    return _OUTSIDE.search(code) is None and defines_its_names(code)


def defines_its_names(code: str) -> bool:
    """True when every name ``code`` reads is defined in it, imported, or a builtin (a
    fragment of a longer session reads names its earlier cells define)."""
    tree = parse_or_none(code)
    if tree is None:
        return False
    defined: set[str] = set()
    for stmt in tree.body:
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            defined.add(stmt.name)  # a function may read names defined after it: by call time
            continue
        if loaded_names(stmt) - defined - _bound_inside(stmt):
            return False
        defined |= assigned_names(stmt) | _bound_inside(stmt)
    return True


def _bound_inside(stmt: ast.stmt) -> set[str]:
    """Names a statement binds anywhere in it (loop targets, ``with ... as``, walrus)."""
    names: set[str] = set()
    for node in ast.walk(stmt):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names}
    return names
