"""Choosing a report from all of them (`c` on the reports screen): each with its key, its
name and what it counts; Enter shows it, Esc leaves the one shown."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from hiw_tui.reports.kinds import KINDS


def number_key(index: int) -> str:
    """The number key of the report at `index` in `KINDS`: 1-9 for the first nine."""
    return str(index + 1) if index < 9 else ""


class ReportChooser(ModalScreen[str | None]):
    BINDINGS = [
        Binding("escape", "dismiss", "Close"),
        Binding("j", "down", "Down", show=False),
        Binding("k", "up", "Up", show=False),
        Binding("question_mark", "app.help", "Help", key_display="?", show=False),
    ]

    def __init__(self, chosen: str) -> None:
        super().__init__()
        self._chosen = chosen

    def compose(self) -> ComposeResult:
        options = []
        for index, kind in enumerate(KINDS):
            line = Text(f"{number_key(index):>1} {'▸' if kind.code == self._chosen else ' '}")
            line.append(f"{kind.name:<19}", style="bold")
            line.append(kind.about)
            options.append(Option(line, id=kind.code))
        with Vertical(classes="dialog"):
            yield Label("Reports: Enter shows one, Esc closes", classes="dialog-title")
            yield OptionList(*options, id="report-choices")

    def on_mount(self) -> None:
        choices = self.query_one(OptionList)
        choices.highlighted = choices.get_option_index(self._chosen)
        choices.focus()

    def action_down(self) -> None:
        self.query_one(OptionList).action_cursor_down()

    def action_up(self) -> None:
        self.query_one(OptionList).action_cursor_up()

    @on(OptionList.OptionSelected)
    def _chosen_one(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)
