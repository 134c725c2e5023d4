"""The filter bar above the household list: search, area, advocate and status."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.reactive import reactive
from textual.timer import Timer
from textual.widgets import Input, Select

from hiw_tui.db.core.models import UserPublic
from hiw_tui.db.households.households import HouseholdFilter
from hiw_tui.domain.codes import HouseholdStatus, LocalAuthority
from hiw_tui.widgets.text import short_name, user_text

SEARCH_PAUSE = 0.25  # seconds of no typing before a search runs
READING_DUE = "reading_due"
"""The status filter's last choice: households due a Star reading, whatever their status."""
OPEN_CASES = "open_cases"
"""The status filter's first choice: open cases, active or short term."""


class HouseholdFilters(Horizontal):
    """Posts `Changed` with the whole filter whenever any part of it changes."""

    @dataclass
    class Changed(Message):
        where: HouseholdFilter

    ADVOCATE_SHOWN = 12
    """The characters of an advocate's name the filter has room for (see `short_name`)."""
    advocates: reactive[list[UserPublic]] = reactive(list, init=False)
    """The advocates offered in the advocate filter (set by the screen once loaded)."""

    def __init__(
        self,
        *,
        show_area: bool,
        show_advocate: bool,
        due_cutoff: Callable[[], date],
        status: str | None = None,
        id: str | None = None,
    ) -> None:
        """`status` is the status filter's first choice (None: any status)."""
        super().__init__(id=id)
        self._status = status
        self._due_cutoff = due_cutoff
        """Today less the reading interval: a reading is due when the latest is before it.
        Asked afresh each time, so a list left open overnight moves on with the date."""
        self._show_area = show_area
        self._show_advocate = show_advocate
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Input(placeholder="/ search name, ref, postcode", id="search", compact=True)
        area = Select(LocalAuthority.choices(), prompt="All areas", id="area", compact=True)
        area.display = self._show_area
        yield area
        advocate: Select[int] = Select([], prompt="Any advocate", id="advocate", compact=True)
        advocate.display = self._show_advocate
        yield advocate
        statuses = [
            ("Open cases", OPEN_CASES),
            *HouseholdStatus.choices(),
            ("Reading due", READING_DUE),
        ]
        yield Select(
            statuses,
            prompt="Any status",
            value=self._status if self._status else Select.NULL,
            id="status",
            compact=True,
        )

    def watch_advocates(self) -> None:
        self._offer_advocates()

    def _offer_advocates(self) -> None:
        """The advocates by name, of the area chosen (if one is); the one chosen stays
        chosen if they are still offered."""
        area = self.query_one("#area", Select).value
        offered = [
            (user_text(short_name(user.display_name, self.ADVOCATE_SHOWN)), user.id)
            for user in self.advocates
            if area is Select.NULL or user.local_authority == area
        ]
        advocate = self.query_one("#advocate", Select)
        chosen = advocate.value
        advocate.set_options(offered)
        if any(chosen == user_id for _, user_id in offered):
            advocate.value = chosen

    def current(self) -> HouseholdFilter:
        def chosen(selector: str) -> str | None:
            value = self.query_one(selector, Select).value
            return None if value is Select.NULL else str(value)

        advocate, status = chosen("#advocate"), chosen("#status")
        due, open_cases = status == READING_DUE, status == OPEN_CASES
        return HouseholdFilter(
            local_authority=chosen("#area"),
            advocate_id=int(advocate) if advocate else None,
            status=None if due or open_cases else status,
            open_cases=open_cases,
            due_if_scored_before=self._due_cutoff() if due else None,
            search=self.query_one("#search", Input).value,
        )

    @on(Input.Changed, "#search")
    def _typed(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(SEARCH_PAUSE, self._announce)

    @on(Input.Submitted, "#search")
    def _submitted(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._announce()

    @on(Select.Changed)
    def _chosen(self, event: Select.Changed) -> None:
        if event.select.id == "area":
            self._offer_advocates()
        self._announce()

    def _announce(self) -> None:
        self._timer = None
        self.post_message(self.Changed(self.current()))
