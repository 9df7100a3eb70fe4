"""``meta.tags``: what a training team may want to filter on, declared like every meta key.

Tags never change an example; ``concat --exclude-tag`` leaves tagged ones out, ``stats``
counts them.
"""

from __future__ import annotations

from ibert_mine.core.meta import MetaKey
from ibert_mine.programs.modules import is_test_path

TAGS = MetaKey(
    "tags",
    "strings",
    "what the example is, for filtering:",
    values=(
        ("test_code", "it comes from a test file"),
        ("internal", "it comes from Ibis's own machinery or a private module or name (_x)"),
        ("private_api", "its target uses private Ibis API (operations, .op(), _x)"),
        ("auto_alias", "its SQL names a column after its expression, as Ibis does unnamed ones"),
        ("no_table", "its program reads no table"),
        ("fixture_schema", "its tables' schemas come from pytest fixtures"),
        ("weak_evidence", "its data kills less than 90% of the program's mutants"),
        ("stale_code", "its code example fails against the installed Ibis (meta.code_error)"),
        (
            "code_fragment",
            "its code example reads names defined elsewhere (earlier cells): not run",
        ),
    ),
)


# Ibis's own machinery, which users of Ibis never import: the expression graph, the
# operations, the rewrites, the SQL compilers, the format converters
INTERNAL_MODULES = (
    "ibis/common/",
    "ibis/expr/operations/",
    "ibis/expr/rewrites.py",
    "ibis/backends/sql/",
    "ibis/formats/",
)


def _private(part: str) -> bool:
    return part.startswith("_") and not part.startswith("__")


def place_tags(path: str, symbol: str | None) -> list[str]:
    """The tags of where an example is: a test file; a private module or name."""
    tags = ["test_code"] if is_test_path(path) else []
    modules = path.removesuffix(".py").split("/")
    names = (symbol or "").split(".")[-1:]  # a public method of a private mixin is public
    internal = path.startswith(INTERNAL_MODULES) and "/tests/" not in path
    if internal or any(_private(part) for part in modules + names):
        tags.append("internal")
    return tags
