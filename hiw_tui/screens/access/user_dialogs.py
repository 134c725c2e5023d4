"""The users screen's dialogs: a yes-or-no question (deactivate, reactivate), choosing a
key to remove, and the form that moves a caseload."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from hiw_tui.db.access.caseloads import CaseloadChoices, CaseloadMoved, reassign_caseload
from hiw_tui.db.access.staff import StaffMember
from hiw_tui.db.core.engine import Query
from hiw_tui.domain.case_inputs import CaseloadMoveInput
from hiw_tui.domain.text import clean_line
from hiw_tui.screens.base.form import FormScreen
from hiw_tui.screens.base.form_fields import text_field
from hiw_tui.screens.dialogs.choice import ChoiceScreen
from hiw_tui.widgets.checklist import Checklist
from hiw_tui.widgets.field import FormField
from hiw_tui.widgets.text import user_text

YES, NO = "yes", "no"


class ConfirmScreen(ModalScreen[bool]):
    """A question answered `y` (True) or `n` / Esc (False); the focus starts on No, so an
    Enter pressed in passing changes nothing."""

    BINDINGS = [
        Binding("y", "dismiss(True)", "Yes"),
        Binding("n,escape", "dismiss(False)", "No"),
    ]

    def __init__(self, title: str, question: Text, yes: str) -> None:
        super().__init__()
        self._title, self._question, self._yes = title, question, yes

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self._title, classes="dialog-title", markup=False)
            yield Static(self._question)
            with Horizontal(classes="buttons"):
                yield Button(f"{self._yes} (y)", id=YES, variant="error", compact=True)
                yield Button("Cancel (Esc)", id=NO, compact=True)

    def on_mount(self) -> None:
        self.query_one(f"#{NO}", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == YES)


class RemoveKeyScreen(ChoiceScreen[str | None]):
    """Dismisses with the fingerprint of the key chosen to remove, or None."""

    def __init__(self, member: StaffMember) -> None:
        super().__init__()
        self._member = member

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Remove an SSH key", classes="dialog-title", markup=False)
            yield Static(
                Text.assemble(
                    "The key chosen no longer signs ",
                    user_text(self._member.display_name, style="bold"),
                    " in. Enter removes the highlighted key; Esc cancels.",
                )
            )
            yield OptionList(
                *(
                    Option(
                        Text.assemble(
                            key.fingerprint,
                            "  ",
                            user_text(key.comment, limit=20),
                            f"  added {key.added_at:%Y-%m-%d}",
                        ),
                        id=key.fingerprint,
                    )
                    for key in self._member.keys
                ),
                id="keys",
                compact=True,
            )


class CaseloadMoveForm(FormScreen[CaseloadMoveInput, CaseloadMoved]):
    """Moves the households ticked (all, as it opens) to the advocate chosen, with a
    reason; dismisses with what was moved."""

    model = CaseloadMoveInput
    BINDINGS = [Binding("a", "tick_all", "Tick all or none", show=False)]

    def __init__(self, member: StaffMember, choices: CaseloadChoices) -> None:
        super().__init__()
        self.member, self.choices = member, choices
        self.heading = f"Move the caseload of {member.display_name} ({member.username})"

    def fields(self) -> Sequence[Widget]:
        ticks = [
            (f"{h.reference}  {h.primary_name}  ({h.status.label.lower()})", h.reference)
            for h in self.choices.households
        ]
        everything = {reference for _, reference in ticks}
        advocates = Select[str](
            [
                (Text(clean_line(f"{name} ({username})")), username)
                for username, name in self.choices.advocates
            ],
            prompt="Choose an advocate",
            id="to-advocate",
            compact=True,
        )
        return [
            FormField("Move to", advocates, name="to_advocate"),
            FormField(
                "Households",
                Checklist(ticks, everything, id="ticked-households"),
                name="households",
            ),
            Static(
                "Space ticks or unticks the highlighted household; a ticks all or none.",
                classes="form-hint",
                markup=False,
            ),
            text_field("Reason", "reason", hint="kept on each household's audit trail"),
        ]

    def action_tick_all(self) -> None:
        self.query_one("#ticked-households", Checklist).tick_all()

    def save(self, data: CaseloadMoveInput) -> Query[CaseloadMoved]:
        return partial(reassign_caseload, username=self.member.username, data=data)
