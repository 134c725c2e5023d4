"""Add a household member or edit one: who they are, how to reach them, what they need."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from textual.widgets import Input, Select

from hiw_tui.db.models import HouseholdPublic, PersonPublic
from hiw_tui.db.people import add_person, update_person
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
from hiw_tui.domain.validation import PersonInput
from hiw_tui.screens.form import FormScreen
from hiw_tui.widgets.checklist import Checklist
from hiw_tui.widgets.field import FormField


def _choose(
    codes: type[Coded], value: str | None, *, id: str, prompt: str = "Choose"
) -> Select[str]:
    return Select(
        codes.choices(), value=value if value else Select.NULL, prompt=prompt, id=id, compact=True
    )


def _ticks(codes: type[Coded], chosen: tuple[str, ...], *, id: str) -> Checklist:
    return Checklist(codes.choices(), chosen, id=id)


class PersonForm(FormScreen[PersonInput, HouseholdPublic]):
    """A new member of household `household_id` when `person` is None, else an edit."""

    model = PersonInput

    def __init__(self, *, household_id: int, person: PersonPublic | None = None) -> None:
        super().__init__(version=person.version if person else None)
        self._household_id = household_id
        self._person = person
        self.heading = f"Edit {person.full_name}" if person else "Add a household member"

    def fields(self) -> list[FormField]:
        p = self._person

        def text(label: str, name: str) -> FormField:
            value = getattr(p, name) if p else ""
            shown = value.isoformat() if isinstance(value, date) else str(value)
            hint = "YYYY-MM-DD" if name == "date_of_birth" else ""
            return FormField(
                label,
                Input(shown, placeholder=hint, compact=True, id=name.replace("_", "-")),
                name=name,
            )

        return [
            FormField(
                "Role in the household",
                _choose(MemberRole, p.role if p else None, id="role"),
                name="role",
            ),
            text("Given name", "given_name"),
            text("Family name", "family_name"),
            text("Date of birth", "date_of_birth"),
            FormField(
                "Gender", _choose(Gender, p.gender if p else None, id="gender"), name="gender"
            ),
            FormField(
                "Ethnicity",
                _choose(Ethnicity, p.ethnicity if p else None, id="ethnicity"),
                name="ethnicity",
            ),
            text("Address", "address"),
            text("Postcode", "postcode"),
            text("Phone", "phone"),
            text("Email", "email"),
            FormField(
                "Time since last work",
                _choose(TimeSinceWork, p.time_since_work if p else None, id="time-since-work"),
                name="time_since_work",
            ),
            FormField(
                "Highest qualification",
                _choose(Qualification, p.qualification if p else None, id="qualification"),
                name="qualification",
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

    def save(self, data: PersonInput) -> tuple[Callable[..., HouseholdPublic], dict[str, Any]]:
        if self._person is None:
            return add_person, {"household_id": self._household_id}
        return update_person, {"person_id": self._person.id, "version": self.version}
