"""`hiw-tui ledger check`: every budget recomputed from its append-only rows.

The spend report is one of the programme reports: `hiw-tui report spend`."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from hiw_tui.cli.shared import Commands, database_url, ready

if TYPE_CHECKING:
    from hiw_tui.settings import Settings


def register(commands: Commands, common: argparse.ArgumentParser) -> None:
    ledger = commands.add_parser("ledger", help="support budgets")
    ledger.set_defaults(handler=ledger_command)
    budgets = ledger.add_subparsers(dest="ledger_command")
    budgets.required = True
    budgets.add_parser(
        "check",
        parents=[common],
        help="recompute every budget from its entries (exit 1 on a difference)",
    )


def ledger_command(args: argparse.Namespace, settings: Settings) -> int:
    from hiw_tui.db.ledger.check import check_ledger

    database = ready(database_url(args, settings), settings)
    problems = database.read(check_ledger)
    for problem in problems:
        print(problem)
    print(f"{len(problems)} difference(s) found." if problems else "Every budget adds up.")
    return 1 if problems else 0
