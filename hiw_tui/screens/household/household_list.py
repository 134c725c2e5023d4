"""The caseload: households the user may see, filtered, searched, sorted and paged."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Header, Input, Static

from hiw_tui.db.access.users import list_advocates
from hiw_tui.db.audit.trail import record_search
from hiw_tui.db.core.models import UserPublic
from hiw_tui.db.households.households import HouseholdFilter, HouseholdPage, household_page
from hiw_tui.domain.access import Permission
from hiw_tui.domain.codes import UserRole
from hiw_tui.screens.base.work import DatabaseWork, Done
from hiw_tui.screens.household.clipboard import copy_reference
from hiw_tui.widgets.filters import OPEN_CASES, HouseholdFilters
from hiw_tui.widgets.footer import KeyFooter
from hiw_tui.widgets.household_table import SORT_HEADINGS, HouseholdTable


class HouseholdListScreen(DatabaseWork, Screen[None]):
    """Loads one page at a time; moving past either end of the page loads the next."""

    TITLE = "Households"
    EDIT_ACTIONS = frozenset({"new"})
    BINDINGS = [
        # A priority binding acts before the keys typed after it are routed, so a fast
        # "/smi" (or a burst over a slow link) lands whole in the search box.
        Binding("slash", "search", "Search", priority=True),
        Binding("n", "new", "New"),
        Binding("s", "sort", "Sort"),
        Binding("S", "reverse", "Reverse sort", key_display="S", show=False),
        Binding("right_square_bracket", "page(1)", "Next page", key_display="]", show=False),
        Binding("left_square_bracket", "page(-1)", "Previous page", key_display="[", show=False),
        Binding("ctrl+r", "reload", "Reload", show=False),
        Binding("y", "copy_reference", "Copy reference", show=False),
        Binding("escape", "to_list", "Back to list", show=False),
        # Footers show a screen's own keys and Help; the list, where a session starts
        # and returns, also shows the app's ways out to the rest of it.
        Binding("w", "app.my_week", "My week"),
        Binding("R", "app.reports", "Reports", key_display="R"),
        Binding("ctrl+q", "app.quit", "Quit", priority=True),
    ]

    @dataclass
    class PageLoaded(Message):
        page: HouseholdPage

    @dataclass
    class AdvocatesLoaded(Message):
        advocates: list[UserPublic]

    def __init__(self) -> None:
        super().__init__()
        self.where = HouseholdFilter()
        self.sort_key = "reference"
        self.descending = False
        self.row_offset = 0
        self.total = 0
        self.pages_shown = 0
        """How many pages this screen has shown (tests and benchmarks wait on it)."""
        self._cursor_at_end = False
        self._keep_cursor = True

    def compose(self) -> ComposeResult:
        role = self.hiw_app.actor.role
        yield Header()
        yield HouseholdFilters(
            show_area=self.hiw_app.actor.can(Permission.ALL_AREAS),
            show_advocate=role is not UserRole.ADVOCATE,
            due_cutoff=self._due_cutoff,
            # An advocate works their open cases; others oversee every household.
            status=OPEN_CASES if role is UserRole.ADVOCATE else None,
            id="filters",
        )
        yield HouseholdTable(
            needs_shown=self.hiw_app.actor.can(Permission.SENSITIVE),
            area_shown=self.hiw_app.actor.can(Permission.ALL_AREAS),
            advocate_shown=role is not UserRole.ADVOCATE,
            id="households",
        )
        yield Static("Loading…", id="list-status", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.set_focus(self.query_one(HouseholdTable))
        if self.hiw_app.actor.role is not UserRole.ADVOCATE:
            self.run_db(list_advocates, self.AdvocatesLoaded, group="advocates")
        self.where = self.query_one(HouseholdFilters).current()
        self.load()

    def on_screen_resume(self) -> None:
        # Back from a record or form: show what changed. (The first resume, at start-up,
        # comes before any page; on_mount loads that one.)
        if self.pages_shown:
            self.action_reload()

    def load(self, *, cursor_at_end: bool = False, keep_cursor: bool = True) -> None:
        """Load the page at `row_offset`; the cursor stays on the household it was on, if
        that is on the page, unless `keep_cursor` is False (a new search or filter starts
        at its first match) or `cursor_at_end` (paging back) puts it on the last row."""
        self._cursor_at_end = cursor_at_end
        self._keep_cursor = keep_cursor
        self.run_db(
            partial(
                household_page,
                where=self.where,
                sort=self.sort_key,
                descending=self.descending,
                limit=self.hiw_app.settings.page_size,
                offset=self.row_offset,
            ),
            self.PageLoaded,
            group="page",
        )

    def on_household_list_screen_page_loaded(self, message: PageLoaded) -> None:
        page = message.page
        self.row_offset, self.total = page.offset, page.total
        table = self.query_one(HouseholdTable)
        keep = table.current_household_id if self._keep_cursor else None
        table.show_page(
            page.rows,
            today=self.hiw_app.today(),
            due_weeks=self.hiw_app.settings.reading_due_weeks,
            default_cap=self.hiw_app.settings.budget_cap_pence,
            sort=self.sort_key,
            descending=self.descending,
            cursor_at_end=self._cursor_at_end,
        )
        if keep is not None and not self._cursor_at_end:
            table.move_cursor_to_key(str(keep))
        self._cursor_at_end = False
        self.pages_shown += 1
        self._show_status()

    def _show_status(self) -> None:
        if not self.total:
            text = {
                HouseholdFilter(): "No households yet: n registers one.",
                HouseholdFilter(open_cases=True): (
                    "No open cases: n registers one; the status filter shows the rest."
                ),
            }.get(self.where, "No households match.")
        else:
            last = min(self.row_offset + self.hiw_app.settings.page_size, self.total)
            if last - self.row_offset == self.total:  # the whole list on one page
                text = "1 household" if self.total == 1 else f"{self.total:,} households"
            else:
                text = f"{self.row_offset + 1:,}-{last:,} of {self.total:,} households"
            text += f" · sorted by {SORT_HEADINGS[self.sort_key]}"
            text += " (descending)" if self.descending else ""
        self.query_one("#list-status", Static).update(text)

    def on_household_list_screen_advocates_loaded(self, message: AdvocatesLoaded) -> None:
        self.query_one(HouseholdFilters).advocates = message.advocates

    @on(HouseholdFilters.Changed)
    def _filtered(self, message: HouseholdFilters.Changed) -> None:
        if message.where != self.where:
            term = message.where.search.strip()
            if term and term != self.where.search.strip():
                self.run_db(
                    partial(record_search, term=term, place="list"), Done, write=True, group="audit"
                )
            self.where = message.where
            self.row_offset = 0
            self.load(keep_cursor=False)

    @on(Input.Submitted, "#search")
    def _search_done(self) -> None:
        self.set_focus(self.query_one(HouseholdTable))

    @on(HouseholdTable.PageRequested)
    def _page_requested(self, message: HouseholdTable.PageRequested) -> None:
        self.action_page(message.step)

    @on(HouseholdTable.SortRequested)
    def _sort_requested(self, message: HouseholdTable.SortRequested) -> None:
        same = message.key == self.sort_key
        self._sort(message.key, descending=not self.descending if same else False)

    def _sort(self, key: str, *, descending: bool) -> None:
        """Sort by `key` and go back to the first page."""
        self.sort_key, self.descending, self.row_offset = key, descending, 0
        self.load()

    @on(DataTable.RowSelected, "#households")
    def _row_chosen(self) -> None:
        self.action_open()

    def action_search(self) -> None:
        search = self.query_one("#search", Input)
        if search.has_focus:
            search.insert_text_at_cursor("/")  # references may hold a "/"
        else:
            self.set_focus(search)

    def action_to_list(self) -> None:
        self.set_focus(self.query_one(HouseholdTable))

    def action_open(self) -> None:
        household_id = self.query_one(HouseholdTable).current_household_id
        if household_id is not None:
            self.hiw_app.open_household(household_id)

    def action_copy_reference(self) -> None:
        reference = self.query_one(HouseholdTable).current_reference
        if reference is not None:
            copy_reference(self, reference)

    def action_new(self) -> None:
        self.hiw_app.register_household()

    def action_sort(self) -> None:
        """Sort by the next sortable column on screen: a sort by a column the terminal
        is too narrow to show left the list in an order nobody could see."""
        table = self.query_one(HouseholdTable)
        shown = {column.key for column in table.shown}
        sortable = [key for key in table.sortable if key in shown]
        after = sortable.index(self.sort_key) + 1 if self.sort_key in sortable else 0
        self._sort(sortable[after % len(sortable)], descending=False)

    def action_reverse(self) -> None:
        self._sort(self.sort_key, descending=not self.descending)

    def action_page(self, step: int) -> None:
        size = self.hiw_app.settings.page_size
        offset = self.row_offset + step * size
        if 0 <= offset < self.total:
            self.row_offset = offset
            self.load(cursor_at_end=step < 0)

    def action_reload(self) -> None:
        """Load the page again, with the filter as it stands today (its due date moves)."""
        self.where = self.query_one(HouseholdFilters).current()
        self.load()

    def _due_cutoff(self) -> date:
        return self.hiw_app.today() - timedelta(weeks=self.hiw_app.settings.reading_due_weeks)
