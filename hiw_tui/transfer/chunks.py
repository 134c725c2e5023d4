"""Long lists of keys looked up a chunk at a time, and of rows inserted a batch at a time."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from sqlalchemy import insert
from sqlalchemy.orm import Bundle
from sqlmodel import Session, SQLModel

from hiw_tui.db.core.ids import new_ids

CHUNK = 5_000
"""Keys looked up per query (well under SQLite's limit on bound values)."""
R = TypeVar("R")


def chunks(items: Sequence[R]) -> Iterator[Sequence[R]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


BATCH = 2_000
"""Rows inserted per statement."""


def insert_batches(
    session: Session,
    model: type[SQLModel],
    rows: list[dict[str, Any]],
    done: Callable[[int], None] | None = None,
    *,
    returning: bool = True,
) -> list[int]:
    """Insert `rows` in batches, in order; their new ids (none for a table without an
    id, or without `returning`). The ids are taken first (`new_ids`) and the rows
    inserted with them: a plain batch is several times quicker than one that returns
    its ids, on both databases. `done(rows so far)` after each batch."""
    ids: list[int] = []
    table: Any = model.__table__  # type: ignore[attr-defined]  # every table model has one
    if returning and "id" in model.model_fields:
        ids = new_ids(session, table, len(rows))
        rows = [row | {"id": row_id} for row, row_id in zip(rows, ids, strict=True)]
    postgres = session.get_bind().dialect.name == "postgresql"
    for start in range(0, len(rows), BATCH):
        batch = rows[start : start + BATCH]
        if postgres:
            _copy(session, table, batch)
        else:
            session.execute(insert(table), batch)
        if done is not None:
            done(start + len(batch))
    return ids


def _copy(session: Session, table: Any, rows: list[dict[str, Any]]) -> None:
    """Insert `rows` into `table` by PostgreSQL's COPY, several times quicker than an
    insert per row. Each value goes through its column's own conversion (an enum's name,
    JSON as text) and a column a row leaves out takes its default, as an insert's would;
    a column with neither is left to the server's default."""
    connection = session.connection()
    dialect = connection.dialect
    quote = dialect.identifier_preparer
    given = set().union(*rows)  # a key any row names, not only the first
    columns = [
        column
        for column in table.columns
        if column.key in given or (column.default is not None and not column.primary_key)
    ]
    convert = [column.type.dialect_impl(dialect).bind_processor(dialect) for column in columns]
    defaults = [_default(column) for column in columns]
    names = ", ".join(quote.quote(column.name) for column in columns)
    cursor: Any = connection.connection.cursor()
    with cursor.copy(f"COPY {quote.format_table(table)} ({names}) FROM STDIN") as copy:
        for row in rows:
            values = []
            for column, to_db, default in zip(columns, convert, defaults, strict=True):
                value = row[column.key] if column.key in row else default()
                values.append(value if to_db is None else to_db(value))
            copy.write_row(values)


def _default(column: Any) -> Callable[[], Any]:
    """A column's insert default, as a function of nothing."""
    default = column.default
    if default is None:
        return lambda: None
    if default.is_callable:
        return lambda: default.arg(None)
    return lambda: default.arg


def plain(model: type[SQLModel]) -> Any:
    """A model's columns as one item of a select, read as a plain row with the model's
    attribute names: an export reads hundreds of thousands of rows, and an ORM object
    for each costs more than the query."""
    table: Any = model.__table__  # type: ignore[attr-defined]  # every table model has one
    return Bundle(str(model.__tablename__), *table.columns)
