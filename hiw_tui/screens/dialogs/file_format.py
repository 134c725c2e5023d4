"""Choosing how to write a file about one person (`D` and `P` on the record): `p` a PDF
in large type, `t` plain text, or Enter on the one highlighted; Esc writes nothing."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from hiw_tui.widgets.text import user_text

CHOICES = (
    ("pdf", "p", "PDF, in large type, to print or send"),
    ("text", "t", "Plain text, to read on any computer"),
)


class FileFormatScreen(ModalScreen[str | None]):
    """Dismisses with "pdf", "text", or None (Esc)."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel"),
        Binding("p", "dismiss('pdf')", "PDF"),
        Binding("t", "dismiss('text')", "Plain text"),
        Binding("j", "down", "Down", show=False),
        Binding("k", "up", "Up", show=False),
        Binding("question_mark", "app.help", "Help", key_display="?", show=False),
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

    def on_mount(self) -> None:
        choices = self.query_one(OptionList)
        choices.highlighted = 0
        choices.focus()

    def action_down(self) -> None:
        self.query_one(OptionList).action_cursor_down()

    def action_up(self) -> None:
        self.query_one(OptionList).action_cursor_up()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)
