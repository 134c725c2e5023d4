"""`hiw-tui db upgrade` and `hiw-tui db status`: the database schema."""

from __future__ import annotations

import argparse

from hiw_tui.cli.shared import Commands, database_url, open_database
from hiw_tui.settings import Settings


def register(commands: Commands, common: argparse.ArgumentParser) -> None:
    db = commands.add_parser("db", help="database schema")
    db.set_defaults(handler=db_command)
    schema = db.add_subparsers(dest="db_command")
    schema.required = True
    schema.add_parser("upgrade", parents=[common], help="bring the schema up to date")
    schema.add_parser("status", parents=[common], help="show the schema version")


def db_command(args: argparse.Namespace, settings: Settings) -> int:
    from hiw_tui.db.core.schema import current_revision, head_revision, upgrade

    database = open_database(database_url(args, settings))
    if args.db_command == "upgrade":
        before = current_revision(database.engine)
        upgrade(database.engine)
        print(f"Schema {before or 'empty'} -> {head_revision(database.engine)}")
        return 0
    current, head = current_revision(database.engine), head_revision(database.engine)
    print(f"Schema {current or 'empty'}; this hiw-tui needs {head}.")
    return 0 if current == head else 1
