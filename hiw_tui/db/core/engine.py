"""Engines and transactions for SQLite and PostgreSQL.

SQLite connections run in WAL mode with `synchronous=FULL`, foreign keys on and a busy
timeout. The driver's own transaction handling is switched off so that this module
issues BEGIN itself: a write transaction begins IMMEDIATE, taking the write lock
before it reads, so two writers can never both check and then both write. Read
transactions stay deferred and never block writers.

On PostgreSQL, writes that check then write lock the rows they check
(`SELECT ... FOR UPDATE`, see the query modules). Every statement is planned with its
values (`plan_cache_mode = force_custom_plan`): the driver prepares a statement run
five times, and the server may then reuse one plan made without the values. For the
`IN` lists of thousands of keys that imports and reports send, such a plan compares
each row with every key in turn where a plan with the values hashes them: 30 s
instead of 0.1 s for 5,000 keys over 750,000 rows on a sequential scan. Planning
each statement costs well under a millisecond. Nor is any statement compiled to machine
code (`jit = off`): the reports' statements over the whole programme cost enough for
the server to compile them, which took 0.4 s of the cohort report's 1.2 s at 100,000
households and made the board pack 3.4 s instead of 2.1 s; none runs long enough to
win that back.

With a key (`Settings.encryption_key`: a setting, an environment variable or a key
file, never the command line) an SQLite database is opened through SQLCipher and every
page of the file, its WAL and its backups is encrypted. `secure_delete` is on, so a
deleted or overwritten value is zeroed rather than left in a free page.

Every engine carries the audit chain's key source (`hiw_tui.db.audit.key.AuditKey`) as an
execution option; without one given, the key the settings name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, Protocol, TypeVar

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlmodel import Session

from hiw_tui.db.audit.key import OPTION, AuditKey
from hiw_tui.db.core.models import UserPublic
from hiw_tui.db.core.private import touch_private
from hiw_tui.db.core.schema import SchemaError

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)
P = ParamSpec("P")
WRITE_OPTION = "hiw_write"
"""The execution option of a writer's engine: on SQLite, its transactions BEGIN IMMEDIATE."""


class DatabaseKeyError(SchemaError):
    """The SQLite file cannot be read with the key given (or without one)."""


def make_engine(
    url: str,
    *,
    busy_timeout_ms: int = 10_000,
    key: str | None = None,
    audit_key: AuditKey | None = None,
) -> Engine:
    """An engine for `url`, configured as described in this module's docstring."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = _sqlite_engine(url, busy_timeout_ms, key)
    else:
        if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
            url = parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
        engine = create_engine(url, pool_pre_ping=True, hide_parameters=True)
        event.listen(engine, "connect", _plan_with_values)
    engine.update_execution_options(**{OPTION: audit_key or AuditKey.from_settings()})
    return engine


def _plan_with_values(dbapi_connection: Any, _record: Any) -> None:
    with dbapi_connection.cursor() as cursor:
        cursor.execute("SET plan_cache_mode = force_custom_plan")
        cursor.execute("SET jit = off")
    dbapi_connection.commit()


def _sqlite_engine(url: str, busy_timeout_ms: int, key: str | None) -> Engine:
    database = make_url(url).database
    if database and database != ":memory:":
        # Its WAL and shared-memory files take the database file's mode.
        touch_private(Path(database).expanduser())
    options: dict[str, Any] = {}
    if key is not None:
        import sqlcipher3

        options["module"] = sqlcipher3.dbapi2
    engine = create_engine(
        url, connect_args={"check_same_thread": False}, hide_parameters=True, **options
    )

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        if key is not None:
            quoted = key.replace("'", "''")
            cursor.execute(f"PRAGMA key = '{quoted}'")
        try:
            cursor.execute("SELECT count(*) FROM sqlite_master")
        except Exception as error:  # the driver's DatabaseError: not a database to us
            raise DatabaseKeyError(
                f"{database} cannot be read: "
                + (
                    "the database key is wrong, or the file is not encrypted."
                    if key is not None
                    else "it is encrypted (set HIW_DATABASE_KEY or HIW_DATABASE_KEY_FILE) "
                    "or it is not a database."
                )
            ) from error
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cursor.execute("PRAGMA secure_delete = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        writing = connection.get_execution_options().get(WRITE_OPTION, False)
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
    writer = engine.execution_options(**{WRITE_OPTION: True})
    with Session(writer, expire_on_commit=False) as session, session.begin():
        session.connection()  # BEGIN (IMMEDIATE on SQLite) now, before anything is read
        yield session


class Query(Protocol[T_co]):
    """A query function bound to every argument but the session and the acting user,
    such as `partial(household_page, where=..., limit=...)`; mypy checks the bound ones."""

    def __call__(self, session: Session, /, *, actor: UserPublic) -> T_co: ...


class Database:
    """The engine plus the two ways in: `read(fn, ...)` and `write(fn, ...)`.

    `fn` is a query function from this package taking the session first; the call runs
    inside one transaction, so an audit row and the change it records land together.
    """

    def __init__(
        self,
        url: str,
        *,
        busy_timeout_ms: int = 10_000,
        key: str | None = None,
        audit_key: AuditKey | None = None,
    ) -> None:
        self.url = url
        self.key = key
        self.audit_key = audit_key or AuditKey.from_settings()
        self.engine = make_engine(
            url, busy_timeout_ms=busy_timeout_ms, key=key, audit_key=self.audit_key
        )

    def read(
        self, fn: Callable[Concatenate[Session, P], T], /, *args: P.args, **kwargs: P.kwargs
    ) -> T:
        with read_session(self.engine) as session:
            return fn(session, *args, **kwargs)

    def write(
        self, fn: Callable[Concatenate[Session, P], T], /, *args: P.args, **kwargs: P.kwargs
    ) -> T:
        with write_session(self.engine) as session:
            return fn(session, *args, **kwargs)

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
