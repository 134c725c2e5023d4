"""Support-budget spending in the user's scope, totalled by category, local authority,
advocate or month (`g` changes which), and exported whole to CSV (`e`).

The export holds every month x area x advocate x category row, in pounds, so a
spreadsheet can total it any way; it is written to the exports folder in the user's
data folder, and recorded in the audit trail.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from hiw_tui.db.ledger_models import SpendRow
from hiw_tui.db.ledger_report import spend_csv_rows, spend_report
from hiw_tui.domain.codes import BudgetCategory, LocalAuthority
from hiw_tui.domain.money import pounds
from hiw_tui.screens.base import DatabaseWork
from hiw_tui.settings import data_dir
from hiw_tui.widgets.tables import move_cursor_by
from hiw_tui.widgets.text import user_text

GROUPS = ("category", "local_authority", "advocate", "month")
HEADINGS = {
    "category": "Category",
    "local_authority": "Local authority",
    "advocate": "Advocate",
    "month": "Month",
}


def _label(group: str, value: str) -> str:
    if group == "category":
        return BudgetCategory(value).label
    if group == "local_authority":
        return LocalAuthority(value).label
    return value


def totals(rows: list[SpendRow], group: str) -> list[tuple[str, int, int, int]]:
    """(group value, spends, spent, waiting) per value of `group`, in order."""
    summed: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for row in rows:
        total = summed[getattr(row, group)]
        total[0] += row.entries
        total[1] += row.spent
        total[2] += row.waiting
    return [(key, *summed[key]) for key in sorted(summed)]  # type: ignore[misc]


class SpendReportScreen(DatabaseWork, Screen[None]):  # type: ignore[misc]  # app narrowed to HiwApp
    TITLE = "Spend report"
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("g", "group", "Group by"),
        Binding("e", "export", "Export CSV"),
        Binding("j", "cursor(1)", "Down", show=False),
        Binding("k", "cursor(-1)", "Up", show=False),
    ]

    @dataclass
    class Loaded(Message):
        rows: list[SpendRow]

    @dataclass
    class Exported(Message):
        rows: list[SpendRow]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[SpendRow] = []
        self.group = GROUPS[0]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="case-title")
        yield DataTable(id="items", cursor_type="row")
        yield Static("", id="item-detail")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#items", DataTable).focus()
        self.run_db(spend_report, done=self.Loaded)

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self.rows = message.rows
        self._show()

    def _show(self) -> None:
        table = self.query_one("#items", DataTable)
        table.clear(columns=True)
        table.add_columns(HEADINGS[self.group], "Spends", "Spent", "Waiting")
        lines = totals(self.rows, self.group)
        for value, entries, spent, waiting in lines:
            table.add_row(
                user_text(_label(self.group, value)),
                Text(str(entries), justify="right"),
                Text(pounds(spent), justify="right"),
                Text(pounds(waiting), justify="right"),
            )
        spent = sum(line[2] for line in lines)
        waiting = sum(line[3] for line in lines)
        self.query_one("#case-title", Static).update(
            Text.assemble(
                (f"Spending by {HEADINGS[self.group].lower()}", "bold"),
                "  (g: category, area, advocate, month)",
            )
        )
        self.query_one("#item-detail", Static).update(
            "No spending recorded yet."
            if not lines
            else f"Total {pounds(spent)} spent, {pounds(waiting)} waiting for approval."
        )

    def action_group(self) -> None:
        self.group = GROUPS[(GROUPS.index(self.group) + 1) % len(GROUPS)]
        self._show()

    def action_cursor(self, step: int) -> None:
        move_cursor_by(self.query_one("#items", DataTable), step)

    def action_export(self) -> None:
        self.run_db(spend_report, write=True, audited=True, done=self.Exported)

    @on(Exported)
    def _exported(self, message: Exported) -> None:
        folder = data_dir() / "exports"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"spend-{datetime.now():%Y%m%d-%H%M%S}.csv"
        with path.open("w", newline="", encoding="utf-8") as file:
            csv.writer(file).writerows(spend_csv_rows(message.rows))
        self.notify(f"Exported {len(message.rows)} rows to {path}", markup=False, timeout=10)

    def action_back(self) -> None:
        self.app.pop_screen()
