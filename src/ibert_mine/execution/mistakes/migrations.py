"""API migrations: names Ibis renamed or removed, called by their old name on this version.

:data:`BUILT_IN` lists the renames and removals that Ibis's release notes
(``docs/release_notes*.qmd``) record with the current name to use instead, and the release
that records it. :func:`api_migration` finds a call of a current name in a working program
and writes the old name in its place; the sandbox keeps the broken program only when this
version of Ibis rejects the old name (a deprecated name that still works is no mistake).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from ibert_mine.execution.mistakes.site import Found, Site

IBIS = ("ibis",)
SELECTORS = ("s", "cs", "selectors", "ibis.selectors")


@dataclass(frozen=True, slots=True)
class Migration:
    """A name Ibis replaced: the old name, the current one, the release that says so, and
    (for functions) the module names it is called on; a method when ``modules`` is empty."""

    old: str
    new: str
    since: str
    modules: tuple[str, ...] = ()


BUILT_IN: tuple[Migration, ...] = (
    Migration("to_date", "as_date", "11.0.0"),  # String.to_date is removed in favor of ...
    Migration("to_timestamp", "as_timestamp", "11.0.0"),
    Migration("to_interval", "as_interval", "11.0.0"),
    Migration("initcap", "capitalize", "10.0.0"),
    Migration("where", "ifelse", "10.0.0", IBIS),  # where is removed. Use ibis.ifelse
    Migration("to_array", "as_scalar", "10.0.0"),  # deprecate to_array in favor of as_scalar
    Migration("c", "cols", "9.5.0", SELECTORS),  # deprecate c and r selectors in favor of ...
    Migration("r", "index", "9.5.0", SELECTORS),
    Migration("to_projection", "as_table", "4.1.0"),  # deprecate .to_projection for .as_table
)


# old names the release notes replace with a call of other arguments: writing the old name
# into a current call gives code no Ibis version ran (Table.set_column(name, expr) became
# mutate(name=expr); StructValue.destructure() became Table.unpack(column); ibis.case()
# was a builder of no arguments, ibis.cases takes the cases; Table.relabel({old: new})
# became rename(new=old))
OTHER_ARGUMENTS = frozenset({"set_column", "destructure", "case", "relabel"})


def migrations_from(entries: Sequence[Sequence[str]]) -> tuple[Migration, ...]:
    """The migrations of release-notes ``entries`` ``(old, new, since, module)`` (not those
    of :data:`OTHER_ARGUMENTS`), then the built-in ones whose old name they do not give.

    >>> entries = [("where", "ifelse", "10.0.0", "ibis"), ("set_column", "mutate", "5.1.0", "")]
    >>> [m.old for m in migrations_from(entries)][:3]
    ['where', 'to_date', 'to_timestamp']
    """
    read = tuple(
        Migration(old, new, since, IBIS if module == "ibis" else ())
        for old, new, since, module in entries
        if old not in OTHER_ARGUMENTS
    )
    known = {m.old for m in read}
    return read + tuple(m for m in BUILT_IN if m.old not in known)


def api_migration(
    node: ast.AST, site: Site, migrations: Sequence[Migration] = BUILT_IN
) -> Iterator[tuple[Migration, Found]]:
    """A current name written as the old name Ibis had for it.

    >>> demo(api_migration, "t.g.capitalize()")
    ['t.g.initcap()']
    >>> demo(api_migration, "ibis.ifelse(t.a > 1, 'x', 'y')")
    ["ibis.where(t.a > 1, 'x', 'y')"]
    """
    if not isinstance(node, ast.Attribute):
        return
    owner = site.text(node.value)
    for migration in migrations:
        if node.attr != migration.new:
            continue
        if migration.modules and owner not in migration.modules:
            continue
        if not migration.modules and (owner in IBIS or owner in SELECTORS):
            continue
        yield (
            migration,
            Found(
                (site.rename(node, migration.old),),
                f"`{migration.old}` is the name this API had before Ibis {migration.since}, whose"
                f" release notes replace it with `{migration.new}`; this version no longer has"
                f" `{migration.old}` ({{error_type}}), and the fixed code calls `{migration.new}`.",
                expect=f"'{migration.old}'",
            ),
        )
