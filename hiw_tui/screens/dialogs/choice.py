"""A dialog of one list to choose from: Enter dismisses it with the highlighted
option's id, Esc with None, and j and k move as the arrows do. Each dialog composes its
own list (and may bind a key to each choice)."""

from __future__ import annotations

from typing import TypeVar, cast

from textual import on
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import OptionList

Choice = TypeVar("Choice", bound=str | None)
"""What a dialog dismisses with: an option's id, or None. Generic, so that the base
is told from the dialogs made of it (a crawler reaches those, not it)."""


class ChoiceScreen(ModalScreen[Choice]):
    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel"),
        Binding("j", "down", "Down", show=False),
        Binding("k", "up", "Up", show=False),
        Binding("question_mark", "app.help", "Help", key_display="?", show=False),
    ]

    def highlighted_first(self, choices: OptionList) -> int:
        """The option highlighted as the dialog opens: the first."""
        return 0

    def on_mount(self) -> None:
        choices = self.query_one(OptionList)
        choices.highlighted = self.highlighted_first(choices)
        choices.focus()

    def action_down(self) -> None:
        self.query_one(OptionList).action_cursor_down()

    def action_up(self) -> None:
        self.query_one(OptionList).action_cursor_up()

    @on(OptionList.OptionSelected)
    def _choice_made(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(cast(Choice, event.option.id))
