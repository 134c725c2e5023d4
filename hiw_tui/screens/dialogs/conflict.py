"""Shows a save conflict: the version someone else saved beside the one that was not saved."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Label, Static

from hiw_tui.db.core.errors import Conflict
from hiw_tui.widgets.tables import LeanTable
from hiw_tui.widgets.text import user_text

KEEP, DISCARD = "keep", "discard"


class ConflictScreen(ModalScreen[str]):
    """Dismisses with KEEP (go on editing yours) or DISCARD (drop yours, reload theirs)."""

    BINDINGS = [
        Binding("k,escape", "dismiss('keep')", "Keep my edits"),
        Binding("d", "dismiss('discard')", "Discard mine"),
    ]

    def __init__(
        self, conflict: Conflict, labels: dict[str, str], describe: Callable[[str, object], str]
    ) -> None:
        super().__init__()
        self._conflict = conflict
        self._labels = labels
        self._describe = describe

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog conflict-dialog"):
            yield Label("⚠ Saved by someone else meanwhile", classes="dialog-title")
            yield Static(
                "Nothing of yours was saved. Compare the two versions, then keep your edits "
                "(saving again replaces theirs) or discard yours and load theirs.",
                markup=False,
            )
            yield LeanTable(id="conflict-table", cursor_type="row", show_cursor=False)
            with Horizontal(classes="buttons"):
                yield Button("Keep my edits (k)", id="keep", variant="primary")
                yield Button("Discard mine (d)", id="discard")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("Field", key="field")
        table.add_column("Saved version", key="saved")
        table.add_column("Yours", key="yours")
        for name, saved, yours in self._conflict.differences():
            table.add_row(
                Text(self._labels.get(name, name)),
                user_text(self._describe(name, saved)),
                user_text(self._describe(name, yours)),
                key=name,
            )

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(KEEP if event.button.id == "keep" else DISCARD)
