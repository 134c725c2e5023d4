"""`hiw-tui db upgrade`, `db status` and `db move`: the database schema, and moving an
office to another database."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from hiw_tui.cli.shared import Commands, database_url, fail, open_database, progress_bar

if TYPE_CHECKING:
    from hiw_tui.settings import Settings
    from hiw_tui.transfer.move import Moved


def register(commands: Commands, common: argparse.ArgumentParser) -> None:
    db = commands.add_parser("db", help="database schema, and moving to another database")
    db.set_defaults(handler=db_command)
    schema = db.add_subparsers(dest="db_command")
    schema.required = True
    schema.add_parser("upgrade", parents=[common], help="bring the schema up to date")
    schema.add_parser("status", parents=[common], help="show the schema version")
    move = schema.add_parser(
        "move",
        parents=[common],
        help="move everything into another, empty database (SQLite to PostgreSQL, or back)",
    )
    move.add_argument("--to", required=True, metavar="URL", help="the empty database to move to")
    move.add_argument(
        "--keep",
        type=Path,
        metavar="DIR",
        help="write the table files into DIR (new or empty) and keep them "
        "(default: a private temporary folder, removed afterwards)",
    )


def db_command(args: argparse.Namespace, settings: Settings) -> int:
    from hiw_tui.db.core.schema import current_revision, head_revision, upgrade

    if args.db_command == "move":
        return _move(args, settings)
    database = open_database(database_url(args, settings), settings)
    if args.db_command == "upgrade":
        before = current_revision(database.engine)
        upgrade(database.engine)
        print(f"Schema {before or 'empty'} -> {head_revision(database.engine)}")
        return 0
    current, head = current_revision(database.engine), head_revision(database.engine)
    print(f"Schema {current or 'empty'}; this hiw-tui needs {head}.")
    return 0 if current == head else 1


def _move(args: argparse.Namespace, settings: Settings) -> int:
    """Move the office, through files in a temporary private folder (or `--keep DIR`)."""
    import shutil
    import tempfile

    from sqlalchemy.exc import DBAPIError

    from hiw_tui.transfer.move import move_office, reason, shown_url

    source_url = database_url(args, settings)
    if args.to == source_url:
        return fail("--to names the database moved from; name another, empty one")
    source = open_database(source_url, settings)
    target = open_database(args.to, settings)
    folder = args.keep or Path(tempfile.mkdtemp(prefix="hiw-move-"))
    try:
        with progress_bar() as progress:
            moved = move_office(source, target, folder, progress, keep=args.keep is not None)
    except OSError as error:
        return fail(f"{error.filename or folder}: {error.strerror}")
    except DBAPIError as error:
        return fail(f"the move stopped: {reason(error)}")
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)
        source.dispose()
        target.dispose()
    print(f"Moved {shown_url(source_url)} to {shown_url(args.to)}.")
    _summary(moved, settings)
    if args.keep is not None:
        print(
            f"The table files are kept in {args.keep}: they hold everyone's data, not "
            "encrypted. Delete them once they are no longer needed."
        )
    return 0


def _summary(moved: Moved, settings: Settings) -> None:
    for name, rows in moved.tables:
        print(f"{name:16} {rows:>11,} rows")
    if moved.chain is not None:
        print(
            f"The audit trail verifies in the new database: {moved.chain.rows:,} rows "
            f"copied, the newest {moved.chain.head_seq} with hash {moved.chain.head_hash}."
        )
    print(f"The move is recorded there as audit row {moved.recorded}.")
    key = (
        "HIW_AUDIT_KEY" if settings.audit_key else f"HIW_AUDIT_KEY_FILE ({settings.audit_key_file})"
    )
    print(
        f"The audit key was not copied: wherever hiw-tui opens the new database, set {key} "
        "to the same key as here. Then point everyone at the new database; the old one "
        "is left as it was."
    )
