"""A household's timeline: everything that happened to it, in date order, filtered by
kind and by member; Enter opens the item an event is about on its own screen.

It opens at the newest event. `/` chooses a kind and `m` a member (Enter or Down opens
the choices, Enter takes one and goes back to the table); `x` clears both.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import partial

from rich.console import RenderableType
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Header, Static

from hiw_tui.db.casework.timeline import household_timeline
from hiw_tui.db.casework.timeline_models import Timeline, TimelineEvent, TimelineKind
from hiw_tui.db.core.models import HouseholdPublic
from hiw_tui.screens.base.work import DatabaseWork
from hiw_tui.screens.casework.contacts import ContactsScreen
from hiw_tui.screens.casework.outcomes import OutcomesScreen
from hiw_tui.screens.casework.plan import PlanScreen
from hiw_tui.screens.casework.referrals import ReferralsScreen
from hiw_tui.screens.dialogs.filter_choice import FilterChoice
from hiw_tui.screens.ledger.ledger import LedgerScreen
from hiw_tui.screens.readings.reading_history import ReadingHistoryScreen
from hiw_tui.widgets.detail_table import DetailTable, Row
from hiw_tui.widgets.footer import KeyFooter
from hiw_tui.widgets.text import short_name, user_text

WHAT = 40
"""Characters of what happened shown in the table, so that it fits 80 columns; below the
table the highlighted event is shown in full."""
MEMBER = 12
"""Characters of a member's name in the table."""
OPENS = {
    TimelineKind.CASE: "back to the record",
    TimelineKind.MEMBER: "back to the record, at the member",
    TimelineKind.PLAN: "the plan",
    TimelineKind.STEP: "the plan, at the step",
    TimelineKind.READING: "the readings, comparing this one with the first",
    TimelineKind.REFERRAL: "the referrals, at this one",
    TimelineKind.OUTCOME: "the outcomes, at this one",
    TimelineKind.CONTACT: "the contacts, at this one",
    TimelineKind.BUDGET: "the support budget",
    TimelineKind.EXIT: "back to the record",
}
"""Where Enter takes each kind of event."""
CHECKIN_OPENS = "the contacts, where logging one does the check-in"
LEFT_OPENS = "back to the record, which lists them under Former members"
"""A member's line, of someone who has since left: no member row to go to."""


class TimelineScreen(DatabaseWork, Screen[int | None]):
    """Opening the timeline is audited as a view of the household."""

    TITLE = "Timeline"
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("enter", "open", "Open"),
        Binding("slash", "choose('kind')", "Kind", key_display="/"),
        Binding("m", "choose('member')", "Member"),
        Binding("x", "clear", "Clear filters", show=False),
        Binding("g", "cursor(-1_000_000)", "Oldest", show=False),
        Binding("G", "cursor(1_000_000)", "Newest", key_display="G", show=False),
        Binding("j", "cursor(1)", "Down", show=False),
        Binding("k", "cursor(-1)", "Up", show=False),
        Binding("ctrl+r", "reload", "Reload", show=False),
    ]

    @dataclass
    class Loaded(Message):
        timeline: Timeline

    def __init__(self, record: HouseholdPublic) -> None:
        super().__init__()
        self.record = record
        self.sub_title = record.reference  # the household's, as the record's header says
        self.timeline: Timeline | None = None
        self._newest = True
        """Put the cursor on the newest event shown, once the events are (re)listed."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="timeline-filters"):
            kinds = [(Text(kind.label), kind.value) for kind in TimelineKind]
            yield FilterChoice(kinds, title="Kind", prompt="Every kind", id="timeline-kind")
            yield FilterChoice([], title="Member", prompt="Everyone", id="timeline-member")
        yield Static("Opening…", id="timeline-title", markup=False)
        yield DetailTable(
            (("on", "Date"), ("kind", "Kind"), ("who", "Member"), ("what", "What happened")),
            detail=self._detail,
            empty="Nothing recorded yet.",
            id="timeline",
        )
        yield KeyFooter()

    @property
    def _table(self) -> DetailTable[TimelineEvent]:
        return self.query_one("#timeline", DetailTable)

    def on_mount(self) -> None:
        self._table.focus()
        self.action_reload()

    def on_screen_resume(self) -> None:
        if self.timeline is not None:  # back from an item: show what changed there
            self.action_reload(audited=False)

    def action_reload(self, audited: bool = True) -> None:
        """Read the timeline again; only opening it is audited as a view."""
        query = partial(
            household_timeline,
            household_id=self.record.id,
            framework=self.hiw_app.framework,
            audited=audited,
        )
        # An audited read writes its audit row, so it runs as a write.
        self.run_db(query, self.Loaded, write=audited)

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        before, self.timeline = self.timeline, message.timeline
        people = message.timeline.people
        if before is None or before.people != people:  # the member filter offers them
            self.query_one("#timeline-member", FilterChoice).set_options(
                (user_text(person.name + (" (left)" if person.left_on else "")), str(person.id))
                for person in people
            )
        self._show()

    def _chosen(self, selector: str) -> str | None:
        return self.query_one(selector, FilterChoice).value

    def _shown(self) -> list[tuple[int, TimelineEvent]]:
        """The events the filters keep, with their place in the whole timeline."""
        events = self.timeline.events if self.timeline else ()
        kind, member = self._chosen("#timeline-kind"), self._chosen("#timeline-member")
        return [
            (index, event)
            for index, event in enumerate(events)
            if (kind is None or event.kind == kind)
            and (member is None or event.involves(int(member)))
        ]

    def _show(self) -> None:
        shown = self._shown()
        keys = Counter[str]()
        rows = []
        for _, event in shown:
            # Keyed by what it says, so that a reload keeps the cursor on the same event.
            key = f"{event.on}|{event.kind}|{event.item_id}|{event.person_id}|{event.what}"
            keys[key] += 1
            rows.append(Row(f"{key}|{keys[key]}", event, self._cells(event)))
        select = rows[-1].key if rows and self._newest else None
        self._newest = False
        filtered = self.timeline is not None and len(shown) < len(self.timeline.events)
        empty = "Nothing matches these filters: x shows every event." if filtered else None
        self._table.show(rows, select=select, empty=empty)
        self.query_one("#timeline-title", Static).update(self._heading(len(shown)))

    def _heading(self, shown: int) -> Text:
        total = len(self.timeline.events) if self.timeline else 0
        heading = Text(f"{self.record.reference}: {total} event{'s' * (total != 1)}", "bold")
        if any(self._chosen(selector) for selector in ("#timeline-kind", "#timeline-member")):
            heading.append(f", {shown} shown (x shows all)", style="")
        else:
            heading.append(", oldest first", style="")
        if self.timeline and self.timeline.hidden:
            heading.append(f"\n{self.timeline.hidden}", style="italic")
        return heading

    def _has_left(self, person_id: int | None) -> bool:
        people = self.timeline.people if self.timeline else ()
        return any(p.id == person_id and p.left_on for p in people)

    def _member_name(self, person_id: int | None) -> str:
        people = self.timeline.people if self.timeline else ()
        return next((p.name for p in people if p.id == person_id), "Household")

    def _cells(self, event: TimelineEvent) -> tuple[Text, ...]:
        return (
            Text(event.on.isoformat()),
            Text(event.kind.label),
            user_text(short_name(self._member_name(event.person_id), MEMBER)),
            user_text(event.what, limit=WHAT),
        )

    def _detail(self, event: TimelineEvent) -> RenderableType:
        opens = CHECKIN_OPENS if self._checkin(event) else OPENS[event.kind]
        if event.kind is TimelineKind.MEMBER and self._has_left(event.person_id):
            opens = LEFT_OPENS
        shown = Text().append_text(user_text(event.what, style="bold"))
        if event.detail:
            shown.append("\n").append_text(user_text(event.detail))
        return shown.append(f"\nEnter: {opens}", style="italic")

    @staticmethod
    def _checkin(event: TimelineEvent) -> bool:
        return event.kind is TimelineKind.EXIT and event.item_id is not None

    @on(FilterChoice.Changed)
    def _filtered(self) -> None:
        if self.timeline is None:
            return
        self._newest = True
        self._table.focus()
        # Once the choices have closed: the table is laid out again by then, so the
        # cursor scrolls into the room it has.
        self.call_after_refresh(self._show)

    def action_choose(self, which: str) -> None:
        self.query_one(f"#timeline-{which}", FilterChoice).focus()

    def action_clear(self) -> None:
        for selector in ("#timeline-kind", "#timeline-member"):
            self.query_one(selector, FilterChoice).clear()

    def action_cursor(self, step: int) -> None:
        self._table.move_cursor_by(step)

    @on(DetailTable.Chosen, "#timeline")
    def action_open(self) -> None:
        event = self._table.current
        if event is None:
            return
        record, kind = self.record, event.kind
        screen: Screen[None] | None = None
        if kind is TimelineKind.READING and event.person_id is not None:
            screen = ReadingHistoryScreen(event.person_id, compare_with=event.item_id)
        elif kind is TimelineKind.PLAN:
            screen = PlanScreen(record, person_id=event.person_id)
        elif kind is TimelineKind.STEP:
            screen = PlanScreen(record, person_id=event.person_id, step_id=event.item_id)
        elif kind is TimelineKind.REFERRAL:
            screen = ReferralsScreen(record, select=event.item_id)
        elif kind is TimelineKind.OUTCOME:
            screen = OutcomesScreen(record, select=event.item_id)
        elif kind is TimelineKind.CONTACT:
            screen = ContactsScreen(record, select=event.item_id)
        elif self._checkin(event):
            screen = ContactsScreen(record)
        elif kind is TimelineKind.BUDGET:
            screen = LedgerScreen(record)
        if screen is None:  # the record holds it: key facts, members, the exit
            self.dismiss(event.person_id if kind is TimelineKind.MEMBER else None)
        else:
            self.app.push_screen(screen)

    def action_back(self) -> None:
        if not self._table.has_focus_within:
            self._table.focus()  # from a filter, back to the events first
            return
        self.dismiss(None)  # the record hears of it, and shows what changed meanwhile
