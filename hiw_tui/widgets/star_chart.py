"""The Star chart: up to three readings drawn as a radar in braille, with a legend.

Each area is a spoke (area 1 at the top, then clockwise); a reading is the polygon
joining its scores, 1 near the centre and 5 at the rim. An area not scored leaves a
gap. Readings are told apart by colour, so where colour cannot carry that (NO_COLOR,
16 colours) or the space is too small, the widget draws a bar table instead, which
holds the same scores and changes in characters alone.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from rich.console import RenderableType
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from hiw_tui.domain.framework import Framework
from hiw_tui.domain.star import change_mark, score_change

MARKS = ("A", "B", "C")
COLOURS = ("#5f87ff", "#d7af00", "#5fd75f")
"""First, middle and latest reading: blue, amber and green, the latest drawn on top."""
LEGEND_WIDTH = 38
STAR_MIN_WIDTH = 72
STAR_MIN_HEIGHT = 12
# Braille dot bits by (column, row) inside one character cell of 2 x 4 dots.
_DOTS = {
    (0, 0): 0x01, (0, 1): 0x02, (0, 2): 0x04, (1, 0): 0x08,
    (1, 1): 0x10, (1, 2): 0x20, (0, 3): 0x40, (1, 3): 0x80,
}  # fmt: skip


@dataclass(frozen=True)
class ChartSeries:
    """One reading to draw: a label (its date) and its scores by area code."""

    label: str
    scores: dict[str, int | None]


class _Canvas:
    """Braille dots in layers; each cell takes the style of the topmost layer in it."""

    def __init__(self, columns: int, rows: int) -> None:
        self.columns, self.rows = columns, rows
        self.bits = [[0] * columns for _ in range(rows)]
        self.styles: list[list[Style | None]] = [[None] * columns for _ in range(rows)]
        self.labels: dict[tuple[int, int], str] = {}

    def dot(self, x: float, y: float, style: Style) -> None:
        dx, dy = round(x), round(y)
        column, row = dx // 2, dy // 4
        if 0 <= column < self.columns and 0 <= row < self.rows:
            self.bits[row][column] |= _DOTS[(dx % 2, dy % 4)]
            self.styles[row][column] = style

    def line(
        self, start: tuple[float, float], end: tuple[float, float], style: Style, every: int = 1
    ) -> None:
        steps = max(1, round(max(abs(end[0] - start[0]), abs(end[1] - start[1]))))
        for step in range(0, steps + 1, every):
            share = step / steps
            self.dot(
                start[0] + (end[0] - start[0]) * share,
                start[1] + (end[1] - start[1]) * share,
                style,
            )

    def render(self) -> Text:
        text = Text(no_wrap=True, overflow="crop")
        for row in range(self.rows):
            for column in range(self.columns):
                label = self.labels.get((column, row))
                if label is not None:
                    text.append(label, style="bold")
                elif self.bits[row][column]:
                    text.append(chr(0x2800 + self.bits[row][column]), self.styles[row][column])
                else:
                    text.append(" ")
            if row < self.rows - 1:
                text.append("\n")
        return text


class StarChart(Widget):
    """Shows `series` (oldest first, at most three) on the areas of `framework`."""

    DEFAULT_CSS = "StarChart { height: 1fr; min-height: 10; }"

    mode: reactive[str] = reactive("auto")
    """"star", "bars", or "auto": the star where size and colours allow, else the bars."""

    def __init__(self, framework: Framework, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.framework = framework
        self.hidden: frozenset[str] = frozenset()
        """Areas the reader may not see (as the data layer says), which read "hidden"
        rather than "not scored"."""
        self.series: list[ChartSeries] = []

    def show(self, series: Sequence[ChartSeries]) -> None:
        self.series = list(series)[-len(MARKS) :]
        self.refresh(layout=True)

    @property
    def draws_star(self) -> bool:
        if self.mode != "auto":
            return self.mode == "star"
        colours = self.app.console.color_system in {"256", "truecolor"}
        roomy = self.size.width >= STAR_MIN_WIDTH and self.size.height >= STAR_MIN_HEIGHT
        return colours and roomy and not self.app.no_color

    def render(self) -> RenderableType:
        if not self.series:
            return Text("No final readings to chart yet.")
        return self._star() if self.draws_star else self._bars()

    def _change(self, code: str) -> str:
        """From the first reading shown to the last, as "▲ +2"; nothing for one reading
        or an area the reader may not see."""
        if len(self.series) < 2 or code in self.hidden:
            return ""
        first, last = self.series[0].scores.get(code), self.series[-1].scores.get(code)
        return change_mark(score_change(first, last))

    def _score(self, score: int | None, code: str = "") -> str:
        if code in self.hidden:
            return "hidden"
        return "n/s" if score is None else str(score)

    def _legend(self) -> Table:
        table = Table.grid(padding=(0, 1))
        table.add_column(no_wrap=True)
        for _ in self.series:
            table.add_column(justify="right", no_wrap=True)
        table.add_column(no_wrap=True)
        for index, series in enumerate(self.series):
            key = Text.assemble(("● ", COLOURS[index]), f"{MARKS[index]} {series.label}")
            table.add_row(key, *[""] * len(self.series), "")
        table.add_row("")
        change = "Change" if len(self.series) > 1 else ""
        table.add_row(
            Text("Area", style="bold"),
            *(Text(MARKS[i], style="bold") for i in range(len(self.series))),
            Text(change, style="bold"),
        )
        for number, area in enumerate(self.framework.areas, start=1):
            table.add_row(
                Text(f"{number} {area.short_name}"),
                *(self._score(s.scores.get(area.code), area.code) for s in self.series),
                self._change(area.code),
            )
        return table

    def _star(self) -> Table:
        columns = max(10, self.size.width - LEGEND_WIDTH - 2)
        rows = max(8, min(self.size.height, columns // 2 + 1))
        canvas = _Canvas(columns, rows)
        centre_x, centre_y = columns, rows * 2
        radius = max(4, min(columns, rows * 2) - 6)  # room for the spoke numbers
        areas = self.framework.areas
        grid = Style(dim=True)

        def point(index: int, score: float) -> tuple[float, float]:
            angle = 2 * math.pi * index / len(areas)
            reach = radius * score / 5
            return centre_x + reach * math.sin(angle), centre_y - reach * math.cos(angle)

        for index in range(len(areas)):
            canvas.line(point(index, 0), point(index, 5), grid, every=3)
            canvas.line(point(index, 5), point(index + 1, 5), grid, every=3)
            label_x, label_y = point(index, 5 * (radius + 5) / radius)
            canvas.labels[(round(label_x) // 2, round(label_y) // 4)] = str(index + 1)
        for which, series in enumerate(self.series):
            style = Style(color=COLOURS[which], bold=True)
            for index, area in enumerate(areas):
                here = series.scores.get(area.code)
                following = series.scores.get(areas[(index + 1) % len(areas)].code)
                if here is not None and following is not None:
                    canvas.line(point(index, here), point(index + 1, following), style)
        layout = Table.grid(padding=(0, 2))
        layout.add_column(width=columns, no_wrap=True)
        layout.add_column(no_wrap=True)
        layout.add_row(canvas.render(), self._legend())
        return layout

    def _bars(self) -> Table:
        with_bars = self.size.width >= 24 + 14 * len(self.series)
        table = Table.grid(padding=(0, 2))
        table.add_column(no_wrap=True)
        for _ in self.series:
            table.add_column(no_wrap=True)
        table.add_column(no_wrap=True)
        table.add_row(
            Text("Area", style="bold"),
            *(Text(f"{MARKS[i]} {s.label}", style="bold") for i, s in enumerate(self.series)),
            Text("Change" if len(self.series) > 1 else "", style="bold"),
        )
        for area in self.framework.areas:
            cells = []
            for series in self.series:
                score = series.scores.get(area.code)
                bar = "·····" if score is None else "█" * score + "░" * (5 - score)
                shown = self._score(score, area.code)
                cells.append(f"{bar} {shown}" if with_bars else shown)
            table.add_row(Text(area.short_name), *cells, self._change(area.code))
        return table
