"""Table schemas from SQL DDL: the ``CREATE TABLE`` statements of a file (``--schema``).

Some sources read tables whose schemas are nowhere in the source: the TPC-DS queries of
an Ibis checkout read 24 tables that its test suite generates at run time. A DDL file that
defines them (for TPC-DS, ``tools/tpcds.sql`` of the TPC-DS kit) gives their schemas. Each
column's SQL type becomes the Ibis type Ibis itself maps it to (``integer`` -> ``int32``,
``char(16)`` -> ``string``, ``decimal(7,2)`` -> ``decimal(7, 2)``); constraints such as
``NOT NULL`` are left out, so synthetic data may hold NULLs in every column.
"""

from __future__ import annotations

from pathlib import Path

Schema = tuple[tuple[str, str], ...]  # (column, Ibis type) pairs


class DdlError(ValueError):
    """A DDL file that cannot be read or holds no usable ``CREATE TABLE``."""


def schemas_from_ddl(text: str, dialect: str = "duckdb") -> dict[str, Schema]:
    """Table name -> schema for every ``CREATE TABLE name (column type, ...)`` in ``text``."""
    import sqlglot  # heavy: imported on first use
    from ibis.backends.sql.datatypes import SqlglotType
    from sqlglot import exp

    try:
        statements = sqlglot.parse(text, read=dialect)
    except sqlglot.errors.SqlglotError as err:
        raise DdlError(f"the DDL does not parse: {str(err).splitlines()[0]}") from err
    out: dict[str, Schema] = {}
    for statement in statements:
        if not (isinstance(statement, exp.Create) and statement.kind == "TABLE"):
            continue
        target = statement.this
        if not isinstance(target, exp.Schema) or not isinstance(target.this, exp.Table):
            continue  # CREATE TABLE ... AS SELECT: no column list
        columns: list[tuple[str, str]] = []
        for column in target.expressions:
            if not isinstance(column, exp.ColumnDef) or column.args.get("kind") is None:
                continue  # PRIMARY KEY (...) and other table constraints
            try:
                dtype = SqlglotType.to_ibis(column.args["kind"])
            except Exception as err:  # a type Ibis has no mapping for
                kind = column.args["kind"]
                raise DdlError(f"column {column.name!r}: unknown type {kind}") from err
            name = column.name.lower()
            if any(name == c for c, _ in columns):
                raise DdlError(f"table {target.this.name!r}: column {name!r} is defined twice")
            columns.append((name, str(dtype.copy(nullable=True))))
        if columns:
            out[target.this.name.lower()] = tuple(columns)
    if not out:
        raise DdlError("no CREATE TABLE statement with columns")
    return out


def read_schema_files(paths: list[Path]) -> dict[str, Schema]:
    """The schemas of every DDL file in ``paths``; a later file overrides an earlier one."""
    out: dict[str, Schema] = {}
    for path in paths:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            raise DdlError(f"{path}: cannot be read ({err})") from err
        try:
            out.update(schemas_from_ddl(text))
        except DdlError as err:
            raise DdlError(f"{path}: {err}") from err
    return out
