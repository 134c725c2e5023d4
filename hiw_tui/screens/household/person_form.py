"""Add a household member or edit one: who they are, how to reach them, what they need."""

from __future__ import annotations

from functools import partial

from hiw_tui.db.core.engine import Query
from hiw_tui.db.core.models import HouseholdPublic, PersonPublic
from hiw_tui.db.households.duplicates import Sought
from hiw_tui.db.households.people import add_person, update_person
from hiw_tui.domain.codes import (
    Benefit,
    Coded,
    Ethnicity,
    Gender,
    MemberRole,
    Qualification,
    SupportNeed,
    TimeSinceWork,
)
from hiw_tui.domain.duplicates import Candidate
from hiw_tui.domain.sensitive import WITHHELD
from hiw_tui.domain.validation import PersonInput
from hiw_tui.screens.base.form_fields import code_field, date_field, text_field
from hiw_tui.screens.household.duplicate_check import DuplicateCheckForm
from hiw_tui.widgets.checklist import Checklist
from hiw_tui.widgets.field import FormField


def _ticks(codes: type[Coded], chosen: tuple[str, ...], *, id: str) -> Checklist:
    return Checklist(codes.choices(), chosen, id=id)


class PersonForm(DuplicateCheckForm[PersonInput, HouseholdPublic]):
    """A new member of household `household_id` when `person` is None, else an edit.
    A new member is looked for among the people held before saving (possible
    duplicates)."""

    model = PersonInput

    def __init__(self, *, household_id: int, person: PersonPublic | None = None) -> None:
        super().__init__(version=person.version if person else None)
        self._household_id = household_id
        self._person = person
        self.heading = f"Edit {person.full_name}" if person else "Add a household member"

    def fields(self) -> list[FormField]:
        p = self._person

        def text(label: str, name: str) -> FormField:
            return text_field(label, name, getattr(p, name) if p else "")

        def contact(label: str, name: str) -> FormField:
            """A contact detail; withheld from this reader, it cannot be typed over (the
            stored one is kept), and says so."""
            if p is None or not p.contact_hidden:
                return text(label, name)
            field = text_field(label, name, hint=WITHHELD)
            field.control.disabled = True
            return field

        return [
            code_field("Role in the household", "role", MemberRole, p.role if p else None),
            text("Given name", "given_name"),
            text("Family name", "family_name"),
            date_field("Date of birth", "date_of_birth", p.date_of_birth if p else None),
            code_field("Gender", "gender", Gender, p.gender if p else None),
            code_field("Ethnicity", "ethnicity", Ethnicity, p.ethnicity if p else None),
            contact("Address", "address"),
            contact("Postcode", "postcode"),
            contact("Phone", "phone"),
            contact("Email", "email"),
            code_field(
                "Time since last work",
                "time_since_work",
                TimeSinceWork,
                p.time_since_work if p else None,
            ),
            code_field(
                "Highest qualification",
                "qualification",
                Qualification,
                p.qualification if p else None,
            ),
            FormField(
                "Support needs",
                _ticks(SupportNeed, p.support_needs if p else (), id="support-needs"),
                name="support_needs",
            ),
            FormField(
                "Benefits", _ticks(Benefit, p.benefits if p else (), id="benefits"), name="benefits"
            ),
        ]

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#role" if self._person is None else "#given-name"))

    def sought(self, data: PersonInput) -> Sought | None:
        if self._person is not None:
            return None
        person = Candidate(
            data.given_name, data.family_name, data.date_of_birth, data.phone, data.email
        )
        return person, self._household_id

    def save(self, data: PersonInput) -> Query[HouseholdPublic]:
        if self._person is None:
            return partial(add_person, data=data, household_id=self._household_id)
        return partial(
            update_person, data=data, person_id=self._person.id, version=self.edited_version
        )
