"""The household list: one page of rows from the database, asking for more at its edges."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey

from hiw_tui.db.core.models import HouseholdRow
from hiw_tui.domain.budget import Balance
from hiw_tui.domain.dates import months_on_programme
from hiw_tui.domain.money import pounds
from hiw_tui.domain.star import household_due
from hiw_tui.widgets.tables import LeanTable
from hiw_tui.widgets.text import user_text

#: (sort key, heading, width); the advocate, Star due and budget columns sort by nothing.
COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("reference", "Ref", 9),
    ("name", "Primary householder", 20),
    ("members", "Mem", 3),
    ("needs", "Needs", 5),
    ("start", "Months", 6),
    ("due", "Star due", 12),
    ("status", "Status", 10),
    ("spent", "Spent", 10),
    ("waiting", "Waiting", 9),
    ("left", "Left", 10),
    ("area", "Area", 10),
    ("advocate", "Advocate", 22),
)
SORTABLE = tuple(
    key for key, _, _ in COLUMNS if key not in {"advocate", "due", "spent", "waiting", "left"}
)
SORT_HEADINGS = {key: heading for key, heading, _ in COLUMNS}


def due_text(row: HouseholdRow, *, today: date, weeks: int) -> str:
    """When the household's next Star reading is due; "!" marks one due now or overdue."""
    due = household_due(
        status=row.status,
        members=row.member_count,
        scored_through=row.star_scored_through,
        start=row.start_date,
        weeks=weeks,
    )
    if due is None:
        return "—"
    return f"! {due.isoformat()}" if due <= today else due.isoformat()


def budget_cells(balance: Balance) -> tuple[Text, Text, Text]:
    """Spent, waiting for approval ("—" for nothing) and left, right-aligned."""
    waiting = pounds(balance.committed) if balance.committed else "—"
    spent, left = pounds(balance.spent), pounds(balance.remaining)
    return (
        Text(spent, justify="right"),
        Text(waiting, justify="right"),
        Text(left, justify="right"),
    )


class HouseholdTable(LeanTable[Text]):
    """Shows the rows it is given; moving past the first or last row asks for a page."""

    BINDINGS = [
        Binding("enter", "select_cursor", "Open"),
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
    ]

    @dataclass
    class PageRequested(Message):
        """The cursor moved past an edge: `step` is +1 for the next page, -1 for the previous."""

        step: int

    @dataclass
    class SortRequested(Message):
        """A column heading was chosen: sort by `key`."""

        key: str

    def __init__(self, *, needs_shown: bool = True, id: str | None = None) -> None:
        """`needs_shown` False (a reader without the sensitive-data permission): the need
        count, which counts special-category needs too, shows as "—" and does not sort."""
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.needs_shown = needs_shown
        self.sortable = SORTABLE if needs_shown else tuple(k for k in SORTABLE if k != "needs")

    def on_mount(self) -> None:
        for key, heading, width in COLUMNS:
            self.add_column(heading, key=key, width=width)

    def show_page(
        self,
        rows: list[HouseholdRow],
        *,
        today: date,
        due_weeks: int,
        default_cap: int,
        sort: str,
        descending: bool,
        cursor_at_end: bool = False,
    ) -> None:
        """Replace the rows with `rows`, marking the sorted column with an arrow."""
        self.clear()
        for column_key, heading, _ in COLUMNS:
            arrow = (" ▼" if descending else " ▲") if column_key == sort else ""
            self.columns[ColumnKey(column_key)].label = Text(heading + arrow)
        for row in rows:
            months = months_on_programme(row.start_date, row.end_date, today)
            self.add_row(
                Text(row.reference),
                user_text(row.primary_name or "(no primary householder)"),
                Text(str(row.member_count), justify="right"),
                Text(str(row.need_count) if self.needs_shown else "—", justify="right"),
                Text(str(months), justify="right"),
                Text(due_text(row, today=today, weeks=due_weeks)),
                Text(row.status.label),
                *budget_cells(row.budget or Balance(default_cap)),
                Text(row.local_authority.label),
                user_text(row.advocate_name),
                key=str(row.id),
            )
        if rows:
            self.move_cursor(row=len(rows) - 1 if cursor_at_end else 0, animate=False)

    @property
    def current_household_id(self) -> int | None:
        if not self.row_count:
            return None
        key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key
        return int(key.value) if key.value else None

    def action_cursor_down(self) -> None:
        if self.row_count and self.cursor_row == self.row_count - 1:
            self.post_message(self.PageRequested(+1))
        else:
            super().action_cursor_down()

    def action_cursor_up(self) -> None:
        if self.row_count and self.cursor_row == 0:
            self.post_message(self.PageRequested(-1))
        else:
            super().action_cursor_up()

    def action_page_down(self) -> None:
        if self.row_count and self.cursor_row == self.row_count - 1:
            self.post_message(self.PageRequested(+1))
        else:
            super().action_page_down()

    def action_page_up(self) -> None:
        if self.row_count and self.cursor_row == 0:
            self.post_message(self.PageRequested(-1))
        else:
            super().action_page_up()

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        event.stop()
        if event.column_key.value in self.sortable:
            self.post_message(self.SortRequested(event.column_key.value))
