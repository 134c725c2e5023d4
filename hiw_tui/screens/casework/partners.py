"""The programme's list of partner services: add one, or correct one."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.console import RenderableType
from rich.text import Text

from hiw_tui.db.casework.models import PartnerPublic
from hiw_tui.db.casework.partners import list_partners
from hiw_tui.db.core.engine import Query
from hiw_tui.screens.base.case_list import CaseListScreen
from hiw_tui.screens.base.partner_form import PartnerForm
from hiw_tui.widgets.text import user_text


class PartnersScreen(CaseListScreen[PartnerPublic]):
    TITLE = "Partner services"
    COLUMNS = (("name", "Name"), ("kind", "Type"), ("active", "Active"))
    EMPTY = "No partner services yet: n adds one."
    AUDITED = False  # the list holds no personal data

    def list_query(self, *, audited: bool) -> Query[list[PartnerPublic]]:
        return list_partners

    def heading(self) -> Text:
        return Text("Partner services, shared by every area", style="bold")

    def cells(self, item: PartnerPublic) -> Sequence[RenderableType]:
        return (
            user_text(item.name[:40]),
            Text(item.kind.label),
            Text("yes" if item.active else "no"),
        )

    def detail(self, item: PartnerPublic) -> RenderableType:
        return Text.assemble(("Contact: ", "bold"), user_text(item.contact or "—"))

    def form(self, item: PartnerPublic | None) -> PartnerForm:
        return PartnerForm(item)

    def _saved(self, items: Any) -> None:
        self.action_reload(audited=False)
