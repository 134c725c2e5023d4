"""`hiw-tui import DIR` and `hiw-tui export DIR`: a CRM's CSV files in, the database out."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from hiw_tui.cli.shared import (
    Commands,
    acting_user,
    database_url,
    fail,
    progress_bar,
    ready,
)
from hiw_tui.transfer.reader import DEFAULT_ENCODING, ENCODINGS

if TYPE_CHECKING:
    from hiw_tui.settings import Settings


def register(commands: Commands, common: argparse.ArgumentParser) -> None:
    load = commands.add_parser(
        "import",
        parents=[common],
        help="import a CRM's CSV files (households.csv, people.csv, ...)",
    )
    load.add_argument("folder", type=Path, metavar="DIR")
    load.add_argument(
        "--user", default=argparse.SUPPRESS, help="the supervisor or programme manager importing"
    )
    load.add_argument(
        "--partial",
        action="store_true",
        help="import the good rows even when others have problems (default: all or nothing)",
    )
    load.add_argument(
        "--encoding",
        choices=ENCODINGS,
        default=DEFAULT_ENCODING,
        help="the text encoding of files without a byte-order mark: utf-8 (default), or "
        'cp1252 (Windows-1252, what Excel saves as "CSV")',
    )
    dump = commands.add_parser(
        "export", parents=[common], help="export everything in your scope as the import's CSV files"
    )
    dump.add_argument("folder", type=Path, metavar="DIR")
    dump.add_argument("--user", default=argparse.SUPPRESS, help="the user whose scope is exported")
    for parser in (load, dump):
        parser.set_defaults(handler=transfer_command)


def transfer_command(args: argparse.Namespace, settings: Settings) -> int:
    from hiw_tui.db.access.users import get_user
    from hiw_tui.db.core.errors import DataError, NotFound
    from hiw_tui.domain.budget import BudgetPolicy
    from hiw_tui.domain.framework import load_framework
    from hiw_tui.transfer.export import export_directory
    from hiw_tui.transfer.load import import_directory

    database = ready(database_url(args, settings), settings)
    username = acting_user(args, settings)
    if not username:
        return fail("say who is importing or exporting: --user USERNAME (or set HIW_USER)")
    try:
        actor = database.read(get_user, username=username)
    except NotFound as error:
        return fail(str(error))
    if args.command == "export":
        if args.folder.exists() and not args.folder.is_dir():
            return fail(f"{args.folder} is a file: export writes its files into a folder")
        counts = database.write(export_directory, actor=actor, folder=args.folder)
        for name, rows in counts.items():
            print(f"{name:16} {rows:>9,} rows")
        return 0
    if not args.folder.is_dir():
        return fail(f"{args.folder} is not a folder")
    with progress_bar() as progress:
        try:
            result = import_directory(
                database,
                actor=actor,
                folder=args.folder,
                today=date.today(),
                framework=load_framework(settings.star_framework),
                policy=BudgetPolicy(settings.budget_cap_pence, settings.approval_threshold_pence),
                partial=args.partial,
                progress=progress,
                encoding=args.encoding,
            )
        except DataError as error:
            return fail(str(error))
    for problem in result.problems:
        print(problem, file=sys.stderr)
    for warning in result.warnings:
        print(f"warning: {warning}")
    if not result.written:
        hint = "" if args.partial else " (or --partial to import the good rows)"
        print(
            f"Nothing imported: {len(result.problems)} problem(s). Mend them and import "
            f"again{hint}.",
            file=sys.stderr,
        )
        return 1
    for name, (created, updated, same) in result.counts.items():
        print(f"{name:16} {created:>9,} new {updated:>9,} updated {same:>9,} unchanged")
    if result.new_advocates:
        print("New advocates: " + ", ".join(result.new_advocates))
    if result.withheld:
        print(
            f"{result.withheld:,} people's contact details were withheld from whoever "
            "exported these files (safe contact): none were imported for them."
        )
    if result.warnings:
        rows = len({warning.row for warning in result.warnings})
        print(f"{rows:,} new people may be held already (warnings above): imported all the same.")
    if result.problems:
        print(f"{len(result.problems)} problem row(s) left out.", file=sys.stderr)
        return 1
    return 0
