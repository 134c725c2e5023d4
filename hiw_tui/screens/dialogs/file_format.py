"""Choosing how to write a file about one person (`D` and `P` on the record): `p` a PDF
in large type, `t` plain text, or Enter on the one highlighted; Esc writes nothing."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from hiw_tui.screens.dialogs.choice import ChoiceScreen
from hiw_tui.widgets.text import user_text

CHOICES = (
    ("pdf", "p", "PDF, in large type, to print or send"),
    ("text", "t", "Plain text, to read on any computer"),
)


class FileFormatScreen(ChoiceScreen[str | None]):
    """Dismisses with "pdf", "text", or None (Esc)."""

    BINDINGS = [
        Binding("p", "dismiss('pdf')", "PDF"),
        Binding("t", "dismiss('text')", "Plain text"),
    ]

    def __init__(self, what: str, person_name: str) -> None:
        """`what` the file is ("Hand-over pack"), of `person_name`."""
        super().__init__()
        self._what = what
        self._person = person_name

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(
                f"{self._what}: as a PDF or plain text?", classes="dialog-title", markup=False
            )
            yield Static(Text.assemble("For ", user_text(self._person, style="bold")))
            yield OptionList(
                *(Option(Text(f"{key}  {words}"), id=fmt) for fmt, key, words in CHOICES),
                id="file-formats",
            )
            yield Label(
                "To the export folder. Enter takes the highlighted one; Esc cancels.",
                markup=False,
            )
