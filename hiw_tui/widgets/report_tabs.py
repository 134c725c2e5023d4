"""A line of tabs that wraps: every tab whole, on as many lines as the width needs.

Each tab is its key (if it has one) and a short name; the chosen one is marked `▸` and
shown reversed, so it reads the same in 16 colours and with NO_COLOR.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual.geometry import Size
from textual.widget import Widget


@dataclass(frozen=True)
class Tab:
    code: str
    key: str
    """The key that shows it ('' for none)."""
    name: str


class ReportTabs(Widget):
    """Set `show(tabs, chosen)`; as tall as its tabs need at its width."""

    DEFAULT_CSS = "ReportTabs { height: auto; }"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._tabs: tuple[Tab, ...] = ()
        self._chosen = ""

    def show(self, tabs: Sequence[Tab], chosen: str) -> None:
        self._tabs, self._chosen = tuple(tabs), chosen
        self.refresh(layout=True)

    def _pieces(self) -> list[Text]:
        pieces = []
        for tab in self._tabs:
            chosen = tab.code == self._chosen
            key = f"{tab.key} " if tab.key else ""
            pieces.append(
                Text(f" {'▸' if chosen else ' '}{key}{tab.name} ", "reverse bold" if chosen else "")
            )
        return pieces

    def lines(self, width: int) -> list[Text]:
        """The tabs laid out in lines of at most `width` cells, none split."""
        lines: list[Text] = []
        line = Text()
        for piece in self._pieces():
            if line.cell_len and line.cell_len + piece.cell_len > width:
                lines.append(line)
                line = Text()
            line.append_text(piece)
        if line.cell_len or not lines:
            lines.append(line)
        return lines

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.lines(width))

    def render(self) -> Text:
        return Text("\n").join(self.lines(self.content_size.width or self.size.width))
