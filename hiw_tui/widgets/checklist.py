"""A list of codes to tick, shown as [x] and [ ] so the state never rests on colour."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option


class Checklist(OptionList):
    """Space or Enter ticks or unticks the highlighted code; `selected` holds the ticked codes."""

    BINDINGS = [
        Binding("space", "tick", "Tick", show=False),
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
    ]

    class Ticked(Message):
        """A code was ticked or unticked from the keyboard."""

        def __init__(self, checklist: Checklist) -> None:
            super().__init__()
            self.checklist = checklist

        @property
        def control(self) -> Checklist:
            return self.checklist

    def __init__(
        self, choices: list[tuple[str, str]], selected: tuple[str, ...] | set[str], *, id: str
    ) -> None:
        self._labels = dict((code, label) for label, code in choices)
        self.selected: set[str] = set(selected) & set(self._labels)
        super().__init__(
            *(Option(self._prompt(code), id=code) for code in self._labels), id=id, compact=True
        )

    def _prompt(self, code: str) -> Text:
        return Text(f"[{'x' if code in self.selected else ' '}] {self._labels[code]}")

    def action_tick(self) -> None:
        index = self.highlighted
        if index is None:
            return
        code = self.get_option_at_index(index).id or ""
        self.selected ^= {code}
        self.replace_option_prompt_at_index(index, self._prompt(code))
        self.post_message(self.Ticked(self))

    def tick_all(self) -> None:
        """Tick every code, or untick them all when all are ticked already."""
        self.selected = set() if self.selected == set(self._labels) else set(self._labels)
        for index, code in enumerate(self._labels):
            self.replace_option_prompt_at_index(index, self._prompt(code))
        self.post_message(self.Ticked(self))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_tick()
