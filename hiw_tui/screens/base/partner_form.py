"""Forms that offer a choice of partner service, and the partner form itself."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import ClassVar, TypeVar

from pydantic import BaseModel
from rich.text import Text
from textual.message import Message
from textual.widgets import Select

from hiw_tui.db.casework.models import PartnerPublic
from hiw_tui.db.casework.partners import list_partners, save_partner
from hiw_tui.db.core.engine import Query
from hiw_tui.domain.case_inputs import PartnerInput
from hiw_tui.domain.codes import PartnerKind
from hiw_tui.domain.text import clean_line
from hiw_tui.screens.base.form import FormScreen
from hiw_tui.screens.base.form_fields import code_field, control_id, text_field, yes_no_field
from hiw_tui.widgets.field import FormField

M = TypeVar("M", bound=BaseModel)
R = TypeVar("R")


def partner_label(partner: PartnerPublic) -> Text:
    kind = partner.kind.label
    inactive = "" if partner.active else ", no longer active"
    return Text(f"{clean_line(partner.name)} ({kind}{inactive})")


class PartnerChoiceForm(FormScreen[M, R]):
    """A form whose `PARTNER_FIELDS` selects are filled with the partner list after mount."""

    PARTNER_FIELDS: ClassVar[tuple[str, ...]] = ("partner_id",)

    @dataclass
    class PartnersLoaded(Message):
        partners: list[PartnerPublic]

    def on_mount(self) -> None:
        self.run_db(list_partners, self.PartnersLoaded)

    def on_partner_choice_form_partners_loaded(self, message: PartnersLoaded) -> None:
        for name in self.PARTNER_FIELDS:
            select: Select[int] = self.query_one(f"#{control_id(name)}", Select)
            chosen = select.value
            partners = [p for p in message.partners if p.active or p.id == chosen]
            select.set_options([(partner_label(p), p.id) for p in partners])
            if any(p.id == chosen for p in partners):
                select.value = chosen


class PartnerForm(FormScreen[PartnerInput, PartnerPublic]):
    """Add a partner service to the list, or correct one (`partner` given)."""

    model = PartnerInput

    def __init__(self, partner: PartnerPublic | None = None) -> None:
        super().__init__(version=partner.version if partner else None)
        self._partner = partner
        self.heading = "Edit a partner service" if partner else "Add a partner service"

    def fields(self) -> list[FormField]:
        p = self._partner
        return [
            text_field("Name", "name", p.name if p else ""),
            code_field("Type of service", "kind", PartnerKind, p.kind if p else None),
            text_field("Contact", "contact", p.contact if p else "", hint="phone or email"),
            yes_no_field(
                "Active",
                "active",
                p.active if p else True,
                yes="Yes: offered for new referrals",
                no="No: no longer used",
            ),
        ]

    def save(self, data: PartnerInput) -> Query[PartnerPublic]:
        if self._partner is None:
            return partial(save_partner, data=data)
        return partial(save_partner, data=data, partner_id=self._partner.id, version=self.version)
