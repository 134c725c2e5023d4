"""Possible duplicates, found before someone new is saved: who they may be, and what to do.

The people in the user's scope are listed (name, household, date of birth, advocate,
and under the list what the highlighted one shares with the person being entered); one
outside it is only said to exist, with whom to ask. The user opens a listed household
(`o` or Enter: over the form, which is there as it was on coming back), saves anyway
(`s`), or goes back to the form (Esc), which is where every other way out leads.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from hiw_tui.db.households.duplicates import DuplicateCheck, DuplicateMatch
from hiw_tui.domain.duplicates import reasons_text
from hiw_tui.widgets.detail_table import DetailTable, Row
from hiw_tui.widgets.text import short_name, user_text

OPEN, SAVE, BACK = "open", "save", "back"


@dataclass(frozen=True)
class DuplicateChoice:
    """What the user chose: OPEN (with the household), SAVE anyway, or BACK to the form."""

    decision: str
    household_id: int | None = None


def _detail(match: DuplicateMatch) -> Text:
    """The highlighted match in words: who, what they share, whether they left."""
    left = f" Left that household on {match.left_on.isoformat()}." if match.left_on else ""
    return Text.assemble(
        user_text(match.name, style="bold"),
        f" has {reasons_text(match.reasons)}.{left}",
    )


class DuplicatesScreen(ModalScreen[DuplicateChoice]):
    """Dismisses with the user's `DuplicateChoice`; Esc goes back to the form."""

    BINDINGS = [
        Binding("o", "open", "Open their household"),
        Binding("s", "save", "Save anyway"),
        Binding("escape,b", "back", "Back to the form"),
        Binding("j", "move(1)", "Down", show=False),
        Binding("k", "move(-1)", "Up", show=False),
        Binding("question_mark", "app.help", "Help", key_display="?", show=False),
    ]

    def __init__(self, check: DuplicateCheck) -> None:
        super().__init__()
        self._check = check

    def compose(self) -> ComposeResult:
        check = self._check
        with Vertical(classes="dialog duplicates-dialog"):
            yield Label("⚠ Possible duplicate: not saved yet", classes="dialog-title")
            if check.matches:
                yield Static("Someone held may be the person you are entering:", markup=False)
                yield DetailTable[DuplicateMatch](
                    [
                        ("name", "Name"),
                        ("household", "Household"),
                        ("born", "Born"),
                        ("advocate", "Advocate"),
                    ],
                    detail=_detail,
                    id="duplicates",
                )
            if check.elsewhere:
                yield Static(check.elsewhere_text, id="elsewhere", markup=False)
            with Horizontal(classes="buttons"):
                if check.matches:
                    yield Button("Open (o)", id=OPEN, compact=True)
                yield Button("Save anyway (s)", id=SAVE, compact=True)
                yield Button("Back to the form (Esc)", id=BACK, compact=True)

    def on_mount(self) -> None:
        if not self._check.matches:
            self.query_one(f"#{BACK}", Button).focus()
            return
        table = self.query_one("#duplicates", DetailTable)
        table.show(
            [
                Row(
                    str(match.person_id),
                    match,
                    (
                        user_text(short_name(match.name, 24)),
                        user_text(match.reference),
                        Text(match.date_of_birth.isoformat()),
                        user_text(short_name(match.advocate_name, 18)),
                    ),
                )
                for match in self._check.matches
            ]
        )
        table.focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Nothing to open (or move between) when no one in scope is listed."""
        return bool(self._check.matches) or action not in ("open", "move")

    def action_move(self, step: int) -> None:
        if self._check.matches:
            self.query_one("#duplicates", DetailTable).move_cursor_by(step)

    def action_open(self) -> None:
        if not self._check.matches:
            return
        match = self.query_one("#duplicates", DetailTable).current
        if isinstance(match, DuplicateMatch):
            self.dismiss(DuplicateChoice(OPEN, match.household_id))

    def action_save(self) -> None:
        self.dismiss(DuplicateChoice(SAVE))

    def action_back(self) -> None:
        self.dismiss(DuplicateChoice(BACK))

    @on(DetailTable.Chosen)
    def _chosen(self) -> None:
        self.action_open()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        {OPEN: self.action_open, SAVE: self.action_save}.get(
            event.button.id or BACK, self.action_back
        )()
