"""A household's consents: what each member agreed to or withdrew, and the form that
records a new consent or a withdrawal (rows are never edited; the newest stands)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import partial
from typing import Any

from rich.console import RenderableType
from rich.text import Text

from hiw_tui.db.casework.models import ConsentPublic
from hiw_tui.db.core.engine import Query
from hiw_tui.db.core.models import HouseholdPublic
from hiw_tui.db.privacy.consent import household_consents, record_consent
from hiw_tui.domain.case_inputs import ConsentInput
from hiw_tui.domain.codes import ConsentPurpose
from hiw_tui.screens.base.case_list import CaseListScreen
from hiw_tui.screens.base.form import FormScreen
from hiw_tui.screens.base.form_fields import (
    choice_field,
    code_field,
    date_field,
    member_choices,
    partner_field,
    yes_no_field,
)
from hiw_tui.widgets.field import FormField
from hiw_tui.widgets.text import user_text


def member_name(record: HouseholdPublic, person_id: int) -> str:
    return next((p.full_name for p in record.members if p.id == person_id), "a former member")


def consent_label(consent: ConsentPublic) -> str:
    if consent.partner_name:
        return f"Share with {consent.partner_name}"
    return consent.purpose.label


class ConsentForm(FormScreen[ConsentInput, list[ConsentPublic]]):
    """Record consent; opened on a standing consent, it starts from that one (to withdraw)."""

    model = ConsentInput
    heading = "Record consent or its withdrawal"

    def __init__(
        self, record: HouseholdPublic, today: date, item: ConsentPublic | None = None
    ) -> None:
        super().__init__()
        self.record, self.today, self.item = record, today, item

    def fields(self) -> list[FormField]:
        c = self.item
        partner = (c.partner_name, c.partner_id) if c and c.partner_id and c.partner_name else None
        return [
            choice_field(
                "Who",
                "person_id",
                member_choices(self.record),
                c.person_id if c else None,
                prompt="Choose a member",
            ),
            code_field("For", "purpose", ConsentPurpose, c.purpose if c else None),
            partner_field(
                "Partner service", "partner_id", partner, prompt="Only for sharing with a partner"
            ),
            yes_no_field(
                "Consent",
                "given",
                not c.given if c else True,
                yes="Given",
                no="Withdrawn",
            ),
            date_field("On", "on", self.today),
        ]

    def save(self, data: ConsentInput) -> Query[Any]:
        return partial(record_consent, data=data, household_id=self.record.id)


class ConsentScreen(CaseListScreen[ConsentPublic]):
    TITLE = "Consent"
    COLUMNS = (("who", "Who"), ("for", "For"), ("state", "Consent"), ("on", "Since"))
    STRETCH = "for"
    EMPTY = "No consent recorded yet: n records what a member agreed to."
    FORM = ConsentForm  # type: ignore[assignment]  # adds rows only: not an ItemForm

    def list_query(self, *, audited: bool) -> Query[list[ConsentPublic]]:
        return partial(household_consents, household_id=self.household_id, audited=audited)

    def row_key(self, item: ConsentPublic) -> str:
        return f"{item.person_id}-{item.purpose}-{item.partner_id}"

    def cells(self, item: ConsentPublic) -> Sequence[RenderableType]:
        assert self.record is not None
        return (
            user_text(member_name(self.record, item.person_id), limit=24),
            user_text(consent_label(item)),
            # Padded: the column keeps the width of its first rows when the list reloads.
            Text(
                "Given".ljust(9) if item.given else "Withdrawn", style="" if item.given else "bold"
            ),
            Text(item.on.isoformat()),
        )

    def detail(self, item: ConsentPublic) -> RenderableType:
        # In full: a partner's name may be cut in its column.
        return Text.assemble(
            user_text(consent_label(item)),
            f": {'given' if item.given else 'withdrawn'} {item.on.isoformat()}, recorded by ",
            user_text(item.recorded_by_name),
            ". Enter records a change (a withdrawal, or consent given again).",
        )

    def action_back(self) -> None:
        self.dismiss(None)  # the record re-reads, to show what now stands at a glance
