"""`hiw-tui import DIR` and `hiw-tui export DIR`: a CRM's CSV files in, the database out."""

from __future__ import annotations

import argparse
import sys
from datetime import date

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from hiw_tui.db.access.users import get_user
from hiw_tui.db.core.engine import Database
from hiw_tui.db.core.errors import DataError, NotFound
from hiw_tui.domain.budget import BudgetPolicy
from hiw_tui.domain.framework import load_framework
from hiw_tui.settings import Settings
from hiw_tui.transfer.export import export_directory
from hiw_tui.transfer.load import import_directory


def transfer_command(
    args: argparse.Namespace, database: Database, username: str | None, settings: Settings
) -> int:
    if not username:
        return _fail("say who is importing or exporting: --user USERNAME (or set HIW_USER)")
    try:
        actor = database.read(get_user, username=username)
    except NotFound as error:
        return _fail(str(error))
    if args.command == "export":
        counts = database.write(export_directory, actor=actor, folder=args.folder)
        for name, rows in counts.items():
            print(f"{name:16} {rows:>9,} rows")
        return 0
    if not args.folder.is_dir():
        return _fail(f"{args.folder} is not a folder")
    console = Console(stderr=True)
    with Progress(
        TextColumn("{task.description:22}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    ) as bar:
        tasks: dict[str, TaskID] = {}

        def progress(what: str, done: int, total: int) -> None:
            if what not in tasks:
                tasks[what] = bar.add_task(what, total=total)
            bar.update(tasks[what], completed=done, total=total)

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
            )
        except DataError as error:
            return _fail(str(error))
    for problem in result.problems:
        print(problem, file=sys.stderr)
    if not result.written:
        print(
            f"Nothing imported: {len(result.problems)} problem(s). Mend them and import again "
            "(or --partial to import the good rows).",
            file=sys.stderr,
        )
        return 1
    for name, (created, updated, same) in result.counts.items():
        print(f"{name:16} {created:>9,} new {updated:>9,} updated {same:>9,} unchanged")
    if result.new_advocates:
        print("New advocates: " + ", ".join(result.new_advocates))
    if result.problems:
        print(f"{len(result.problems)} problem row(s) left out.", file=sys.stderr)
        return 1
    return 0


def _fail(message: str) -> int:
    print(f"hiw-tui: {message}", file=sys.stderr)
    return 2
