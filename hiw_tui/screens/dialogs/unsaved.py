"""Asks what to do with a form's unsaved changes before leaving it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

SAVE, DISCARD, KEEP = "save", "discard", "keep"


class UnsavedChangesScreen(ModalScreen[str]):
    """Dismisses with SAVE (save as the form's own key would), DISCARD (leave without
    saving) or KEEP (back to the form, everything typed still there).

    Esc keeps editing: pressed once too often, it must never throw work away.
    """

    BINDINGS = [
        Binding("s", "dismiss('save')", "Save"),
        Binding("d", "dismiss('discard')", "Discard"),
        Binding("k,escape", "dismiss('keep')", "Keep editing"),
    ]

    def __init__(self, save_label: str = "Save") -> None:
        super().__init__()
        self._save_label = save_label
        """What the form's own save does: "Save", or "Apply" for a form nothing saves."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog unsaved-dialog"):
            yield Label("⚠ You have unsaved changes", classes="dialog-title")
            yield Static(
                f"{self._save_label} them, discard them and leave, or keep editing?",
                markup=False,
            )
            with Horizontal(classes="buttons"):
                yield Button(f"{self._save_label} (s)", id=SAVE, variant="primary", compact=True)
                yield Button("Discard (d)", id=DISCARD, compact=True)
                yield Button("Keep editing (Esc)", id=KEEP, compact=True)

    def on_mount(self) -> None:
        self.query_one(f"#{KEEP}", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id or KEEP)
