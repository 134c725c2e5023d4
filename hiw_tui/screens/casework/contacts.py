"""A household's contact log, with when the next contact is due, and the contact form.

Who took part is ticked from the household's members (Space), shown by name; anyone else
there is written in beside them. A contact by phone or message with a member who has
withdrawn consent to be contacted that way is said under them as the form is filled in
(`consent_withdrawn`): it may still be logged, as they may have got in touch."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import partial

from rich.console import RenderableType
from rich.text import Text
from textual import on
from textual.widget import Widget
from textual.widgets import Select, Static

from hiw_tui.db.casework.contacts import household_contacts, save_contact
from hiw_tui.db.casework.models import ContactPublic
from hiw_tui.db.core.engine import Query
from hiw_tui.db.core.models import HouseholdPublic
from hiw_tui.domain.case_inputs import ContactInput
from hiw_tui.domain.casework import consent_withdrawn, next_contact_due
from hiw_tui.domain.codes import ContactMode, Recontact
from hiw_tui.screens.base.case_list import CaseListScreen
from hiw_tui.screens.base.form_fields import code_field, date_field, note_field, text_field
from hiw_tui.screens.base.item_form import ItemForm
from hiw_tui.widgets.checklist import Checklist
from hiw_tui.widgets.field import FormField
from hiw_tui.widgets.text import next_contact_text, short_name, user_block, user_text

LOGGED_BY = 14
"""Characters of the name of who logged a contact."""


class ContactForm(ItemForm[ContactInput, ContactPublic]):
    model = ContactInput
    SAVE = save_contact
    ROW_ARGUMENT = "contact_id"
    HEADINGS = ("Log a contact", "Edit a contact")

    def __init__(
        self,
        record: HouseholdPublic,
        today: date,
        item: ContactPublic | None = None,
        *,
        standing: Recontact = Recontact.NONE,
    ) -> None:
        """`standing` is the re-contact the household's latest contact set: a new contact
        keeps it unless changed, so logging a call never silently ends a welfare check."""
        super().__init__(record, today, item)
        self._standing = standing

    def fields(self) -> list[Widget]:
        c = self.item
        return [
            date_field("Date", "contacted_on", c.contacted_on if c else self.today),
            code_field("How", "mode", ContactMode, c.mode if c else None),
            FormField(
                "Who took part",
                Checklist(
                    [(name, str(person_id)) for person_id, name in self._members().items()],
                    {str(person_id) for person_id in c.participant_ids} if c else set(),
                    id="participant-ids",
                ),
                name="participant_ids",
            ),
            Static("", id="consent-withdrawn", classes="form-hint"),
            text_field(
                "Others there", "participants", c.participants if c else "", hint="anyone else"
            ),
            text_field("Purpose", "purpose", c.purpose if c else "", hint="e.g. welfare check"),
            note_field("Note", "note", c.note if c else ""),
            code_field(
                "Contact again", "recontact", Recontact, c.recontact if c else self._standing
            ),
        ]

    def on_mount(self) -> None:
        super().on_mount()
        self._say_withdrawn()

    @on(Select.Changed, "#mode")
    @on(Checklist.Ticked, "#participant-ids")
    def _say_withdrawn(self) -> None:
        """Name the members ticked who withdrew consent to be contacted the way chosen."""
        chosen = self.query_one("#mode", Select).value
        mode = ContactMode(chosen) if isinstance(chosen, str) else None
        ticked = self.query_one("#participant-ids", Checklist).selected
        names = [
            person.full_name
            for person in self.record.members
            if mode is not None
            and str(person.id) in ticked
            and consent_withdrawn(mode, person.consents)
        ]
        warning = self.query_one("#consent-withdrawn", Static)
        warning.display = bool(names)
        warning.update(
            user_text(
                f"! {', '.join(names)} withdrew consent to be contacted this way:"
                " log it only if they got in touch."
            )
            if names
            else ""
        )

    def _members(self) -> dict[int, str]:
        """The members to tick: the current ones, and any who took part and have left."""
        members = {person.id: person.full_name for person in self.record.members}
        if self.item is not None:
            left = {person.id: person.full_name for person in self.record.former_members}
            for person_id, name in zip(
                self.item.participant_ids, self.item.participant_names, strict=False
            ):
                if person_id not in members:
                    members[person_id] = f"{left.get(person_id, name)} (has left)"
        return members

    def describe(self, name: str, value: object) -> str:
        if name == "participant_ids" and isinstance(value, list):
            members = self._members()
            return ", ".join(members.get(int(v), f"member #{v}") for v in value) or "—"
        return super().describe(name, value)


class ContactsScreen(CaseListScreen[ContactPublic]):
    TITLE = "Contacts"
    COLUMNS = (
        ("on", "Date"),
        ("mode", "How"),
        ("purpose", "Purpose"),
        ("again", "Again"),
        ("by", "Logged by"),
    )
    STRETCH = "purpose"  # below the table the highlighted contact's purpose is in full
    EMPTY = "No contacts logged yet: n logs one."
    FORM = ContactForm

    def list_query(self, *, audited: bool) -> Query[list[ContactPublic]]:
        return partial(household_contacts, household_id=self.household_id, audited=audited)

    def form(self, item: ContactPublic | None) -> ContactForm:
        assert self.record is not None
        standing = self.items[0].recontact if self.items else Recontact.NONE
        return ContactForm(self.record, self.hiw_app.today(), item, standing=standing)

    def heading(self) -> Text:
        title = super().heading()
        if self.items:
            latest = self.items[0]
            due = next_contact_due(latest.contacted_on, latest.recontact)
            today = self.hiw_app.today()
            title.append(f"   Next contact due: {next_contact_text(due, today)}")
        return title

    def cells(self, item: ContactPublic) -> Sequence[RenderableType]:
        return (
            Text(item.contacted_on.isoformat()),
            Text(item.mode.label),
            user_text(item.purpose),
            Text("—" if item.recontact is Recontact.NONE else item.recontact.label),
            user_text(short_name(item.entered_by_name, LOGGED_BY)),
        )

    def detail(self, item: ContactPublic) -> RenderableType:
        return Text.assemble(
            ("Purpose: ", "bold"),
            user_text(item.purpose or "—"),
            "\n",
            ("With: ", "bold"),
            user_text(", ".join(filter(None, [*item.participant_names, item.participants])) or "—"),
            "\n",
            ("Note: ", "bold"),
            user_block(item.note or "—"),
        )
