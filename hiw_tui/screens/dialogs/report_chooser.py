"""Choosing a report from all of them (`c` on the reports screen): each with its key, its
name and what it counts; Enter shows it, Esc leaves the one shown."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from hiw_tui.reports.kinds import KINDS
from hiw_tui.screens.dialogs.choice import ChoiceScreen


def number_key(index: int) -> str:
    """The number key of the report at `index` in `KINDS`: 1-9 for the first nine."""
    return str(index + 1) if index < 9 else ""


class ReportChooser(ChoiceScreen[str | None]):
    BINDINGS = [Binding("escape", "dismiss(None)", "Close")]

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

    def highlighted_first(self, choices: OptionList) -> int:
        return choices.get_option_index(self._chosen)
