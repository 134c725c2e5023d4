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
    for start in range(0, len(rows), BATCH):
        batch = rows[start : start + BATCH]
        session.execute(insert(table), batch)
        if done is not None:
            done(start + len(batch))
    return ids


def plain(model: type[SQLModel]) -> Any:
    """A model's columns as one item of a select, read as a plain row with the model's
    attribute names: an export reads hundreds of thousands of rows, and an ORM object
    for each costs more than the query."""
    table: Any = model.__table__  # type: ignore[attr-defined]  # every table model has one
    return Bundle(str(model.__tablename__), *table.columns)
