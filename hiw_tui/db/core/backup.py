"""Backups of an SQLite database through SQLite's online backup API, and restores.

A backup is taken page by page from a consistent snapshot while the app may be writing
(never a copy of the live file, which can catch a half-written page or miss the WAL). An
encrypted database's backup is encrypted with the same key. A restore copies the backup
back the same way, upgrades its schema if it is older, then replays the erasure log of
the database it replaces, so that nobody erased since the backup comes back, and
compacts. PostgreSQL is backed up with `pg_dump` (see the README).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from hiw_tui.db.core.engine import Database
from hiw_tui.db.core.private import private_binary
from hiw_tui.db.core.schema import SchemaError, current_revision, upgrade
from hiw_tui.db.privacy.erasure import LogEntry, compact, erasure_log, replay


class BackupError(Exception):
    """The backup cannot be taken or restored (the message says why)."""


def _sqlite_only(database: Database) -> None:
    if not database.is_sqlite:
        raise BackupError(
            "backup and restore are for SQLite; use pg_dump and pg_restore for PostgreSQL"
        )


def _copy(source: Database, target: Database) -> None:
    source_raw = source.engine.raw_connection()
    target_raw = target.engine.raw_connection()
    try:
        source_sqlite, target_sqlite = source_raw.driver_connection, target_raw.driver_connection
        assert source_sqlite is not None and target_sqlite is not None, "open connections"
        source_sqlite.backup(target_sqlite)
    finally:
        target_raw.close()
        source_raw.close()


def backup(database: Database, file: Path) -> None:
    """Write a consistent copy of `database` to `file` (which must not exist yet)."""
    _sqlite_only(database)
    if file.exists():
        raise BackupError(f"{file} exists already; choose a new file name")
    with private_binary(file):  # made mode 600 first: SQLite keeps the mode it finds
        pass
    copy = Database(f"sqlite:///{file}", key=database.key)
    try:
        _copy(database, copy)
        with copy.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        copy.dispose()


@dataclass(frozen=True)
class Restored:
    revision: str
    replayed: int


def restore(database: Database, file: Path, *, today: date) -> Restored:
    """Replace `database`'s contents with the backup in `file`, then erase again
    whatever the replaced database's erasure log names."""
    _sqlite_only(database)
    if not file.is_file():
        raise BackupError(f"{file} is not a file")
    source = Database(f"sqlite:///{file}", key=database.key)
    try:
        revision = current_revision(source.engine)
        if revision is None:
            raise BackupError(f"{file} is not an hiw-tui backup")
        log: list[LogEntry] = []
        if current_revision(database.engine) is not None:
            log = database.read(erasure_log)
        _copy(source, database)
    finally:
        source.dispose()
    try:
        upgrade(database.engine)
    except Exception as error:
        raise SchemaError(f"the restored backup's schema cannot be upgraded: {error}") from error
    replayed = database.write(replay, entries=log, today=today)
    compact(database)
    return Restored(revision, replayed)
