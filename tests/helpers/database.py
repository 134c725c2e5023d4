"""Test databases: the PostgreSQL setting, a database of its own on the server, the
tables to empty, a copy of the template, and everything a database holds as text (for
the erasure tests)."""

from __future__ import annotations

import os
import secrets
import shutil
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlmodel import Session

from hiw_tui.db.core.engine import Database
from hiw_tui.domain.classification import COLUMNS

POSTGRES_ENV = "HIW_TEST_POSTGRES_URL"


def postgres_server() -> str:
    """The PostgreSQL server's URL; the test is skipped when none is set."""
    server = os.environ.get(POSTGRES_ENV)
    if not server:
        pytest.skip(f"PostgreSQL leg not run: {POSTGRES_ENV} is not set (.ci/run sets it)")
    return server


@contextmanager
def new_postgres_database(server: str) -> Iterator[str]:
    """The URL of a new, empty database beside the one `server` names, dropped after."""
    admin = create_engine(
        make_url(server).set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT"
    )
    name = f"hiw_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield (
            make_url(server)
            .set(drivername="postgresql+psycopg", database=name)
            .render_as_string(hide_password=False)
        )
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


TABLES = (
    "erasure",
    "consent",
    "audit_event",
    "spend_month",
    "ledger_decision",
    "ledger_entry",
    "budget_cap",
    "budget",
    "exit_checkin",
    "contact",
    "outcome",
    "referral",
    "plan_step",
    "plan_goal",
    "plan",
    "partner",
    "star_score",
    "star_reading",
    "person_need",
    "person",
    "household",
    "user_key",
    "app_user",
)


def sqlite_copy(template: Path, folder: Path) -> Database:
    """A copy of the migrated template database in `folder`: a database of its own, with
    its own token (see hiw_tui.transfer.identity), as a new one would have."""
    path = folder / "hiw.db"
    shutil.copyfile(template, path)
    database = Database(f"sqlite:///{path}")
    new_token(database)
    return database


def new_token(database: Database) -> None:
    with database.engine.begin() as connection:
        connection.execute(
            text("UPDATE database_info SET value = :token WHERE name = 'token'"),
            {"token": secrets.token_hex(3).upper()},
        )


def every_row(database: Database) -> str:
    """Every row of every table, as text."""

    def dump(session: Session) -> str:
        tables = {name.split(".")[0] for name in COLUMNS}
        return "\n".join(
            str(tuple(row))
            for table in sorted(tables)
            for row in session.execute(text(f'SELECT * FROM "{table}"'))
        )

    return database.read(dump)


def file_bytes(database: Database) -> bytes:
    """An SQLite database's file and WAL, as they lie on disk."""
    path = Path(database.url.removeprefix("sqlite:///"))
    return b"".join(
        Path(f"{path}{suffix}").read_bytes()
        for suffix in ("", "-wal")
        if Path(f"{path}{suffix}").exists()
    )


def row_counts(database: Database, tables: Iterable[str]) -> dict[str, int]:
    """How many rows each of `tables` holds."""
    with database.engine.connect() as connection:
        return {
            table: connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
            for table in tables
        }
