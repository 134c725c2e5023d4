"""My week: what falls due across the caseload, overdue first, by date.

Enter opens the household's record at the right place: a step in its plan, a contact
in its log, or the record itself for a reading due, the end of support or a household
to move from a leaver (`r` there moves it; `U`, the users screen, moves a whole
caseload).

What each item asks takes the room the other columns leave, at any width, so it is
measured again when the terminal is resized. A supervisor's or manager's week has an
Advocate column instead of the householder's name: they oversee caseloads, and the line
below the list names the household of the highlighted item.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Header, Static

from hiw_tui.db.casework.week import PER_KIND, WeekItem, my_week
from hiw_tui.domain.access import Permission
from hiw_tui.domain.casework import NEAR_END, WEEK_AHEAD
from hiw_tui.screens.base.work import DatabaseWork
from hiw_tui.widgets.detail_table import DetailTable, Row
from hiw_tui.widgets.footer import KeyFooter
from hiw_tui.widgets.text import due_text, short_name, user_text

KIND_LABEL = {
    "step": "Step",
    "reading": "Reading",
    "contact": "Contact",
    "checkin": "Check-in",
    "support_end": "Ends",
    "short_term": "Convert?",  # short-term support ends: convert or exit
    "move": "Move",
}


WHO_WIDTH = 14
"""The householder's name, or for an overseer the advocate's, at most at 80 columns;
on a wider terminal it has up to `WHO_MORE` more, once what is due shows whole."""
WHO_MORE = 12
MIN_WHAT = 16
"""What an item asks is never cut shorter than this (a sideways scroll shows the rest)."""


def _detail(item: WeekItem) -> Text:
    """The highlighted item whole, below the list, whose columns cut it short."""
    name = user_text(f"{item.reference} {item.primary_name}", style="bold")
    advocate: list[str | Text] = (
        ["  advocate: ", user_text(item.advocate_name)] if item.advocate_name else []
    )
    kind = "Step: " if item.kind == "step" else ""  # the others' words say what they are
    return Text.assemble(name, ": ", kind, user_text(item.what), *advocate)


class MyWeekScreen(DatabaseWork, Screen[None]):
    TITLE = "My week"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("enter", "open", "Open", priority=True),  # shown: the table's own is not
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
        self._shown_widths = (0, 0)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Reading the caseload…", id="week-title", markup=False)
        # A supervisor's week spans caseloads: it names each household's advocate.
        who = ("advocate", "Advocate") if self._oversees else ("name", "Name")
        yield DetailTable(
            [("due", "Due"), ("kind", "Kind"), ("ref", "Ref"), who, ("what", "What")],
            detail=_detail,
            empty="Nothing due this week.",
            id="week",
        )
        yield KeyFooter()

    @property
    def _oversees(self) -> bool:
        return self.hiw_app.actor.can(Permission.OVERSEE)

    @property
    def _table(self) -> DetailTable[WeekItem]:
        return self.query_one("#week", DetailTable)

    def on_mount(self) -> None:
        self._table.focus()
        self.action_reload()

    def on_screen_resume(self) -> None:
        if self._table.rows:
            self.action_reload()  # back from a record: what was done drops off

    def action_reload(self) -> None:
        self.run_db(
            partial(
                my_week,
                today=self.hiw_app.today(),
                reading_due_weeks=self.hiw_app.settings.reading_due_weeks,
            ),
            self.Loaded,
        )

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self.items = items = message.items
        today = self.hiw_app.today()
        overdue = sum(item.due_on < today for item in items)
        title = (  # how far it looks, in words (each row has its date)
            f"Due within {WEEK_AHEAD.days} days, support ending within "
            f"{NEAR_END.days // 7} weeks: {len(items)} items, {overdue} overdue"
        )
        if any(sum(i.kind == k for i in items) >= PER_KIND for k in KIND_LABEL):
            title += f" (the first {PER_KIND} of each kind)"
        self.query_one("#week-title", Static).update(title)
        self._show()

    def on_resize(self) -> None:
        if self.items:
            self._show()

    def _widths(self) -> tuple[int, int]:
        """The room for the name (or advocate), and what the other columns leave for
        what each item asks."""
        today = self.hiw_app.today()
        widths = {
            "due": len(due_text(today, today)),
            "kind": max((len(KIND_LABEL[item.kind]) for item in self.items), default=0),
            "ref": max((len(item.reference) for item in self.items), default=0),
            "name": WHO_WIDTH,
            "advocate": WHO_WIDTH,
        }
        room = self._table.room_for("what", widths)
        longest = max((len(item.what) for item in self.items), default=0)
        more = max(0, min(WHO_MORE, room - longest))  # what is due first, names after
        return WHO_WIDTH + more, max(MIN_WHAT, room - more)

    def _show(self) -> None:
        """Show the items, afresh when the columns' room changed (a resize, a kind of
        item come or gone): cells updated in place can widen a column, never narrow it."""
        today = self.hiw_app.today()
        widths = self._widths()
        fresh, self._shown_widths = widths != self._shown_widths, widths
        who, what = widths
        self._table.show(
            [
                Row(
                    f"{item.kind}-{item.household_id}-{item.person_id}-{item.item_id}",
                    item,
                    [
                        Text(due_text(item.due_on, today)),
                        Text(KIND_LABEL[item.kind]),
                        Text(item.reference),
                        (
                            user_text(short_name(item.advocate_name, who))
                            if self._oversees
                            else user_text(item.primary_name, limit=who)
                        ),
                        user_text(item.what, limit=what),
                    ],
                )
                for item in self.items
            ],
            fresh=fresh,
        )

    def action_cursor(self, step: int) -> None:
        self._table.move_cursor_by(step)

    @on(DetailTable.Chosen, "#week")
    def action_open(self) -> None:
        item = self._table.current
        if item is not None:
            self.hiw_app.open_household(item.household_id, goto=item)
