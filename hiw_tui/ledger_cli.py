"""`hiw-tui ledger check` and `hiw-tui ledger report`: the ledger from the command line."""

from __future__ import annotations

import argparse
import csv
import sys
from typing import TextIO

from hiw_tui.db.engine import Database
from hiw_tui.db.errors import NotFound
from hiw_tui.db.ledger_report import check_ledger, spend_csv_rows, spend_report
from hiw_tui.db.users import get_user
from hiw_tui.domain.codes import BudgetCategory, LocalAuthority
from hiw_tui.domain.money import pounds


def ledger_command(args: argparse.Namespace, database: Database, username: str | None) -> int:
    if args.ledger_command == "check":
        problems = database.read(check_ledger)
        for problem in problems:
            print(problem)
        print(f"{len(problems)} difference(s) found." if problems else "Every budget adds up.")
        return 1 if problems else 0
    if not username:
        print("hiw-tui: say whose report it is: --user USERNAME", file=sys.stderr)
        return 2
    try:
        actor = database.read(get_user, username=username)
    except NotFound as error:
        print(f"hiw-tui: {error}", file=sys.stderr)
        return 2
    rows = database.write(
        spend_report,
        actor=actor,
        date_from=args.date_from,
        date_to=args.date_to,
        local_authority=args.local_authority,
        advocate=args.advocate,
        audited=True,
    )
    out: TextIO = args.out.open("w", newline="", encoding="utf-8") if args.out else sys.stdout
    try:
        if args.format == "csv":
            csv.writer(out).writerows(spend_csv_rows(rows))
            return 0
        print(_table_line("Month", "Area", "Advocate", "Category", "Spent", "Waiting"), file=out)
        for row in rows:
            cells = (
                row.month,
                LocalAuthority(row.local_authority).label,
                row.advocate,
                BudgetCategory(row.category).label,
                pounds(row.spent),
                pounds(row.waiting),
            )
            print(_table_line(*cells), file=out)
        print(f"Total spent {pounds(sum(row.spent for row in rows))}", file=out)
        return 0
    finally:
        if args.out:
            out.close()


_WIDTHS = (8, 10, 20, 26, -12, -10)
"""Column widths; a negative width right-aligns (amounts)."""


def _table_line(*cells: str) -> str:
    return " ".join(
        cell[:width].ljust(width) if width > 0 else cell.rjust(-width)
        for cell, width in zip(cells, _WIDTHS, strict=True)
    ).rstrip()
