"""Small modal dialogs: help, errors, confirming a member's departure."""

from __future__ import annotations

import unicodedata
from datetime import date
from pathlib import Path

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import ScrollableContainer, Vertical, VerticalScroll
from textual.keys import REPLACED_KEYS, key_to_character
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Button, DataTable, Input, Label, Static

from hiw_tui.db.core.errors import DataError
from hiw_tui.db.privacy.visibility import shown_error
from hiw_tui.domain.dates import read_date
from hiw_tui.domain.validation import leaving_problem
from hiw_tui.widgets.text import user_text

#: Keys named in words, as a person reads them on the keyboard.
KEY_WORDS = {
    "escape": "Esc",
    "enter": "Enter",
    "space": "Space",
    "tab": "Tab",
    "up": "Up",
    "down": "Down",
    "left": "Left",
    "right": "Right",
    "pageup": "Page up",
    "pagedown": "Page down",
    "home": "Home",
    "end": "End",
    "backspace": "Backspace",
    "delete": "Delete",
    "insert": "Insert",
}
MODIFIERS = {"ctrl": "Ctrl", "shift": "Shift", "alt": "Alt"}
#: Keys every screen has from Textual itself (moving between fields, copying).
TEXTUAL_SCREEN_ACTIONS = frozenset(b.action for b in Binding.make_bindings(Screen.BINDINGS))


def key_words(binding: Binding) -> str | None:
    """The binding's key as words ("Ctrl+S", "Page down", "?"); None for a key that
    only repeats another (the Mac's Cmd form of a Ctrl key)."""
    *modifiers, name = binding.key.split("+")
    if "super" in modifiers or "meta" in modifiers:
        return None
    if binding.key_display and not modifiers:
        return binding.key_display
    word = KEY_WORDS.get(name) or key_to_character(name) or _character(name)
    if modifiers and len(word) == 1:
        word = word.upper()
    return "+".join([*(MODIFIERS.get(m, m.capitalize()) for m in modifiers), word])


def _character(name: str) -> str:
    """ "slash" is "/", "question_mark" is "?"; any other name is written out."""
    try:
        return unicodedata.lookup(REPLACED_KEYS.get(name, name).replace("_", " "))
    except KeyError:
        return name.replace("_", " ").capitalize()


def what_it_does(binding: Binding) -> str:
    """The binding's description in sentence case; a table's "Cursor up" and a scrolling
    pane's "Scroll Up" both read "Up", so they share a line with the screen's `k`."""
    text = binding.description or binding.action.split(".")[-1].split("(")[0].replace("_", " ")
    for prefix in ("Cursor ", "Scroll "):
        text = text.removeprefix(prefix)
    return text[:1].upper() + text[1:].lower() if text.istitle() else text[:1].upper() + text[1:]


def focused_kind(widget: Widget | None) -> str:
    if isinstance(widget, DataTable):
        return "Table"
    if isinstance(widget, ScrollableContainer):
        return "Scrolling"
    return "Field"


class HelpScreen(ModalScreen[None]):
    """Every key of the screen underneath, in words, grouped: the screen's own keys, the
    focused table's or field's, and those that work everywhere. A key bound in two
    places is listed once (where it acts), and keys that do the same thing share a line.
    """

    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close")]

    def __init__(self, screen: Screen[object]) -> None:
        super().__init__()
        focused = screen.focused
        groups: dict[str, dict[str, list[str]]] = {
            "This screen": {},
            focused_kind(focused): {},
            "Everywhere": {},
        }
        seen: set[str] = set()
        for active in screen.active_bindings.values():
            binding = active.binding
            key = key_words(binding)
            if binding.system or not active.enabled or key is None or key in seen:
                continue
            seen.add(key)
            if active.node is screen.app or binding.action in TEXTUAL_SCREEN_ACTIONS:
                group = "Everywhere"
            elif active.node is screen:
                group = "This screen"
            else:
                group = focused_kind(focused)
            does = what_it_does(binding)
            home = next((rows for rows in groups.values() if does in rows), groups[group])
            home.setdefault(does, []).append(key)
        self._keys = Table.grid(padding=(0, 2))
        self._keys.add_column(style="bold", no_wrap=True)
        self._keys.add_column()
        for title, rows in groups.items():
            if not rows:
                continue
            if self._keys.row_count:
                self._keys.add_row("", "")
            self._keys.add_row(Text(title, style="underline"), "")
            for does, keys in rows.items():
                self._keys.add_row(Text(", ".join(keys)), Text(does))
        self._title = f"Keys: {screen.title or 'this screen'}"

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self._title, classes="dialog-title", markup=False)
            with VerticalScroll(id="help-scroll"):
                yield Static(self._keys, id="help-keys")
            yield Label("Esc closes. Ctrl+P opens the command palette.", markup=False)


class ErrorScreen(ModalScreen[None]):
    """Something went wrong that the screen could not explain where it happened."""

    BINDINGS = [Binding("escape,enter", "dismiss", "Close")]

    def __init__(self, error: BaseException, logged: Path | None = None) -> None:
        """`logged` is the file the error's details were written to, if any."""
        super().__init__()
        self.error = error
        if isinstance(error, DataError):
            self.message = str(error)
        else:
            self.message = shown_error(
                f"Something went wrong and nothing was saved: {type(error).__name__}: {error}"
            )
        if logged is not None:
            self.message += f"\n\nThe details are in {logged}."

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog error-dialog"):
            yield Label("✗ Problem", classes="dialog-title")
            yield Static(Text(self.message), id="error-message")
            yield Button("OK", id="ok", variant="primary")

    def on_button_pressed(self) -> None:
        self.dismiss()


class LeaveScreen(ModalScreen[date | None]):
    """Asks on which date a member left the household; dismisses with the date or None."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, person_name: str, today: date, *, started: date | None) -> None:
        """`started` is the household's start date (None if not started): nobody left
        before it."""
        super().__init__()
        self._person = person_name
        self._today = today
        self._started = started

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
            left_on = read_date(event.value)
        except ValueError as problem:
            self.query_one("#left-on-error", Static).update(f"✗ {problem}")
            return
        refused = leaving_problem(left_on, started=self._started, today=self._today)
        if refused:
            self.query_one("#left-on-error", Static).update(f"✗ {refused}")
            return
        self.dismiss(left_on)
