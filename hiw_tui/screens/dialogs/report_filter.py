"""What a report covers: as of a date, from a date, one local authority, one advocate."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select, Static

from hiw_tui.db.core.models import UserPublic
from hiw_tui.domain.access import Permission
from hiw_tui.domain.codes import LocalAuthority, UserRole
from hiw_tui.domain.counting import Period
from hiw_tui.screens.base.form_fields import code_field, date_field, read_date
from hiw_tui.widgets.field import FormField


class ReportFilterScreen(ModalScreen[Period | None]):
    """Enter in a date, or Ctrl+S, applies; Esc leaves the report as it was. A supervisor's
    reports are of their own area, so they choose only among its advocates."""

    BINDINGS = [
        Binding("ctrl+s", "apply", "Apply"),
        Binding("escape", "cancel", "Cancel"),
    ]
    AUTO_FOCUS = "FormField > Horizontal > *"

    def __init__(self, current: Period, actor: UserPublic, advocates: list[UserPublic]) -> None:
        super().__init__()
        self.current = current
        self.actor = actor
        self.advocates = advocates

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("What the report covers", classes="dialog-title")
            yield date_field("As of", "as_of", self.current.as_of)
            yield date_field("From", "date_from", self.current.date_from)
            if self.actor.can(Permission.ALL_AREAS):
                yield code_field(
                    "Local authority",
                    "local_authority",
                    LocalAuthority,
                    self.current.local_authority,
                    prompt="Every area",
                )
            if self.actor.role is not UserRole.ADVOCATE:
                choices = [(user.username, user.username) for user in self.advocates]
                yield FormField(
                    "Advocate",
                    Select(
                        choices,
                        value=self.current.advocate or Select.NULL,
                        prompt="Every advocate",
                        id="advocate",
                        compact=True,
                    ),
                    name="advocate",
                )
            yield Static(
                "Enter in a date applies, Esc cancels; a blank From counts from the start."
            )

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_apply()

    def _chosen(self, name: str) -> str | None:
        found = self.query(f"#{name.replace('_', '-')}")
        if not found:
            return None
        value = found.first(Select).value
        return None if value is Select.NULL else str(value)

    def action_apply(self) -> None:
        try:
            as_of, date_from = read_date(self, "as_of"), read_date(self, "date_from")
        except ValueError:
            return
        if as_of is None:
            self.query_one("#field-as-of", FormField).show_error("A report is as of a date.")
            return
        if date_from is not None and date_from > as_of:
            field = self.query_one("#field-date-from", FormField)
            field.show_error("From is after the as-of date.")
            field.control.focus()
            return
        self.dismiss(
            Period(as_of, date_from, self._chosen("local_authority"), self._chosen("advocate"))
        )

    def action_cancel(self) -> None:
        self.dismiss(None)
