"""One household: key facts, members, and the highlighted member's details and needs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import partial

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Header, Static

from hiw_tui.db.casework.exits import convert_short_term
from hiw_tui.db.casework.week import WeekItem
from hiw_tui.db.core.errors import Conflict
from hiw_tui.db.core.models import HouseholdPublic, PersonPublic
from hiw_tui.db.households.households import open_household
from hiw_tui.db.households.people import remove_person
from hiw_tui.db.readings.readings import ReadingSaved
from hiw_tui.domain.access import Permission
from hiw_tui.domain.casework import support_ends_for
from hiw_tui.domain.codes import (
    CLOSED_STATUSES,
    ExitReason,
    HouseholdStatus,
)
from hiw_tui.domain.dates import age_on
from hiw_tui.screens.casework.contacts import ContactsScreen
from hiw_tui.screens.casework.exit_form import CONVERT, EXIT, ExitForm, SupportDueScreen
from hiw_tui.screens.casework.outcomes import OutcomesScreen
from hiw_tui.screens.casework.plan import PlanScreen
from hiw_tui.screens.casework.referrals import ReferralsScreen
from hiw_tui.screens.dialogs.common import LeaveScreen
from hiw_tui.screens.household.clipboard import copy_reference
from hiw_tui.screens.household.consent import ConsentScreen
from hiw_tui.screens.household.household_facts import (
    before_hiw,
    budget_text,
    exit_facts,
    former_members_fact,
    referral_facts,
    started_text,
    support_end_text,
)
from hiw_tui.screens.household.household_form import HouseholdForm
from hiw_tui.screens.household.person_facts import (
    consent_line,
    contact_lines,
    ethnicity_text,
    need_count,
    needs_line,
)
from hiw_tui.screens.household.person_files import HANDOVER, SUBJECT_ACCESS, PersonFiles
from hiw_tui.screens.household.person_form import PersonForm
from hiw_tui.screens.household.star_summary import star_brief, star_detail
from hiw_tui.screens.household.timeline import TimelineScreen
from hiw_tui.screens.ledger.ledger import LedgerScreen
from hiw_tui.screens.readings.reading_form import ReadingForm
from hiw_tui.screens.readings.reading_history import ReadingHistoryScreen
from hiw_tui.widgets.detail_table import DetailTable, Row
from hiw_tui.widgets.footer import KeyFooter
from hiw_tui.widgets.text import next_contact_text, short_name, user_text

MEMBER_NAME = 20
"""Characters of a member's name in the members table (in full in the detail below)."""


def _grid(pairs: list[tuple[str, RenderableType]], columns: int = 2) -> Table:
    grid = Table.grid(padding=(0, 1), expand=True)
    for _ in range(columns):
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column(ratio=1)
    for start in range(0, len(pairs), columns):
        cells: list[RenderableType] = []
        for label, value in pairs[start : start + columns]:
            cells += [Text(label), value]
        grid.add_row(*cells)
    return grid


class HouseholdRecordScreen(PersonFiles, Screen[None]):
    """Opening the record is audited as a view, in the same transaction as the read."""

    TITLE = "Household"
    EDIT_ACTIONS = frozenset(
        {
            "add_member",
            "convert",
            "edit",
            "edit_member",
            "exit",
            "new_reading",
            "reassign",
            "remove_member",
        }
    )
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("e", "edit", "Edit"),
        Binding("a", "add_member", "Add member", show=False),
        Binding("m", "edit_member", "Edit member", show=False),
        Binding("x", "remove_member", "Remove member", show=False),
        Binding("r", "reassign", "Reassign", show=False),
        Binding("s", "new_reading", "Score"),
        Binding("h", "readings", "Readings"),
        Binding("p", "plan", "Plan"),
        Binding("f", "referrals", "Referrals", show=False),
        Binding("o", "outcomes", "Outcomes", show=False),
        Binding("c", "contacts", "Contacts", show=False),
        Binding("K", "consent", "Consent", show=False),
        Binding("D", "subject_access", "Data held (subject access)", show=False),
        Binding("P", "handover_pack", "Hand-over pack", show=False),
        Binding("b", "budget", "Budget"),
        Binding("T", "timeline", "Timeline", show=False),
        Binding("X", "exit", "Exit programme", show=False),
        Binding("t", "convert", "Convert short-term case", show=False),
        Binding("j", "member(1)", "Next member", show=False),
        Binding("k", "member(-1)", "Previous member", show=False),
        Binding("ctrl+r", "reload", "Reload", show=False),
        Binding("y", "copy_reference", "Copy reference", show=False),
    ]

    @dataclass
    class Loaded(Message):
        record: HouseholdPublic

    def __init__(self, household_id: int, *, goto: WeekItem | None = None) -> None:
        """`goto` is an item of the advocate's week to open once the record has loaded."""
        super().__init__()
        self.household_id = household_id
        self.record: HouseholdPublic | None = None
        self._goto = goto
        self._asked_support_due = False
        self._select_member: str | None = None
        """The key of the member the cursor goes to once the record has loaded."""

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="record"):
            yield Static("Opening…", id="facts")
            yield DetailTable(
                (
                    ("role", "Role"),
                    ("name", "Name"),
                    ("age", "Age"),
                    ("gender", "Gender"),
                    ("work", "Out of work"),
                    ("needs", "Needs"),
                    ("star", "Star"),
                ),
                detail=self._member_detail,
                empty=self.for_role(
                    "No members yet: a adds the primary householder.", "add_member"
                ),
                id="members",
            )
        yield KeyFooter()

    def on_mount(self) -> None:
        self._members.focus()
        self.action_reload()

    @property
    def _members(self) -> DetailTable[PersonPublic]:
        return self.query_one("#members", DetailTable)

    def action_reload(self, audited: bool = True) -> None:
        self.run_db(
            partial(open_household, household_id=self.household_id, audited=audited),
            self.Loaded,
            write=audited,
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not super().check_action(action, parameters):
            return False
        if action == "reassign":
            return self.hiw_app.actor.can(Permission.OVERSEE)
        if action == "subject_access":
            return self.hiw_app.actor.can(Permission.SENSITIVE) and bool(
                self.record and self.record.members
            )
        if action == "handover_pack":
            return self.hiw_app.actor.can(Permission.EDIT) and bool(
                self.record and self.record.members
            )
        if action in {"edit_member", "remove_member", "new_reading", "readings"}:
            # Shown while the record loads, as nearly every household has members: the
            # footer is then composed once, not again as the record arrives (a fifth of
            # the time the screen took to open). Each does nothing without a member.
            return self.record is None or bool(self.record.members)
        if action == "convert":
            return bool(self.record and self.record.status == HouseholdStatus.SHORT_TERM)
        if action == "exit":  # a household only referred starts before it can leave
            return bool(
                self.record
                and self.record.status not in CLOSED_STATUSES
                and self.record.start_date is not None
            )
        return True

    def on_household_record_screen_loaded(self, message: Loaded) -> None:
        self.record = record = message.record
        self.sub_title = record.reference
        today = self.hiw_app.today()
        self.query_one("#facts", Static).update(
            _grid(
                [
                    ("Reference", Text(record.reference)),
                    ("Status", Text(record.status.label)),
                    ("Area", Text(record.local_authority.label)),
                    ("Advocate", user_text(record.advocate_name)),
                    ("Started", Text(started_text(record, today))),
                    ("Ends", Text(support_end_text(record))),
                    *referral_facts(record),
                    ("Members", Text(str(len(record.members)))),
                    ("Next contact", Text(next_contact_text(record.next_contact_on, today))),
                    ("Budget", Text(budget_text(record, self.hiw_app.settings.budget_cap_pence))),
                    ("Before HiW", before_hiw(record)),
                    *exit_facts(record),
                    *former_members_fact(record),
                    *(
                        [("Safe contact", Text("yes: address and phones for the advocate only"))]
                        if record.safe_contact
                        else []
                    ),
                ]
            )
        )
        self._members.show(
            [
                Row(
                    str(person.id),
                    person,
                    (
                        Text(person.role.label.removesuffix(" householder")),
                        # In full below the table: a long one pushed Needs and Star
                        # past the edge at 80 columns.
                        user_text(short_name(person.full_name, MEMBER_NAME)),
                        Text(str(age_on(person.date_of_birth, today))),
                        Text(person.gender.label),
                        Text(person.time_since_work.label),
                        Text(need_count(person)),
                        Text(star_brief(person.star)),
                    ),
                )
                for person in record.members
            ],
            select=self._select_member,
        )
        self._say_who_left(record)
        self._select_member = None
        self.refresh_bindings()
        self._follow_up(record)

    def _say_who_left(self, record: HouseholdPublic) -> None:
        """Asked for someone who has left (their line on the timeline): they are no
        longer a member row to put the cursor on, so say where they are."""
        former = next((p for p in record.former_members if str(p.id) == self._select_member), None)
        if former is not None:
            self.notify(
                f"{former.full_name} left on {former.left_on.isoformat()}: "
                "they are listed under Former members.",
                markup=False,
            )

    def _follow_up(self, record: HouseholdPublic) -> None:
        """Once loaded: open what the week pointed at, or ask about a case past its 12 weeks
        (short term) or 12 months."""
        goto, self._goto = self._goto, None
        if goto is not None:
            if goto.kind == "step":
                item = PlanScreen(record, person_id=goto.person_id, step_id=goto.item_id)
                self.app.push_screen(item, self._back_to_week)
            elif goto.kind in {"contact", "checkin"}:
                self.app.push_screen(ContactsScreen(record), self._back_to_week)
            return
        ends = support_ends_for(record.status, record.start_date)
        if (
            ends is not None
            and ends <= self.hiw_app.today()
            and not self._asked_support_due
            and self.hiw_app.actor.can(Permission.EDIT)  # converting or ending is an edit
        ):
            self._asked_support_due = True
            self.app.push_screen(SupportDueScreen(record, ends), self._support_due_decided)

    def _back_to_week(self, _: object) -> None:
        """Back from an item opened from My week goes back to the week, where the user
        came from, to take the next item (the record opened only on the way there)."""
        if self.app.screen is self:
            self.app.pop_screen()

    def _support_due_decided(self, choice: str | None) -> None:
        if choice == CONVERT:
            self.action_convert()
        elif choice == EXIT and self.record is not None:
            short_term = self.record.status == HouseholdStatus.SHORT_TERM
            reason = ExitReason.SHORT_TERM_ENDED if short_term else ExitReason.COMPLETED
            self.action_exit(reason=reason.value)

    def _current_member(self) -> PersonPublic | None:
        return self._members.current

    @on(DetailTable.Chosen, "#members")
    def _chosen(self) -> None:
        if self.check_action("edit_member", ()):
            self.action_edit_member()

    def _member_detail(self, person: PersonPublic) -> RenderableType:
        today = self.hiw_app.today()
        needs = ", ".join(need.label for need in person.support_needs)
        benefits = ", ".join(benefit.label for benefit in person.benefits)
        born = f"{person.date_of_birth.isoformat()} (age {age_on(person.date_of_birth, today)})"
        contact = _grid(
            [
                ("Name", user_text(person.full_name)),
                ("Born", Text(born)),
                ("Gender", Text(person.gender.label)),
                ("Ethnicity", Text(ethnicity_text(person))),
                *contact_lines(person),
                ("Out of work", Text(person.time_since_work.label)),
                ("Qualification", Text(person.qualification.label)),
            ]
        )
        lists = _grid(
            [
                needs_line(person, needs),
                ("Benefits", Text(benefits or "none recorded")),
                consent_line(person),
            ],
            columns=1,
        )
        joined = self.record.start_date if self.record else today
        weeks = self.hiw_app.settings.reading_due_weeks
        star = star_detail(
            person.star,
            self.hiw_app.framework,
            weeks=weeks,
            joined=joined,
            today=today,
        )
        return Group(contact, lists, star)

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_copy_reference(self) -> None:
        if self.record is not None:
            copy_reference(self, self.record.reference)

    def action_member(self, step: int) -> None:
        self._members.move_cursor_by(step)

    def action_edit(self, focus: str | None = None) -> None:
        if self.record is not None:
            form = HouseholdForm(
                actor=self.hiw_app.actor,
                today=self.hiw_app.today(),
                record=self.record,
                focus=focus,
            )
            self.app.push_screen(form, self._saved)

    def action_reassign(self) -> None:
        self.action_edit(focus="#advocate")

    def action_add_member(self) -> None:
        self.app.push_screen(PersonForm(household_id=self.household_id), self._saved)

    def action_edit_member(self) -> None:
        person = self._current_member()
        if person is not None:
            self.app.push_screen(
                PersonForm(household_id=self.household_id, person=person), self._saved
            )

    def action_readings(self, compare_with: int | None = None) -> None:
        person = self._current_member()
        if person is not None:
            self.app.push_screen(ReadingHistoryScreen(person.id, compare_with=compare_with))

    def action_new_reading(self) -> None:
        """Score the highlighted member; once saved, the history compares it with the first."""
        person = self._current_member()
        if person is None:
            return

        def saved(result: ReadingSaved | None) -> None:
            if result is not None:
                self.post_message(self.Loaded(result.record))
                self.action_readings(compare_with=result.reading.id)

        form = ReadingForm(
            person_id=person.id,
            person_name=person.full_name,
            framework=self.hiw_app.framework,
            today=self.hiw_app.today(),
        )
        self.app.push_screen(form, saved)

    def _open_case_work(self, screen: Screen[None] | TimelineScreen) -> None:
        """A screen of the household's case work; the record shows what it changed (the
        next contact, the budget, consent, outcomes) once the user is back, with the
        cursor on the member the timeline went back to, if it did."""
        self.app.push_screen(screen, self._back_from_case_work)

    def _back_from_case_work(self, member_id: int | None) -> None:
        self._select_member = None if member_id is None else str(member_id)
        self.action_reload(False)

    def action_plan(self) -> None:
        if self.record is not None:
            person = self._current_member()
            plan = PlanScreen(self.record, person_id=person.id if person else None)
            self._open_case_work(plan)

    def action_referrals(self) -> None:
        if self.record is not None:
            self._open_case_work(ReferralsScreen(self.record))

    def action_outcomes(self) -> None:
        if self.record is not None:
            self._open_case_work(OutcomesScreen(self.record))

    def action_budget(self) -> None:
        if self.record is not None:
            # Back on the record, its budget line shows what was spent meanwhile.
            self._open_case_work(LedgerScreen(self.record))

    def action_timeline(self) -> None:
        if self.record is not None:
            self._open_case_work(TimelineScreen(self.record))

    def action_consent(self) -> None:
        if self.record is not None:
            self._open_case_work(ConsentScreen(self.record))

    def action_subject_access(self) -> None:
        """Everything held about the highlighted member, written to the export folder."""
        person = self._current_member()
        if person is not None:
            self.write_person_file(SUBJECT_ACCESS, person)

    def action_handover_pack(self) -> None:
        """The highlighted member's readings and plan, for them to keep."""
        person = self._current_member()
        if person is not None:
            self.write_person_file(HANDOVER, person)

    def action_contacts(self) -> None:
        if self.record is not None:
            self._open_case_work(ContactsScreen(self.record))

    def action_exit(self, reason: str | None = None) -> None:
        if self.record is not None:
            self.app.push_screen(ExitForm(self.record, self.hiw_app.today(), reason), self._saved)

    def action_convert(self) -> None:
        if self.record is not None:
            self.run_db(
                partial(
                    convert_short_term, household_id=self.household_id, version=self.record.version
                ),
                self.Loaded,
                write=True,
            )

    def action_remove_member(self) -> None:
        person = self._current_member()
        if person is None:
            return

        def confirmed(left_on: date | None) -> None:
            if left_on is not None:
                self.run_db(
                    partial(
                        remove_person, person_id=person.id, version=person.version, left_on=left_on
                    ),
                    self.Loaded,
                    write=True,
                )

        started = self.record.start_date if self.record else self.hiw_app.today()
        leave = LeaveScreen(person.full_name, self.hiw_app.today(), started=started)
        self.app.push_screen(leave, confirmed)

    def handle_data_error(self, error: BaseException) -> bool:
        if isinstance(error, OSError):  # a file about a member could not be written
            where = error.filename or self.hiw_app.settings.export_dir
            self.notify(
                f"Could not write {where}: {error.strerror}", severity="error", markup=False
            )
            return True
        if isinstance(error, Conflict):
            self.action_reload()  # show what is stored now, beneath the explanation
        return False

    def _saved(self, record: HouseholdPublic | None) -> None:
        # Saved: show what was saved. Cancelled or discarded: reload what is stored now.
        if record is None:
            self.action_reload()
        else:
            self.post_message(self.Loaded(record))
