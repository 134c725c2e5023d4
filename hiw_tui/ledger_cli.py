"""`hiw-tui ledger check`: every budget recomputed from its append-only rows.

The spend report is one of the programme reports: `hiw-tui report spend`."""

from __future__ import annotations

from hiw_tui.db.core.engine import Database
from hiw_tui.db.ledger.check import check_ledger


def ledger_command(database: Database) -> int:
    problems = database.read(check_ledger)
    for problem in problems:
        print(problem)
    print(f"{len(problems)} difference(s) found." if problems else "Every budget adds up.")
    return 1 if problems else 0
