"""The fields two people changed at once, each shown in full, for the one saving to settle."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.events import Click
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from hiw_tui.domain.text import clean_block


@dataclass(frozen=True)
class Clash:
    """One field both sides changed: its name, its label, and each side's value as shown."""

    name: str
    label: str
    theirs: str
    mine: str


class _Side(Horizontal):
    """One side's value of a clash, in full: a marker saying whether it is chosen, then the
    value, wrapped."""

    def __init__(self, title: str, value: str, *, theirs: bool) -> None:
        super().__init__(classes="clash-side")
        self.theirs = theirs
        self._text = Text.assemble((f"{title}: ", "bold"), clean_block(value))

    def compose(self) -> ComposeResult:
        yield Static("", classes="clash-marker")
        yield Static(self._text, classes="clash-value")

    def mark(self, chosen: bool) -> None:
        self.set_class(chosen, "-chosen")
        self.query_one(".clash-marker", Static).update("●" if chosen else "○")


class ClashChoice(Vertical, can_focus=True):
    """One clash: both values in full and which is to be saved (yours until changed)."""

    BINDINGS = [
        Binding("m", "choose(False)", "Mine"),
        Binding("t", "choose(True)", "Theirs"),
        Binding("space", "choose(None)", "Switch"),
    ]
    take_theirs = reactive(False)

    def __init__(self, clash: Clash) -> None:
        super().__init__(name=clash.name, classes="clash")
        self.clash = clash

    def compose(self) -> ComposeResult:
        yield Label(self.clash.label, classes="clash-label", markup=False)
        yield _Side("Theirs", self.clash.theirs, theirs=True)
        yield _Side("Yours", self.clash.mine, theirs=False)

    def on_mount(self) -> None:
        self.watch_take_theirs(self.take_theirs)

    def watch_take_theirs(self, take_theirs: bool) -> None:
        for side in self.query(_Side):
            side.mark(side.theirs == take_theirs)

    def action_choose(self, theirs: bool | None) -> None:
        self.take_theirs = not self.take_theirs if theirs is None else theirs

    def on_click(self, event: Click) -> None:
        for node in event.widget.ancestors_with_self if event.widget else ():
            if isinstance(node, _Side):
                self.take_theirs = node.theirs
                return


class ConflictScreen(ModalScreen[frozenset[str] | None]):
    """Dismisses with the clashing fields to take theirs for (yours for the rest), or with
    None to go back to the form with nothing saved.

    Each field starts at yours: the person saving typed it on purpose, and choosing
    theirs is one key away.
    """

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("M", "choose_all(False)", "All mine"),
        Binding("T", "choose_all(True)", "All theirs"),
        Binding("escape", "back", "Back to the form"),
        Binding("j,down", "scroll('down')", "Scroll", show=False),
        Binding("k,up", "scroll('up')", "Scroll", show=False),
    ]
    AUTO_FOCUS = "ClashChoice"

    def __init__(self, clashes: list[Clash]) -> None:
        super().__init__()
        self._clashes = clashes

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog conflict-dialog"):
            yield Label("⚠ Saved by someone else meanwhile", classes="dialog-title")
            yield Static(
                "Your other edits and theirs are kept together. You both changed the "
                "fields below: choose for each (m yours, t theirs), then save.",
                markup=False,
            )
            with VerticalScroll(id="clashes", can_focus=False):
                for clash in self._clashes:
                    yield ClashChoice(clash)
            with Horizontal(classes="buttons"):
                yield Button("Save (Ctrl+S)", id="save", variant="primary", compact=True)
                yield Button("All mine (M)", id="all-mine", compact=True)
                yield Button("All theirs (T)", id="all-theirs", compact=True)
                yield Button("Back (Esc)", id="back", compact=True)

    def action_save(self) -> None:
        self.dismiss(
            frozenset(choice.clash.name for choice in self.query(ClashChoice) if choice.take_theirs)
        )

    def action_choose_all(self, theirs: bool) -> None:
        for choice in self.query(ClashChoice):
            choice.take_theirs = theirs

    def action_back(self) -> None:
        self.dismiss(None)

    def action_scroll(self, direction: str) -> None:
        scroll = self.query_one("#clashes", VerticalScroll)
        scroll.scroll_down() if direction == "down" else scroll.scroll_up()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "save":
            self.action_save()
        elif event.button.id == "back":
            self.action_back()
        else:
            self.action_choose_all(event.button.id == "all-theirs")
