"""My week: what falls due across the caseload, overdue first, by date.

Enter opens the household's record at the right place: a step in its plan, a contact
in its log, or the record itself for a reading due or the end of support.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from hiw_tui.db.casework.week import PER_KIND, WeekItem, my_week
from hiw_tui.screens.base.work import DatabaseWork
from hiw_tui.widgets.tables import LeanTable, move_cursor_by
from hiw_tui.widgets.text import user_text

KIND_LABEL = {
    "step": "Step",
    "reading": "Reading",
    "contact": "Contact",
    "checkin": "Check-in",
    "support_end": "Ends",
    "short_term": "12 weeks",
}


class MyWeekScreen(DatabaseWork, Screen[None]):  # type: ignore[misc]  # app narrowed to HiwApp
    TITLE = "My week"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("enter", "open", "Open"),
        Binding("ctrl+r", "reload", "Reload"),
        Binding("j", "cursor(1)", "Down", show=False),
        Binding("k", "cursor(-1)", "Up", show=False),
    ]

    @dataclass
    class Loaded(Message):
        items: list[WeekItem]

    def __init__(self) -> None:
        super().__init__()
        self.items: list[WeekItem] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Reading the caseload…", id="week-title", markup=False)
        yield LeanTable(id="week", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#week", DataTable)
        for key, heading in (
            ("due", "Due"),
            ("kind", "Kind"),
            ("ref", "Household"),
            ("name", "Name"),
            ("what", "What"),
        ):
            table.add_column(heading, key=key)
        table.focus()
        self.action_reload()

    def on_screen_resume(self) -> None:
        if self.items or self.query_one("#week", DataTable).row_count:
            self.action_reload()  # back from a record: what was done drops off

    def action_reload(self) -> None:
        self.run_db(
            my_week,
            done=self.Loaded,
            today=self.app.today(),
            reading_due_weeks=self.app.settings.reading_due_weeks,
        )

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self.items = message.items
        today = self.app.today()
        overdue = sum(item.due_on < today for item in self.items)
        title = (
            f"Due by {today.isoformat()} + 7 days: {len(self.items)}, of which {overdue} overdue"
        )
        if any(sum(i.kind == k for i in self.items) >= PER_KIND for k in KIND_LABEL):
            title += f" (the first {PER_KIND} of each kind)"
        self.query_one("#week-title", Static).update(title)
        table = self.query_one("#week", DataTable)
        chosen = table.cursor_row
        table.clear()
        for item in self.items:
            mark = "! " if item.due_on < today else "  "
            table.add_row(
                Text(mark + item.due_on.isoformat()),
                Text(KIND_LABEL[item.kind]),
                Text(item.reference),
                user_text(item.primary_name[:18]),
                user_text(item.what[:34]),
            )
        if self.items:
            table.move_cursor(row=min(chosen, len(self.items) - 1), animate=False)
        else:
            table.add_row(Text(""), Text(""), Text(""), Text(""), Text("Nothing due this week."))

    def action_cursor(self, step: int) -> None:
        move_cursor_by(self.query_one("#week", DataTable), step)

    @on(DataTable.RowSelected, "#week")
    def action_open(self) -> None:
        if not self.items:
            return
        item = self.items[min(self.query_one("#week", DataTable).cursor_row, len(self.items) - 1)]
        self.app.open_household(item.household_id, goto=item)
