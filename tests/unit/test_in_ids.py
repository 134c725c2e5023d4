"""A set of ids found first (`in_ids`): asked so each database looks them up by key."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import select

from hiw_tui.db.core.models import Household, Person
from hiw_tui.db.core.prefix import in_ids
from tests.helpers.database import sqlite_copy

FOUND = select(Household.id).where(
    in_ids(Household.id, select(Person.household_id).where(Person.postcode_key >= "l4"))
)


def test_in_ids_is_an_in_on_sqlite_and_an_array_on_postgresql() -> None:
    """On SQLite it was compared with 1 (`(id IN (...)) = 1`), which no index answers:
    the search read every household."""
    on_sqlite = str(FOUND.compile(dialect=sqlite.dialect()))
    assert "household.id IN (SELECT" in on_sqlite and "= 1" not in on_sqlite
    on_postgresql = str(FOUND.compile(dialect=postgresql.dialect()))
    assert "household.id = ANY(ARRAY(SELECT" in on_postgresql


def test_sqlite_looks_the_ids_up_by_key(sqlite_template: Path, tmp_path: Path) -> None:
    """(PostgreSQL's plan depends on its statistics: the benchmark watches it.)"""
    database = sqlite_copy(sqlite_template, tmp_path)
    compiled = FOUND.compile(
        dialect=database.engine.dialect, compile_kwargs={"literal_binds": True}
    )
    with database.engine.connect() as connection:
        first = next(iter(connection.execute(text(f"EXPLAIN QUERY PLAN {compiled}"))))[3]
    database.dispose()
    assert first.startswith("SEARCH household USING INTEGER PRIMARY KEY"), first
