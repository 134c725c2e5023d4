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
from hiw_tui.domain.codes import REFERENCE_PREFIX
from hiw_tui.domain.dates import months_on_programme
from hiw_tui.domain.money import pounds
from hiw_tui.domain.star import household_due
from hiw_tui.widgets.tables import LeanTable
from hiw_tui.widgets.text import short_name, user_text


@dataclass(frozen=True)
class Column:
    """A column of the list: `width` cells of content (a sortable heading gets room for
    its arrow too); `rank` is the order columns give way in as the table narrows, 1
    (the reference) never."""

    key: str
    heading: str
    width: int
    rank: int
    sortable: bool = True


COLUMNS: tuple[Column, ...] = (
    Column("reference", "Ref", 9, 1),
    Column("name", "Householder", 16, 2),
    Column("members", "Mem", 3, 9),
    Column("needs", "Needs", 5, 12),
    Column("start", "Months", 6, 8),
    Column("due", "Star due", 12, 4, sortable=False),
    Column("status", "Status", 10, 3),
    Column("spent", "Spent", 10, 11, sortable=False),
    Column("waiting", "Waiting", 9, 10, sortable=False),
    Column("left", "Left", 10, 7, sortable=False),
    Column("area", "Area", 4, 6),
    Column("advocate", "Advocate", 13, 5, sortable=False),
)
"""At 80 columns a programme manager sees reference, householder, status, Star due,
advocate and area (abbreviated); an advocate, whose list is all their own and in their
area, sees budget left and months on the programme instead. Wider terminals add the
members, money waiting, spent and needs columns, in that order."""
SORTABLE = tuple(column.key for column in COLUMNS if column.sortable)
_BUDGET_UNSORTED = (
    "The budget columns do not sort: each page reads its budgets from the ledger, where"
    " sorting would read every household's. Approvals (A) lists the spends waiting."
)
UNSORTED = {
    "due": "Star due does not sort: it is worked out from each member's latest reading."
    " The status filter's Reading due lists the households due one.",
    "spent": _BUDGET_UNSORTED,
    "waiting": _BUDGET_UNSORTED,
    "left": _BUDGET_UNSORTED,
    "advocate": "Advocate does not sort: the advocate filter shows one advocate's households.",
}
"""Why a column is left out of the sort cycle (`s`), said when its heading is clicked."""
SORT_HEADINGS = {column.key: column.heading for column in COLUMNS}
NAME_MOST = 30
"""The householder column takes the room the others leave, up to this many cells."""


def sorted_heading(heading: str, width: int, arrow: str) -> str:
    """`heading` with the sort `arrow` (if any) inside the column's `width`: the heading
    gives way to the arrow, so it shows on every column, narrow ones too ("Me▲")."""
    if not arrow:
        return heading
    if len(heading) + 2 <= width:
        return f"{heading} {arrow}"
    return heading[: width - 1] + arrow


def room(column: Column) -> int:
    """The cells a column takes on screen: its content or heading, and the padding."""
    arrow = 2 if column.sortable else 0
    return max(column.width, len(column.heading) + arrow) + 2


def columns_for(width: int, *, hidden: frozenset[str] = frozenset()) -> list[Column]:
    """The columns that fit `width` cells, most needed first, in the list's order."""
    chosen: list[Column] = []
    used = 0
    for column in sorted((c for c in COLUMNS if c.key not in hidden), key=lambda c: c.rank):
        if chosen and used + room(column) > width:
            break
        chosen.append(column)
        used += room(column)
    return [column for column in COLUMNS if column in chosen]


@dataclass(frozen=True)
class PageView:
    """How the page being shown is read: today's date, the settings and the sort."""

    today: date
    due_weeks: int
    default_cap: int
    sort: str
    descending: bool


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

    def __init__(
        self,
        *,
        needs_shown: bool = True,
        area_shown: bool = True,
        advocate_shown: bool = True,
        id: str | None = None,
    ) -> None:
        """`needs_shown` False (a reader without the sensitive-data permission): the need
        count, which counts special-category needs too, shows as "—" and does not sort.
        `area_shown` and `advocate_shown` False leave out a column that would say the same
        on every row (a reader of one area, an advocate's own caseload)."""
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.needs_shown = needs_shown
        self.sortable = SORTABLE if needs_shown else tuple(k for k in SORTABLE if k != "needs")
        self.hidden = frozenset(
            key for key, shown in (("area", area_shown), ("advocate", advocate_shown)) if not shown
        )
        self.shown: list[Column] = []
        """The columns on screen now, chosen by the table's width."""
        self._rows: list[HouseholdRow] = []
        self._page: PageView | None = None

    def on_resize(self) -> None:
        # Leave room for the vertical scrollbar, whether or not this page needs one.
        width = self.size.width - self.styles.scrollbar_size_vertical
        shown = columns_for(width, hidden=self.hidden)
        if shown != self.shown or not self.columns:
            self.shown = shown
            spare = width - sum(room(column) for column in shown)
            self.clear(columns=True)
            for column in shown:
                extra = min(spare, NAME_MOST - column.width) if column.key == "name" else 0
                # The room a column was chosen by, so its heading's arrow shows whole.
                content = room(column) - 2 + extra
                self.add_column(column.heading, key=column.key, width=content)
            if self._page is not None:
                self._fill(cursor=self.cursor_row)

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
        self._rows = rows
        self._page = PageView(today, due_weeks, default_cap, sort, descending)
        self._fill(cursor=len(rows) - 1 if cursor_at_end else 0)

    def _fill(self, *, cursor: int) -> None:
        page = self._page
        assert page is not None
        self.clear()
        for column in self.shown:
            arrow = ("▼" if page.descending else "▲") if column.key == page.sort else ""
            shown = self.columns[ColumnKey(column.key)]
            shown.label = Text(sorted_heading(column.heading, shown.width, arrow))
        for row in self._rows:
            cells = self._cells(row, page)
            self.add_row(*(cells[column.key] for column in self.shown), key=str(row.id))
        if self._rows:
            self.move_cursor(row=min(cursor, len(self._rows) - 1), animate=False)

    def _cells(self, row: HouseholdRow, page: PageView) -> dict[str, Text]:
        months = (  # "—" for a household only referred, not yet started
            str(months_on_programme(row.start_date, row.end_date, page.today))
            if row.start_date
            else "—"
        )
        spent, waiting, left = budget_cells(row.budget or Balance(page.default_cap))
        widths = {key: column.width for key, column in self.columns.items()}
        name_width = widths.get(ColumnKey("name"), NAME_MOST)
        return {
            "reference": Text(row.reference),
            "name": user_text(short_name(row.primary_name, name_width))
            if row.primary_name
            else user_text("(no primary householder)", limit=name_width),
            "members": Text(str(row.member_count), justify="right"),
            "needs": Text(str(row.need_count) if self.needs_shown else "—", justify="right"),
            "start": Text(months, justify="right"),
            "due": Text(due_text(row, today=page.today, weeks=page.due_weeks)),
            "status": Text(row.status.label),
            "spent": spent,
            "waiting": waiting,
            "left": left,
            "area": Text(REFERENCE_PREFIX[row.local_authority]),
            "advocate": user_text(
                short_name(row.advocate_name, widths.get(ColumnKey("advocate"), NAME_MOST))
            ),
        }

    @property
    def current_household_id(self) -> int | None:
        if not self.row_count:
            return None
        key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key
        return int(key.value) if key.value else None

    @property
    def current_reference(self) -> str | None:
        """The highlighted household's reference (None with no rows)."""
        household_id = self.current_household_id
        return next((row.reference for row in self._rows if row.id == household_id), None)

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
        key = event.column_key.value
        if key in self.sortable:
            self.post_message(self.SortRequested(key))
        elif key in UNSORTED:
            self.notify(UNSORTED[key])
