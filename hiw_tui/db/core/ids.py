"""Ids for new rows taken before they are inserted, so that many rows go in as one
plain batch and rows naming each other can be linked without a round trip each."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, text
from sqlmodel import Session


def new_ids(session: Session, table: Any, count: int) -> list[int]:
    """`count` ids for new rows of `table`, in order: from its sequence on PostgreSQL; on
    SQLite, after the largest held (the write transaction holds the database's one
    write lock, so nothing else inserts meanwhile)."""
    if not count:
        return []
    if session.get_bind().dialect.name == "postgresql":
        taken = session.execute(
            text(
                "SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :n)"
            ),
            {"table": table.name, "n": count},
        )
        return sorted(taken.scalars())
    largest = session.execute(select(func.max(table.c.id))).scalar() or 0
    return list(range(largest + 1, largest + count + 1))
