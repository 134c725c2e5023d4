"""A household's referrals to partner services, and the referral form."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from rich.console import RenderableType
from rich.text import Text
from textual.binding import Binding
from textual.widgets import Select

from hiw_tui.db.casework.models import ReferralPublic
from hiw_tui.db.casework.referrals import household_referrals, save_referral
from hiw_tui.db.core.engine import Query
from hiw_tui.domain.access import Permission
from hiw_tui.domain.case_inputs import ReferralInput
from hiw_tui.domain.codes import ReferralStatus
from hiw_tui.screens.base.case_list import CaseListScreen
from hiw_tui.screens.base.form_fields import (
    choice_field,
    code_field,
    date_field,
    member_choices,
    note_field,
    partner_field,
    restamp,
    text_field,
    yes_no_field,
)
from hiw_tui.screens.base.item_form import ItemForm
from hiw_tui.widgets.field import FormField
from hiw_tui.widgets.text import user_block, user_text


class ReferralForm(ItemForm[ReferralInput, ReferralPublic]):
    """Ctrl+K opens the household's consent over the form: a referral refused for want of
    consent is recorded there and saved again, nothing typed lost. It comes before the
    text fields' own Ctrl+K (delete to the end of the line), which would otherwise take
    it wherever the refusal leaves the cursor (a supervisor's reason for sharing)."""

    BINDINGS = [Binding("ctrl+k", "consent", "Consent", show=False, priority=True)]
    model = ReferralInput
    SAVE = save_referral
    ROW_ARGUMENT = "referral_id"
    HEADINGS = ("Make a referral", "Edit a referral")

    def fields(self) -> list[FormField]:
        r, today = self.item, self.today
        override = []
        # Only a supervisor may share without consent.
        if self.hiw_app.actor.can(Permission.OVERSEE):
            override = [
                text_field(
                    "Without consent because",
                    "consent_override",
                    r.consent_override if r else "",
                    hint="only where consent to share is missing",
                )
            ]
        return [
            partner_field(
                "Partner service",
                "partner_id",
                (r.partner_name, r.partner_id) if r else None,
                prompt="Choose a partner (P on the list adds one)",
            ),
            choice_field(
                "For",
                "person_id",
                member_choices(self.record),
                r.person_id if r else None,
                prompt="The whole household",
            ),
            text_field("Purpose", "purpose", r.purpose if r else ""),
            code_field("Status", "status", ReferralStatus, r.status if r else "made"),
            date_field("Made on", "made_on", r.made_on if r else today),
            date_field("Status since", "status_on", r.status_on if r else today),
            note_field("Outcome note", "outcome_note", r.outcome_note if r else ""),
            yes_no_field(
                "Onward",
                "onward",
                r.onward if r else False,
                yes="Yes: made on leaving the programme",
                no="No: during support",
            ),
            *override,
        ]

    def action_consent(self) -> None:
        from hiw_tui.screens.household.consent import ConsentScreen

        # Back, the refusal's marks go: the next save says again if consent is missing.
        self.app.push_screen(ConsentScreen(self.record), lambda _: self.show_errors({}))

    def on_select_changed(self, event: Select.Changed) -> None:
        before = self.item.status if self.item else None
        restamp(self, event, before, "#status-on", self.today)


class ReferralsScreen(CaseListScreen[ReferralPublic]):
    TITLE = "Referrals"
    BINDINGS = [Binding("P", "partners", "Partners")]
    COLUMNS = (
        ("made", "Made"),
        ("partner", "Partner"),
        ("for", "For"),
        ("status", "Status"),
        ("since", "Since"),
    )
    STRETCH = "partner"
    EMPTY = "No referrals yet: n makes one, P adds a partner service to the list."
    FORM = ReferralForm

    def list_query(self, *, audited: bool) -> Query[list[ReferralPublic]]:
        return partial(household_referrals, household_id=self.household_id, audited=audited)

    def cells(self, item: ReferralPublic) -> Sequence[RenderableType]:
        onward = " (onward)" if item.onward else ""
        return (
            Text(item.made_on.isoformat()),
            user_text(item.partner_name),
            user_text(item.person_name or "Household"),
            Text(item.status.label + onward),
            Text(item.status_on.isoformat()),
        )

    def detail(self, item: ReferralPublic) -> RenderableType:
        shown = Text.assemble(
            ("Purpose: ", "bold"),
            user_text(item.purpose or "—"),
            "\n",
            ("Outcome: ", "bold"),
            user_block(item.outcome_note or "—"),
        )
        if item.consent_override:
            shown.append("\nShared without consent: ", "bold")
            shown.append_text(user_text(item.consent_override))
        return shown

    def action_partners(self) -> None:
        from hiw_tui.screens.casework.partners import PartnersScreen

        self.app.push_screen(PartnersScreen())
