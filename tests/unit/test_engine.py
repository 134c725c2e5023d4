"""SQLite is configured for safe concurrent writing; write transactions take the lock first."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from hiw_tui.db.core.engine import Database, read_session, write_session


def test_sqlite_connections_use_wal_full_sync_foreign_keys_and_busy_timeout(
    sqlite_database: Database,
) -> None:
    with read_session(sqlite_database.engine) as session:
        pragma = lambda name: session.execute(text(f"PRAGMA {name}")).scalar()  # noqa: E731
        assert pragma("journal_mode") == "wal"
        assert pragma("synchronous") == 2  # FULL
        assert pragma("foreign_keys") == 1
        assert pragma("busy_timeout") == 10_000


def test_a_write_transaction_holds_the_write_lock_before_it_reads(
    sqlite_database: Database,
) -> None:
    """A second writer cannot even begin while the first is open, so check-then-write is safe."""
    impatient = Database(sqlite_database.url, busy_timeout_ms=50)
    started, release = threading.Event(), threading.Event()

    def first_writer() -> None:
        with write_session(sqlite_database.engine):
            started.set()
            release.wait(5)

    thread = threading.Thread(target=first_writer)
    thread.start()
    try:
        assert started.wait(5)
        with (
            pytest.raises(OperationalError, match="locked"),
            write_session(impatient.engine) as session,
        ):
            session.execute(text("SELECT 1"))
        with read_session(impatient.engine) as session:  # readers are never blocked
            assert session.execute(text("SELECT 1")).scalar() == 1
    finally:
        release.set()
        thread.join()
        impatient.dispose()


def test_a_failed_write_leaves_nothing_behind(database: Database) -> None:
    from hiw_tui.db.core.models import User

    with pytest.raises(RuntimeError), write_session(database.engine) as session:
        session.add(
            User(username="half", display_name="Half", role="advocate", local_authority="halton")
        )
        session.flush()
        raise RuntimeError("crash between two statements")
    with read_session(database.engine) as session:
        assert session.execute(text("SELECT count(*) FROM app_user")).scalar() == 0


def test_a_postgresql_url_keeps_its_password() -> None:
    """`postgresql://` is given the psycopg driver without losing the password (a URL
    printed as text hides it), and a password with escaped characters reaches the
    migrations too."""
    from hiw_tui.db.core.engine import make_engine
    from hiw_tui.db.core.schema import HEAD, head_revision

    engine = make_engine("postgresql://hiw:p%40ss%25word@db.example/hiw")
    assert (engine.url.drivername, engine.url.password) == ("postgresql+psycopg", "p@ss%word")
    assert head_revision(engine) == HEAD


@pytest.mark.postgres
def test_postgresql_plans_every_statement_with_its_values(postgres_url: str) -> None:
    """A statement run again and again is still planned with its values, so an `IN` list
    of thousands of keys is hashed, never compared key by key on every row."""
    database = Database(postgres_url)
    with database.engine.begin() as connection:
        connection.execute(text("CREATE TEMP TABLE planned (id int PRIMARY KEY)"))
        connection.execute(text("PREPARE find(int) AS SELECT id FROM planned WHERE id = $1"))
        for _ in range(8):
            connection.execute(text("EXECUTE find(5)")).all()
        plan = " ".join(row[0] for row in connection.execute(text("EXPLAIN EXECUTE find(5)")))
    database.dispose()
    assert "(id = 5)" in plan and "$1" not in plan


@pytest.mark.postgres
def test_postgresql_compiles_no_statement_to_machine_code(postgres_url: str) -> None:
    """A report's statement costs enough for the server to compile it, which takes
    longer than the statement itself runs."""
    database = Database(postgres_url)
    with database.engine.connect() as connection:
        setting = connection.scalar(text("SHOW jit"))
    database.dispose()
    assert setting == "off"
