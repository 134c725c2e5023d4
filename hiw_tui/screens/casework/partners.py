"""The programme's list of partner services, and the form that adds one or corrects one."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any

from rich.console import RenderableType
from rich.text import Text

from hiw_tui.db.casework.models import PartnerPublic
from hiw_tui.db.casework.partners import list_partners, save_partner
from hiw_tui.db.core.engine import Query
from hiw_tui.domain.case_inputs import PartnerInput
from hiw_tui.domain.codes import PartnerKind
from hiw_tui.screens.base.case_list import CaseListScreen
from hiw_tui.screens.base.form import FormScreen
from hiw_tui.screens.base.form_fields import code_field, text_field, yes_no_field
from hiw_tui.widgets.field import FormField
from hiw_tui.widgets.text import user_text


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


class PartnersScreen(CaseListScreen[PartnerPublic]):
    TITLE = "Partner services"
    COLUMNS = (("name", "Name"), ("kind", "Type"), ("active", "Active"))
    STRETCH = "name"
    EMPTY = "No partner services yet: n adds one."
    AUDITED = False  # the list holds no personal data

    def list_query(self, *, audited: bool) -> Query[list[PartnerPublic]]:
        return list_partners

    def heading(self) -> Text:
        return Text("Partner services, shared by every area", style="bold")

    def cells(self, item: PartnerPublic) -> Sequence[RenderableType]:
        return (
            user_text(item.name),
            Text(item.kind.label),
            Text("yes" if item.active else "no"),
        )

    def detail(self, item: PartnerPublic) -> RenderableType:
        return Text.assemble(("Contact: ", "bold"), user_text(item.contact or "—"))

    def form(self, item: PartnerPublic | None) -> PartnerForm:
        return PartnerForm(item)

    def _saved(self, items: Any) -> None:
        self.action_reload(audited=False)
