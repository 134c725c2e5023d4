"""Small modal dialogs: help, errors, confirming a member's departure."""

from __future__ import annotations

from datetime import date

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Input, Label, Static

from hiw_tui.db.core.errors import DataError
from hiw_tui.widgets.text import user_text


class HelpScreen(ModalScreen[None]):
    """Every key of the screen underneath, with what it does."""

    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close")]

    def __init__(self, screen: Screen[object]) -> None:
        super().__init__()
        self._keys = Table.grid(padding=(0, 2))
        self._keys.add_column(style="bold", no_wrap=True)
        self._keys.add_column()
        # The screen's own keys first, then the focused widget's, then the app's.
        order: dict[object, int] = {screen: 0, screen.focused: 1}
        ranked = sorted(screen.active_bindings.items(), key=lambda item: order.get(item[1].node, 2))
        seen: set[tuple[str, str]] = set()
        for key, active in ranked:
            binding = active.binding
            description = binding.description or binding.action.replace("_", " ")
            if binding.system or not active.enabled or (key, description) in seen:
                continue
            seen.add((key, description))
            self._keys.add_row(Text(self.app.get_key_display(binding)), Text(description))
        self._title = f"Keys: {screen.title or screen.__class__.__name__}"

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self._title, classes="dialog-title", markup=False)
            with VerticalScroll(id="help-scroll"):
                yield Static(self._keys, id="help-keys")
            yield Label("Esc closes. Ctrl+P opens the command palette.", markup=False)


class ErrorScreen(ModalScreen[None]):
    """Something went wrong that the screen could not explain where it happened."""

    BINDINGS = [Binding("escape,enter", "dismiss", "Close")]

    def __init__(self, error: BaseException) -> None:
        super().__init__()
        if isinstance(error, DataError):
            self._message = str(error)
        else:
            self._message = (
                f"Something went wrong and nothing was saved: {type(error).__name__}: {error}"
            )

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog error-dialog"):
            yield Label("✗ Problem", classes="dialog-title")
            yield Static(Text(self._message), id="error-message")
            yield Button("OK", id="ok", variant="primary")

    def on_button_pressed(self) -> None:
        self.dismiss()


class LeaveScreen(ModalScreen[date | None]):
    """Asks on which date a member left the household; dismisses with the date or None."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, person_name: str, today: date) -> None:
        super().__init__()
        self._person = person_name
        self._today = today

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Remove a member", classes="dialog-title")
            yield Static(
                Text.assemble(
                    "Record that ",
                    user_text(self._person, style="bold"),
                    " has left the household on:",
                )
            )
            yield Input(self._today.isoformat(), placeholder="YYYY-MM-DD", id="left-on")
            yield Static("", id="left-on-error", markup=False)
            yield Label("Enter confirms, Esc cancels. Their history is kept.", markup=False)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        try:
            left_on = date.fromisoformat(event.value.strip())
        except ValueError:
            self.query_one("#left-on-error", Static).update("✗ A date as YYYY-MM-DD.")
            return
        if left_on > self._today:
            self.query_one("#left-on-error", Static).update("✗ That date is in the future.")
            return
        self.dismiss(left_on)
