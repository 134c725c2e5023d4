"""Engines and transactions for SQLite and PostgreSQL.

SQLite connections run in WAL mode with `synchronous=FULL`, foreign keys on and a busy
timeout. The driver's own transaction handling is switched off so that this module
issues BEGIN itself: a write transaction begins IMMEDIATE, taking the write lock
before it reads, so two writers can never both check and then both write. Read
transactions stay deferred and never block writers.

On PostgreSQL, writes that check then write lock the rows they check
(`SELECT ... FOR UPDATE`, see the query modules).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlmodel import Session

T = TypeVar("T")
_WRITE = "hiw_write"


def make_engine(url: str, *, busy_timeout_ms: int = 10_000) -> Engine:
    """An engine for `url`, configured as described in this module's docstring."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url, busy_timeout_ms)
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        url = str(parsed.set(drivername="postgresql+psycopg"))
    return create_engine(url, pool_pre_ping=True)


def _sqlite_engine(url: str, busy_timeout_ms: int) -> Engine:
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        writing = connection.get_execution_options().get(_WRITE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")

    return engine


@contextmanager
def read_session(engine: Engine) -> Iterator[Session]:
    """A session for reading; rolled back at the end, so it can never write by accident."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
        finally:
            session.rollback()


@contextmanager
def write_session(engine: Engine) -> Iterator[Session]:
    """One write transaction: committed if the block succeeds, rolled back if it raises."""
    writer = engine.execution_options(**{_WRITE: True})
    with Session(writer, expire_on_commit=False) as session, session.begin():
        session.connection()  # BEGIN (IMMEDIATE on SQLite) now, before anything is read
        yield session


class Database:
    """The engine plus the two ways in: `read(fn, ...)` and `write(fn, ...)`.

    `fn` is a query function from this package taking the session first; the call runs
    inside one transaction, so an audit row and the change it records land together.
    """

    def __init__(self, url: str, *, busy_timeout_ms: int = 10_000) -> None:
        self.url = url
        self.engine = make_engine(url, busy_timeout_ms=busy_timeout_ms)

    def read(self, fn: Callable[..., T], /, **kwargs: Any) -> T:
        with read_session(self.engine) as session:
            return fn(session, **kwargs)

    def write(self, fn: Callable[..., T], /, **kwargs: Any) -> T:
        with write_session(self.engine) as session:
            return fn(session, **kwargs)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def optimize(self) -> None:
        """Refresh the query planner's statistics where they have drifted (SQLite; a
        PostgreSQL server's autovacuum does this itself). Run when a session ends."""
        if self.is_sqlite:
            with self.engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA optimize")

    def dispose(self) -> None:
        self.engine.dispose()
