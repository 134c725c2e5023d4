"""What a report covers: as of a date, from a date, one local authority, one advocate."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel
from rich.text import Text
from textual import on
from textual.widgets import Select

from hiw_tui.db.core.models import UserPublic
from hiw_tui.domain.access import Permission
from hiw_tui.domain.codes import LocalAuthority, UserRole
from hiw_tui.domain.counting import Period
from hiw_tui.reports.kinds import Kind
from hiw_tui.screens.base.form_fields import code_field, date_field
from hiw_tui.screens.base.local_form import LocalForm
from hiw_tui.widgets.field import FormField
from hiw_tui.widgets.text import user_text


class PeriodChoice(BaseModel):
    """What the form holds; `check` makes sure it is a `Period`."""

    as_of: date | None = None
    date_from: date | None = None
    local_authority: str | None = None
    advocate: str | None = None


class ReportFilterScreen(LocalForm[PeriodChoice, Period]):
    """Esc leaves the report as it was. A supervisor's reports are of their own area, so
    they choose only among its advocates; a manager's advocates are those of the area
    chosen, if one is."""

    model = PeriodChoice
    heading = "What the report covers"

    def __init__(
        self,
        current: Period,
        actor: UserPublic,
        advocates: list[UserPublic],
        from_date: str = Kind.from_date,
    ) -> None:
        """`from_date` says what the report makes of its From date (`Kind.from_date`)."""
        super().__init__()
        self.hint = f"Ctrl+S (or Enter in a date) applies, Esc cancels; {from_date}."
        self.current = current
        self.actor = actor
        self.advocates = advocates

    def fields(self) -> list[FormField]:
        fields = [
            date_field("As of", "as_of", self.current.as_of),
            date_field("From", "date_from", self.current.date_from),
        ]
        if self.actor.can(Permission.ALL_AREAS):
            fields.append(
                code_field(
                    "Local authority",
                    "local_authority",
                    LocalAuthority,
                    self.current.local_authority,
                    prompt="Every area",
                )
            )
        if self.actor.role is not UserRole.ADVOCATE:
            choices = self._advocate_choices(self.current.local_authority)
            chosen = self.current.advocate
            fields.append(
                FormField(
                    "Advocate",
                    Select(
                        choices,
                        value=chosen
                        if any(chosen == value for _, value in choices)
                        else Select.NULL,
                        prompt="Every advocate",
                        id="advocate",
                        compact=True,
                    ),
                    name="advocate",
                )
            )
        return fields

    def _advocate_choices(self, local_authority: str | None) -> list[tuple[Text, str]]:
        """The advocates by name (a report names one by username), of the chosen area."""
        return [
            (user_text(user.display_name), user.username)
            for user in self.advocates
            if local_authority is None or user.local_authority == local_authority
        ]

    @on(Select.Changed, "#local-authority")
    def _area_chosen(self, event: Select.Changed) -> None:
        area = None if event.value is Select.NULL else str(event.value)
        advocate = self.query_one("#advocate", Select)
        chosen = advocate.value
        choices = self._advocate_choices(area)
        advocate.set_options(choices)
        if any(chosen == value for _, value in choices):
            advocate.value = chosen

    def check(self, data: PeriodChoice) -> dict[str, str]:
        if data.as_of is None:
            return {"as_of": "A report is as of a date."}
        if data.date_from is not None and data.date_from > data.as_of:
            return {"date_from": "From is after the as-of date."}
        return {}

    def result(self, data: PeriodChoice) -> Period:
        assert data.as_of is not None  # `check` refuses a form without it
        return Period(data.as_of, data.date_from, data.local_authority, data.advocate)
