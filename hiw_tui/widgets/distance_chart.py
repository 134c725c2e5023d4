"""Distance travelled as a chart: per Star area, the average first and latest score and
a bar of who got better, held or fell back.

The bar's parts differ in shape as well as colour (█ better, ▒ same, ░ worse), so the
chart reads the same in 16 colours, with NO_COLOR and on a monochrome thin client.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from hiw_tui.domain.counting import percent
from hiw_tui.domain.framework import Framework
from hiw_tui.domain.report_models import AreaChange

BAR = 20
TITLE = "Distance travelled by Star area: first → latest average, who moved how"
"""Said above the chart (the board pack opens on it)."""
PARTS = (("█", "better", "green"), ("▒", "same", "yellow"), ("░", "worse", "red"))


def shares_bar(change: AreaChange, width: int = BAR) -> list[tuple[str, str]]:
    """(text, style) pieces of a `width`-cell bar split better/same/worse; the cells go
    by largest remainder, so the three parts always fill the bar exactly."""
    counts = (change.improved, change.unchanged, change.worse)
    if not change.people:
        return [("·" * width, "dim")]
    exact = [count * width / change.people for count in counts]
    cells = [int(value) for value in exact]
    for index in sorted(range(3), key=lambda i: exact[i] - cells[i], reverse=True):
        if sum(cells) >= width:
            break
        cells[index] += 1
    return [(glyph * n, style) for (glyph, _, style), n in zip(PARTS, cells, strict=True) if n]


def chart_text(changes: list[AreaChange], framework: Framework) -> Text:
    if not changes:
        return Text("Nobody has two final Star readings by this date yet.")
    text = Text()
    for change in changes:
        name = framework.name_of(change.area, short=True)
        text.append(f"{name:<12} ")
        text.append(f"{change.first_average:.2f} → {change.latest_average:.2f}  ")
        for piece, style in shares_bar(change):
            text.append(piece, style=style)
        text.append(
            f" {percent(change.improved, change.people):5.1f}% better "
            f"{percent(change.worse, change.people):4.1f}% worse\n"
        )
    text.append("Key: ")
    for glyph, word, style in PARTS:
        text.append(glyph * 2, style=style)
        text.append(f" {word}  ")
    return text


class DistanceChart(Static):
    """Set `show(changes, framework)`; draws one line per area."""

    def show(self, changes: list[AreaChange], framework: Framework) -> None:
        self.update(chart_text(changes, framework))
