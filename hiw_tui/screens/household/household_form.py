"""Register a household or edit one: reference, area, advocate, status, route, dates.

A household is registered as referred, on the day the referral came (today, unless
changed), with no start date: it gets one when it starts (any status but referred
needs one)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import partial

from rich.text import Text
from textual import on
from textual.message import Message
from textual.widgets import Input, Select

from hiw_tui.db.access.users import list_advocates
from hiw_tui.db.core.engine import Query
from hiw_tui.db.core.models import HouseholdPublic, UserPublic
from hiw_tui.db.households.households import create_household, suggest_reference, update_household
from hiw_tui.domain.access import Permission
from hiw_tui.domain.codes import (
    OPEN_STATUSES,
    HouseholdStatus,
    LocalAuthority,
    Programme,
    ReferralRoute,
    UserRole,
)
from hiw_tui.domain.validation import HouseholdInput
from hiw_tui.screens.base.form import FormScreen
from hiw_tui.screens.base.form_fields import code_field, date_field, text_field, yes_no_field
from hiw_tui.widgets.checklist import Checklist
from hiw_tui.widgets.field import FormField


class HouseholdForm(FormScreen[HouseholdInput, HouseholdPublic]):
    """New household when `record` is None, else an edit of `record` at its version."""

    model = HouseholdInput

    @dataclass
    class AdvocatesLoaded(Message):
        advocates: list[UserPublic]

    @dataclass
    class ReferenceSuggested(Message):
        reference: str

    def __init__(
        self,
        *,
        actor: UserPublic,
        today: date,
        record: HouseholdPublic | None = None,
        focus: str | None = None,
    ) -> None:
        """`focus` names the control to start in (a selector such as "#advocate")."""
        super().__init__(version=record.version if record else None)
        self._focus = focus
        self._actor = actor
        self._today = today
        self._record = record
        self._suggested = ""
        # The advocates the select offers before the area's list arrives: the current one.
        self._advocate_names: dict[int, str] = {}
        if record is not None:
            self._advocate_names[record.advocate_id] = record.advocate_name
        elif actor.role is UserRole.ADVOCATE:
            self._advocate_names[actor.id] = actor.display_name
        self.heading = f"Edit household {record.reference}" if record else "Register a household"

    def fields(self) -> list[FormField]:
        record, actor = self._record, self._actor
        area = (
            record.local_authority
            if record
            else actor.local_authority or LocalAuthority.LIVERPOOL.value
        )
        advocate = (
            record.advocate_id
            if record
            else (actor.id if actor.role is UserRole.ADVOCATE else None)
        )
        return [
            text_field("Reference", "reference", record.reference if record else ""),
            FormField(
                "Local authority",
                Select(
                    LocalAuthority.choices(),
                    value=area,
                    allow_blank=False,
                    id="local-authority",
                    compact=True,
                    disabled=not actor.can(Permission.ALL_AREAS),
                ),
                name="local_authority",
            ),
            FormField(
                "Advocate",
                Select[int](
                    [(Text(name), user_id) for user_id, name in self._advocate_names.items()],
                    value=advocate if advocate is not None else Select.NULL,
                    prompt="Choose an advocate",
                    id="advocate",
                    compact=True,
                    disabled=actor.role is UserRole.ADVOCATE,
                ),
                name="advocate_id",
            ),
            FormField(
                "Status",
                Select(
                    HouseholdStatus.choices(),
                    value=record.status if record else HouseholdStatus.REFERRED.value,
                    allow_blank=False,
                    id="status",
                    compact=True,
                ),
                name="status",
            ),
            code_field(
                "Referral route",
                "referral_route",
                ReferralRoute,
                record.referral_route if record else None,
                prompt="How did they come to us?",
            ),
            date_field("Referred on", "referred_on", record.referred_on if record else self._today),
            text_field(
                "Start date",
                "start_date",
                record.start_date if record else None,
                hint="YYYY-MM-DD, blank until they start",
            ),
            text_field(
                "End date",
                "end_date",
                record.end_date if record else None,
                hint="YYYY-MM-DD, when exited or withdrawn",
            ),
            FormField(
                "Before HiW",
                Checklist(
                    Programme.choices(),
                    set(record.previous_programme_codes) if record else set(),
                    id="previous-programme-codes",
                ),
                name="previous_programme_codes",
            ),
            text_field(
                "Before HiW, other",
                "previous_programmes",
                record.previous_programmes if record else "",
                hint="any programme not listed above",
            ),
            yes_no_field(
                "Safe contact",
                "safe_contact",
                record.safe_contact if record else False,
                yes="Safe contact only: address and phones for the advocate alone",
                no="No restriction",
            ),
        ]

    def on_mount(self) -> None:
        self._load_area(
            self.query_one("#local-authority", Select).value, suggest=self._record is None
        )
        first = self._focus or ("#reference" if self._record is None else "#status")
        self.set_focus(self.query_one(first))

    def _load_area(self, area: object, *, suggest: bool) -> None:
        if area is Select.NULL:
            return
        local_authority = LocalAuthority(str(area))
        self.run_db(
            partial(list_advocates, local_authority=local_authority),
            self.AdvocatesLoaded,
            group="advocates",
        )
        if suggest:
            self.run_db(
                partial(suggest_reference, local_authority=local_authority),
                self.ReferenceSuggested,
                group="reference",
            )

    @on(Select.Changed, "#local-authority")
    def _area_changed(self, event: Select.Changed) -> None:
        reference = self.query_one("#reference", Input).value
        self._load_area(
            event.value,
            suggest=self._record is None and (not reference or reference == self._suggested),
        )

    def check(self, data: HouseholdInput) -> dict[str, str]:
        """An exit is recorded with its reason and destination on its own form; a case is
        open (active or short term) only once it has members to work with."""
        before = self._record.status if self._record else None
        if data.status is HouseholdStatus.EXITED and before != HouseholdStatus.EXITED:
            return {"status": "Record an exit with X on the record: it asks where they go."}
        if data.status in OPEN_STATUSES and not (self._record and self._record.members):
            return {
                "status": f"A household needs members before it is {data.status.label}: save"
                " it as Referred, add them, then change its status."
            }
        return {}

    def describe(self, name: str, value: object) -> str:
        if name == "advocate_id":
            known = self._advocate_names.get(value) if isinstance(value, int) else None
            return known or f"advocate #{value}"
        return super().describe(name, value)

    def on_household_form_advocates_loaded(self, message: AdvocatesLoaded) -> None:
        self._advocate_names.update((user.id, user.display_name) for user in message.advocates)
        select = self.query_one("#advocate", Select)
        current = select.value
        options = [(Text(user.display_name), user.id) for user in message.advocates]
        select.set_options(options)
        if any(user.id == current for user in message.advocates):
            select.value = current
        elif self._record is not None and current == self._record.advocate_id:
            # Its advocate can no longer sign in (a leaver), so is not offered: the form
            # opens without one, and choosing one is the change.
            self.remember("advocate_id")

    def on_household_form_reference_suggested(self, message: ReferenceSuggested) -> None:
        reference = self.query_one("#reference", Input)
        if reference.value in ("", self._suggested):  # never over what someone typed
            reference.value = message.reference
            self.remember("reference")  # the form's own suggestion is not a change
        self._suggested = message.reference

    def save(self, data: HouseholdInput) -> Query[HouseholdPublic]:
        if self._record is None:
            return partial(create_household, data=data)
        return partial(
            update_household, data=data, household_id=self._record.id, version=self.edited_version
        )
