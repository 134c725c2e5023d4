"""Building blocks for the form fields: text, dates, code lists, yes/no, and choices
loaded from the database (partners, members)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from rich.text import Text
from textual.widget import Widget
from textual.widgets import Input, Select

from hiw_tui.db.core.models import HouseholdPublic
from hiw_tui.domain.codes import Coded
from hiw_tui.domain.text import clean_line
from hiw_tui.widgets.field import FormField
from hiw_tui.widgets.note import NoteBox
from hiw_tui.widgets.partner_choice import PartnerChoice


def control_id(name: str) -> str:
    return name.replace("_", "-")


def text_field(label: str, name: str, value: object = "", *, hint: str = "") -> FormField:
    """A text field. Reaching it puts the cursor at the end of what it holds rather than
    selecting it all: a selection barely shows in 16 colours, and Backspace would then
    clear the whole field where one character was meant."""
    shown = "" if value is None else value.isoformat() if isinstance(value, date) else str(value)
    control = Input(
        shown, placeholder=hint, compact=True, id=control_id(name), select_on_focus=False
    )
    return FormField(label, control, name=name)


def note_field(label: str, name: str, value: str = "") -> FormField:
    """A note of several lines (see `NoteBox`)."""
    return FormField(label, NoteBox(value, id=control_id(name)), name=name)


def date_field(label: str, name: str, value: date | None) -> FormField:
    return text_field(label, name, value, hint="YYYY-MM-DD")


def code_field(
    label: str, name: str, codes: type[Coded], value: str | None, *, prompt: str = "Choose"
) -> FormField:
    """A select of one code list, with the stored value chosen (none: the prompt)."""
    control = Select(
        codes.choices(),
        value=value or Select.NULL,
        prompt=prompt,
        id=control_id(name),
        compact=True,
    )
    return FormField(label, control, name=name)


def choice_field(
    label: str, name: str, choices: Sequence[tuple[str, int]], value: int | None, *, prompt: str
) -> FormField:
    """A select of database rows (id, shown literally), e.g. a member or a partner."""
    control = Select[int](
        [(Text(clean_line(text)), key) for text, key in choices],
        value=value if value is not None else Select.NULL,
        prompt=prompt,
        id=control_id(name),
        compact=True,
    )
    return FormField(label, control, name=name)


def partner_field(
    label: str, name: str, chosen: tuple[str, int] | None, *, prompt: str
) -> FormField:
    """A choice of partner service, `chosen` as (name, id); the form loads the list."""
    return FormField(label, PartnerChoice(chosen, prompt=prompt, id=control_id(name)), name=name)


def yes_no_field(label: str, name: str, value: bool, *, yes: str, no: str) -> FormField:
    """A yes/no question as a two-way select: a checkbox shows its state only in colour."""
    control = Select[bool](
        [(yes, True), (no, False)],
        value=value,
        allow_blank=False,
        id=control_id(name),
        compact=True,
    )
    return FormField(label, control, name=name)


def restamp(
    form: Widget, event: Select.Changed, before: object, date_selector: str, today: date
) -> None:
    """A changed status is dated today: put today in its date field (still editable, for
    a change recorded late). Only the select with id "status" does this."""
    if event.select.id == "status" and before is not None and event.value != before:
        form.query_one(date_selector, Input).value = today.isoformat()


def member_choices(record: HouseholdPublic) -> list[tuple[str, int]]:
    """The household's current members, for a "who" select."""
    return [(person.full_name, person.id) for person in record.members]
