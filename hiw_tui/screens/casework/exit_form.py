"""Leaving the programme: reason, destination, onward referral and a phased exit; and
the question a case past its 12 weeks (short term) or 12 months asks."""

from __future__ import annotations

from datetime import date
from functools import partial

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from hiw_tui.db.casework.exits import exit_household
from hiw_tui.db.core.engine import Query
from hiw_tui.db.core.models import HouseholdPublic
from hiw_tui.domain.access import Permission
from hiw_tui.domain.case_inputs import ExitInput
from hiw_tui.domain.casework import EXIT_CHECKIN_WEEKS
from hiw_tui.domain.codes import Destination, ExitReason, HouseholdStatus
from hiw_tui.screens.base.form import FormScreen
from hiw_tui.screens.base.form_fields import (
    code_field,
    date_field,
    partner_field,
    text_field,
    yes_no_field,
)
from hiw_tui.widgets.field import FormField
from hiw_tui.widgets.text import user_text

CONVERT, EXIT = "convert", "exit"


class ExitForm(FormScreen[ExitInput, HouseholdPublic]):
    model = ExitInput

    def __init__(self, record: HouseholdPublic, today: date, reason: str | None = None) -> None:
        super().__init__(version=record.version)
        self._record, self._today, self._reason = record, today, reason
        self.heading = f"Exit {record.reference} from the programme"

    def fields(self) -> list[FormField]:
        """The onward referral needs the household's consent to share, as any referral
        does: a refusal shows beside "Onward referral to", and only a supervisor is offered
        the reason for going ahead without it."""
        weeks = ", ".join(map(str, EXIT_CHECKIN_WEEKS))
        override = []
        if self.hiw_app.actor.can(Permission.OVERSEE):
            override = [
                text_field(
                    "Without consent because",
                    "onward_consent_override",
                    hint="only where consent to share is missing",
                )
            ]
        return [
            date_field("Exit date", "end_date", self._today),
            code_field("Reason", "reason", ExitReason, self._reason),
            code_field("Destination", "destination", Destination, None),
            text_field("Destination detail", "destination_note", hint="e.g. Ways to Work"),
            partner_field(
                "Onward referral to", "onward_partner_id", None, prompt="No onward referral"
            ),
            text_field("Referral purpose", "onward_purpose"),
            *override,
            yes_no_field(
                "Phased exit",
                "phased",
                True,
                yes=f"Yes: check in after {weeks} weeks",
                no="No check-ins",
            ),
        ]

    def save(self, data: ExitInput) -> Query[HouseholdPublic]:
        return partial(
            exit_household, data=data, household_id=self._record.id, version=self.edited_version
        )


class SupportDueScreen(ModalScreen[str | None]):
    """Support is up (12 weeks short term, 12 months in full): a short-term case converts
    to full registration or exits with an onward referral; a full case exits, by a
    phased exit where that suits. Dismisses with CONVERT, EXIT, or None (ask again next
    time the record opens)."""

    BINDINGS = [
        Binding("c", "dismiss('convert')", "Convert"),
        Binding("x", "dismiss('exit')", "Exit"),
        Binding("escape", "dismiss(None)", "Later"),
    ]

    def __init__(self, record: HouseholdPublic, ends: date) -> None:
        super().__init__()
        self._record, self._ends = record, ends
        self._short_term = record.status == HouseholdStatus.SHORT_TERM

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self._short_term or parameters != ("convert",)

    def compose(self) -> ComposeResult:
        start = self._record.start_date  # set: support ends only once it has started
        started = start.isoformat() if start else "?"
        if self._short_term:
            title = "Short-term support has reached 12 weeks"
            facts = f" started short-term support on {started}; its 12 weeks ended on "
            choices = (
                "c  convert to full registration (a second eligible householder has joined)\n"
                "x  exit, with an onward referral (e.g. Citizens Advice)\n"
            )
        else:
            title = "Support has reached 12 months"
            facts = f" started on {started}; its 12 months of support ended on "
            choices = "x  exit, with a phased exit and onward referral where they help\n"
        with Vertical(classes="dialog"):
            yield Label(title, classes="dialog-title")
            yield Static(
                Text.assemble(
                    user_text(self._record.reference, style="bold"),
                    f"{facts}{self._ends.isoformat()}.\n\n",
                    choices,
                    "Esc  decide later",
                )
            )
