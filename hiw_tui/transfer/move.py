"""Moving an office from one database to another: SQLite to PostgreSQL, and back.

One office runs on an SQLite file; an office that grows moves to PostgreSQL (and one
that shrinks may move back). `move_office` copies every table of the schema, every row
**with its ids**: the audit chain's hash covers each row's actor_id, entity_id and
household_id, so an id that changed would break the chain. The tables are those of
`SQLModel.metadata` in `sorted_tables`' order (a table before the tables that point at
it), so a table added later moves too; a source holding a table this hiw-tui does not
know is refused. Users with their password hashes and SSH keys, the database's token,
the audit trail, the erasure log and which audit rows it emptied all move; the schema's
version (`alembic_version`) does not: the target is made at the same schema.

1. `dump_tables` reads the source in one snapshot (on PostgreSQL a repeatable-read
   transaction), streamed, and writes each table as `<table>.csv` (a header naming the
   columns, then its rows in primary-key order) into a private folder (mode 700, files
   600), with `manifest.json`: the format version, the schema revision, and each
   file's columns and row count.
2. `load_tables` loads them into an empty target in one transaction, in batches (by
   COPY on PostgreSQL, an INSERT run for each row of a batch on SQLite, foreign keys
   on): first the token its new schema was made with is replaced by the source's, then
   the tables in order. PostgreSQL's id sequences are set to each table's largest id.
   Each table's row count is checked against the manifest and the audit chain is
   verified with the target's audit key; a difference, a row the target refuses, or a
   chain that does not verify rolls it all back, leaving the target empty.
3. `move_office` checks first that the source's audit trail was written with the
   audit key set here (its newest row's hash), and that the target holds no row (a
   table named), and then records the move on the target as the first audit row after
   the copied chain (action "move": the source's URL without its password and each
   table's row count), so the chain goes on; files kept afterwards are recorded there
   too, as an export that holds everyone. The source is left as it was: recording the
   move there would make its counts differ from the copy's.

The files and their cells are `hiw_tui.transfer.table_files`'s.

The audit key is not copied (it is kept outside the database): wherever hiw-tui opens
the target, the same key must be set.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import sqlalchemy as sa
from psycopg import sql as psql
from psycopg.types.json import Json
from sqlalchemy import Connection, Engine, Table, delete, func, insert, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, col, select

from hiw_tui.db.audit import trail
from hiw_tui.db.audit.chain import ChainReport, row_hash, verify_chain
from hiw_tui.db.audit.key import audit_key
from hiw_tui.db.core.engine import Database, write_session
from hiw_tui.db.core.models import AuditEvent, DatabaseInfo
from hiw_tui.db.core.private import private_folder
from hiw_tui.db.core.schema import HEAD, current_revision, ensure_current
from hiw_tui.transfer.load import Progress
from hiw_tui.transfer.table_files import (
    BATCH,
    MoveError,
    TableFile,
    moved_tables,
    read_manifest,
    read_rows,
    wide_cells,
    write_manifest,
    write_table,
)

WRITING, LOADING = "Writing the files", "Loading the target"
"""The two stages `progress` is told of."""
_TOKEN = DatabaseInfo.__tablename__
_NOT_MOVED = ("alembic_version",)


def _count(table: Table) -> sa.Select[int]:
    return sa.select(func.count()).select_from(table)


# ---- the source ----


def _check_source(engine: Engine) -> None:
    revision = current_revision(engine)
    if revision is None:
        raise MoveError("the source is not an hiw-tui database")
    if revision != HEAD:
        raise MoveError(
            f"the source's schema is {revision}; this hiw-tui moves schema {HEAD}: upgrade "
            "it first (hiw-tui db upgrade), or move it with the hiw-tui that matches it"
        )


@contextmanager
def _snapshot(engine: Engine) -> Iterator[Connection]:
    """One read transaction, so that every table is read as of the same moment."""
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            connection.execution_options(isolation_level="REPEATABLE READ")
        yield connection  # closed, so rolled back: nothing is written


def _check_known(connection: Connection) -> None:
    known = {table.name for table in moved_tables()} | set(_NOT_MOVED)
    unknown = sorted(set(inspect(connection).get_table_names()) - known)
    if unknown:
        raise MoveError(
            f"the source holds a table this hiw-tui does not know ({unknown[0]}): move it "
            "with the hiw-tui that made it"
        )


def _check_folder(folder: Path) -> None:
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise MoveError(f"{folder} is not an empty folder")


def dump_tables(
    source: Database, folder: Path, progress: Progress | None = None
) -> list[TableFile]:
    """Write every table of `source` into `folder` (new, or empty) with the manifest."""
    _check_source(source.engine)
    _check_folder(folder)
    private_folder(folder)
    with _snapshot(source.engine) as connection:
        _check_known(connection)
        tables = moved_tables()
        total, done = sum(connection.scalar(_count(table)) or 0 for table in tables), 0

        def written(rows: int) -> None:
            nonlocal done
            done += rows
            if progress:
                progress(WRITING, done, total)

        files = []
        for table in tables:
            statement = sa.select(table).order_by(*table.primary_key.columns)
            rows = connection.execute(statement.execution_options(yield_per=BATCH))
            files.append(write_table(folder, table, rows, written))
    write_manifest(folder, files)
    return files


def _chain_head(session: Session) -> AuditEvent | None:
    return session.exec(
        select(AuditEvent)
        .where(col(AuditEvent.seq).is_not(None))
        .order_by(col(AuditEvent.seq).desc())
        .limit(1)
    ).first()


def _key_fits(session: Session) -> bool:
    """The audit key set here is the one the newest audit row was chained with (or there
    is no audit row yet)."""
    head = _chain_head(session)
    if head is None:
        return True
    key = audit_key(session.connection().get_execution_options()).get(create=False)
    return row_hash(head.prev_hash or "", head.model_dump(), key) == head.hash


# ---- the target ----


def refuse_rows(engine: Engine) -> None:
    """MoveError, naming a table, when the database holds any row (but the token a new
    schema is made with, which the move replaces)."""
    with engine.connect() as connection:
        for name in sorted(inspect(connection).get_table_names()):
            if name in (*_NOT_MOVED, _TOKEN):
                continue
            present = sa.select(sa.literal(1)).select_from(sa.table(name)).limit(1)
            if connection.execute(present).first():
                raise MoveError(
                    f"the target holds rows (in the table {name}): an office moves only into "
                    "an empty database; nothing was written"
                )


def _insert(session: Session, table: Table, batch: list[dict[str, Any]]) -> None:
    """Insert `batch` into `table`: on PostgreSQL by COPY (several times faster than
    inserting row by row), on SQLite by one prepared INSERT run for every row."""
    if session.get_bind().dialect.name != "postgresql":
        session.execute(insert(table), batch)
        return
    names = list(batch[0])
    structured = {column.name for column in table.columns if isinstance(column.type, sa.JSON)}
    statement = psql.SQL("COPY {} ({}) FROM STDIN").format(
        psql.Identifier(table.name), psql.SQL(", ").join(map(psql.Identifier, names))
    )
    driver = session.connection().connection.driver_connection
    assert driver is not None, "an open connection"
    with driver.cursor() as cursor, cursor.copy(statement) as copy:
        for row in batch:
            # None in a JSON column is JSON's null, as SQLAlchemy writes it.
            copy.write_row([Json(row[name]) if name in structured else row[name] for name in names])


def _ready_target(engine: Engine) -> None:
    refuse_rows(engine)
    ensure_current(engine)


def _reset_sequences(session: Session, tables: list[Table]) -> None:
    """PostgreSQL's id sequences set to each table's largest id, so a new row gets the next."""
    if session.get_bind().dialect.name != "postgresql":
        return  # SQLite gives a new row the largest id plus one
    for table in tables:
        keys = list(table.primary_key.columns)
        if len(keys) != 1 or not isinstance(keys[0].type, sa.Integer):
            continue
        key = keys[0]
        sequence = func.pg_get_serial_sequence(table.name, key.name)  # NULL without one
        last = func.max(key)
        session.execute(sa.select(func.setval(sequence, func.coalesce(last, 1), last.is_not(None))))


@dataclass(frozen=True)
class Loaded:
    rows: dict[str, int]
    """Each table's rows in the target, as the manifest says."""
    chain: ChainReport | None
    """The audit chain as verified in the target; None with no audit row."""


def _check_chain(session: Session) -> ChainReport | None:
    if _chain_head(session) is None:
        return None
    report = verify_chain(session)
    if report.problems:
        shown = "; ".join(report.problems[:3])
        raise MoveError(
            f"the audit trail does not verify in the target ({len(report.problems)} "
            f"problem(s): {shown}). Is the audit key set for the target the one the source "
            "was written with? Nothing was written"
        )
    return report


def reason(error: Exception) -> str:
    """A database's own reason for an error (the first line of it: the lines after may
    quote values)."""
    refusal = getattr(error, "orig", None) or error
    primary = getattr(getattr(refusal, "diag", None), "message_primary", None)
    return str(primary or refusal).split("\n", 1)[0]


def _load_table(
    session: Session, folder: Path, table: Table, entry: TableFile, loaded: Callable[[int], None]
) -> None:
    if table.name == _TOKEN:
        session.execute(delete(table))
    try:
        for batch in read_rows(folder, table, entry):
            _insert(session, table, batch)
            loaded(len(batch))
    except (DBAPIError, psycopg.Error) as error:
        raise MoveError(
            f"the table {table.name} could not be loaded ({reason(error)}); nothing was written"
        ) from None
    counted = session.scalar(_count(table))
    if counted != entry.rows:
        raise MoveError(
            f"the table {table.name} has {counted} rows in the target where {entry.file} "
            f"says {entry.rows}; nothing was written"
        )


def load_tables(target: Database, folder: Path, progress: Progress | None = None) -> Loaded:
    """Load the files in `folder` into `target`, which must hold no row (its schema is
    made if it has none), in one transaction: all, checked, or nothing."""
    files = read_manifest(folder)
    _ready_target(target.engine)
    tables = moved_tables()
    total, done = sum(entry.rows for entry in files.values()), 0

    def loaded(rows: int) -> None:
        nonlocal done
        done += rows
        if progress:
            progress(LOADING, done, total)

    with wide_cells(), write_session(target.engine) as session:
        for table in tables:
            _load_table(session, folder, table, files[table.name], loaded)
        loaded(0)
        _reset_sequences(session, tables)
        chain = _check_chain(session)
    return Loaded({name: entry.rows for name, entry in files.items()}, chain)


# ---- the move ----


@dataclass(frozen=True)
class Moved:
    tables: list[tuple[str, int]]
    """Each table and its rows, in the source's files and in the target alike."""
    chain: ChainReport | None
    """The copied audit chain as verified in the target (None with no audit row)."""
    recorded: int
    """The target's audit row recording the move, after the copied chain."""


def shown_url(url: str) -> str:
    """`url` with its password hidden."""
    return make_url(url).render_as_string(hide_password=True)


def _record_move(session: Session, *, source: str, rows: dict[str, int], kept: Path | None) -> None:
    trail.record(
        session,
        actor=None,
        action="move",
        entity="database",
        entity_id=0,
        changes={"from": [None, source], "rows": [None, rows]},
    )
    if kept is not None:  # the files hold everyone: erasing a household lists them
        trail.record(
            session,
            actor=None,
            action="file",
            entity="export",
            entity_id=0,
            changes={"path": [None, str(kept.resolve())]},
        )


def _move_seq(session: Session) -> int:
    """The audit row of the move just made (a kept folder's row may follow it)."""
    statement = select(func.max(col(AuditEvent.seq))).where(col(AuditEvent.action) == "move")
    return int(session.exec(statement).one() or 0)


def move_office(
    source: Database,
    target: Database,
    folder: Path,
    progress: Progress | None = None,
    *,
    keep: bool = False,
) -> Moved:
    """Move everything in `source` into the empty `target` through the files in
    `folder` (a new or empty folder; `keep`: the caller keeps it, and the target's
    audit trail records it as a file that holds everyone)."""
    _check_source(source.engine)
    if not source.read(_key_fits):
        raise MoveError(
            "the audit key set here is not the one the source's audit trail was written "
            "with (or its newest row was changed; hiw-tui audit verify tells which): set "
            "HIW_AUDIT_KEY_FILE or HIW_AUDIT_KEY to its key. Nothing was written"
        )
    _check_folder(folder)
    _ready_target(target.engine)
    files = dump_tables(source, folder, progress)
    loaded = load_tables(target, folder, progress)
    rows = {entry.name: entry.rows for entry in files}
    target.write(
        _record_move, source=shown_url(source.url), rows=rows, kept=folder if keep else None
    )
    return Moved(list(rows.items()), loaded.chain, target.read(_move_seq))
