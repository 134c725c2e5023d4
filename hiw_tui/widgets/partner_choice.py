"""The choice of a partner service: a select of the programme's partner list."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Select

from hiw_tui.db.casework.models import PartnerPublic
from hiw_tui.domain.codes import PartnerKind
from hiw_tui.domain.text import clean_line


def partner_label(partner: PartnerPublic) -> Text:
    kind = PartnerKind(partner.kind).label
    inactive = "" if partner.active else ", no longer active"
    return Text(f"{clean_line(partner.name)} ({kind}{inactive})")


class PartnerChoice(Select[int]):
    """Offers the active partners, and the chosen one even when it is no longer active.

    Until the screen sets `partners` (it loads them after mount) the only option is the
    partner already chosen, `chosen` as (name, id). Posts `PartnerChoice.Changed` when
    the person chooses another partner, or none.
    """

    partners: reactive[list[PartnerPublic]] = reactive(list, init=False, always_update=True)
    """The partner list; setting it keeps the choice where it is still offered."""

    class Changed(Select.Changed):
        """The partner chosen changed: `value` is its id, or `Select.NULL` for none."""

    def __init__(self, chosen: tuple[str, int] | None, *, prompt: str, id: str) -> None:
        super().__init__(
            [(Text(clean_line(chosen[0])), chosen[1])] if chosen else [],
            value=chosen[1] if chosen else Select.NULL,
            prompt=prompt,
            id=id,
            compact=True,
        )

    def watch_partners(self, partners: list[PartnerPublic]) -> None:
        chosen = self.value
        offered = [p for p in partners if p.active or p.id == chosen]
        with self.prevent(self.Changed):  # the choice stays as it was
            self.set_options([(partner_label(p), p.id) for p in offered])
            if any(p.id == chosen for p in offered):
                self.value = chosen
