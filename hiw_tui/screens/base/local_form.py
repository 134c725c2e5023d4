"""Forms of values the screen underneath uses and nothing saves, such as a filter.

Ctrl+S, or Enter in a text field, applies: what was typed is validated like any form's
(see `form_base`) and the form dismisses with `result(data)`; Esc leaves things as
they were, asking first (apply, discard, keep editing) once anything was changed.
"""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from hiw_tui.screens.base.form_base import FormBase

M = TypeVar("M", bound=BaseModel)
R = TypeVar("R")


class LocalForm(FormBase[M, R], Generic[M, R]):
    """Subclasses set `model`, `heading` and `hint`, build `fields()`, and say what the
    screen underneath gets back: `result`."""

    BINDINGS = [Binding("ctrl+s", "submit", "Apply", priority=True)]
    save_label = "Apply"
    hint = ""
    """A line under the fields saying how the form works."""

    def result(self, data: M) -> R:
        """What the form gives back for valid `data`."""
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        with Vertical(classes=f"dialog {self.dialog_class}"):
            yield Label(self.heading, classes="dialog-title", markup=False)
            yield from self.fields()
            yield Static(self.hint, markup=False)
            message = Static("", id="form-message", markup=False)
            message.display = False  # shown only while it has something to say
            yield message

    def show_message(self, text: str) -> None:
        super().show_message(text)
        self.query_one("#form-message").display = bool(text)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    def submit(self, data: M) -> None:
        self.dismiss(self.result(data))
