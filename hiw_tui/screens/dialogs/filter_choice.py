"""A filter on one line whose options open in a dialog: a lighter Select.

A Select is several widgets (its value, its arrow, and a list of every option that is
styled and laid out as the screen opens, though shown only once opened); the two of a
household's timeline were a third of the time the timeline took to open. A
`FilterChoice` is one widget showing the option chosen (or, with none, its prompt).
Enter, Down, Space or a click opens the options in a dialog, the prompt first and the
chosen one highlighted, as a Select's list opens: Enter there takes one (the prompt
takes none), Esc leaves the choice as it was.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from hiw_tui.screens.dialogs.choice import ChoiceScreen

NONE = ""
"""The prompt's id in the dialog: no option chosen (Esc dismisses with None)."""
FilterOption = tuple[Text, str]
"""What an option shows (never markup) and its value."""


class FilterChoices(ChoiceScreen[str | None]):
    """The options of a `FilterChoice`: dismissed with a value, `NONE`, or None (Esc)."""

    def __init__(
        self, title: str, prompt: str, options: list[FilterOption], chosen: str | None
    ) -> None:
        super().__init__()
        self._title = title
        self._prompt = prompt
        self._options = options
        self._chosen = chosen

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(f"{self._title}: Enter takes one, Esc leaves it", classes="dialog-title")
            yield OptionList(
                Option(Text(self._prompt, style="italic"), id=NONE),
                *(Option(label, id=value) for label, value in self._options),
            )

    def highlighted_first(self, choices: OptionList) -> int:
        return choices.get_option_index(self._chosen or NONE)


class FilterChoice(Widget, can_focus=True):
    """The chosen option's value is `value` (None with none chosen); a change, by the
    dialog or by the screen, posts `Changed`."""

    BINDINGS = [Binding("enter,down,space", "open", "Choose", show=False)]
    DEFAULT_CSS = """
    FilterChoice {
        width: 1fr;
        height: 1;
        padding: 0 1;
        background: $surface;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    FilterChoice:focus {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: bold;
    }
    """

    @dataclass
    class Changed(Message):
        filter_choice: FilterChoice
        value: str | None

        @property
        def control(self) -> FilterChoice:
            return self.filter_choice

    def __init__(
        self, options: Iterable[FilterOption], *, title: str, prompt: str, id: str
    ) -> None:
        """`title` names what is chosen (the dialog's title), `prompt` the choice of none."""
        super().__init__(id=id)
        self.title = title
        self.prompt = prompt
        self._options = list(options)
        self._value: str | None = None

    @property
    def value(self) -> str | None:
        return self._value

    @value.setter
    def value(self, value: str | None) -> None:
        if value is not None and all(value != known for _, known in self._options):
            value = None
        if value != self._value:
            self._value = value
            self.refresh()
            self.post_message(self.Changed(self, value))

    @property
    def label(self) -> Text | None:
        """What the chosen option shows (None with none chosen)."""
        return next((label for label, value in self._options if value == self._value), None)

    def set_options(self, options: Iterable[FilterOption]) -> None:
        """Offer `options`; the choice stays if it is still among them."""
        self._options = list(options)
        self.value = self._value
        self.refresh()

    def clear(self) -> None:
        self.value = None

    def render(self) -> Text:
        label = self.label
        shown = Text(self.prompt, style="italic") if label is None else label.copy()
        return shown.append(" ▾")

    def action_open(self) -> None:
        choices = FilterChoices(self.title, self.prompt, self._options, self._value)
        self.app.push_screen(choices, self._taken)

    def on_click(self) -> None:
        self.action_open()

    def _taken(self, value: str | None) -> None:
        if value is not None:
            self.value = value or None
