"""Figures over months as a column chart of block characters, with labelled axes.

Each series has its own glyph (█ the first, ▒ the second, ░ a third) as well as its own
colour, and a key says which is which, so the chart reads the same in 16 colours, with
NO_COLOR and on a monochrome thin client. The y axis is labelled at its top, at zero
and half way where that is a whole number; the x axis with each month's initials, and
the year where it starts or turns. A column of a figure above zero is at least one cell
high, so nothing counted looks like nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from rich.text import Text
from textual.geometry import Size
from textual.widget import Widget

from hiw_tui.reports.tables import Chart

HEIGHT = 6
"""Rows of columns."""
GLYPHS = (("█", "green"), ("▒", "yellow"), ("░", "cyan"))


def scale_top(largest: int) -> int:
    """The least of 1, 2, 5 x a power of ten at or above `largest` (1 for nothing)."""
    if largest <= 1:
        return 1
    power: int = 10 ** len(str(largest)) // 10
    return next(step * power for step in (1, 2, 5, 10) if step * power >= largest)


def cells_high(value: int, top: int, height: int = HEIGHT) -> int:
    """Whole cells of a column for `value` on a scale to `top`; at least 1 above zero."""
    if value <= 0:
        return 0
    return max(1, min(height, round(value * height / top)))


def chart_text(chart: Chart, width: int | None = None) -> Text:
    """The chart, its months wrapped onto further rows of columns where they would run
    past `width` cells (None: one row however wide), so that no month is reached only
    by scrolling sideways."""
    series = chart.series[: len(GLYPHS)]
    divisor = 100 if chart.money else 1  # pence drawn as whole pounds
    values = [[max(0, value) // divisor for value in s.values] for s in series]
    top = scale_top(max((v for column in values for v in column), default=0))
    unit = "£" if chart.money else ""
    marks = {0: f"{unit}{top:,}"}
    if top % 2 == 0:  # a whole number half way up
        marks[HEIGHT // 2] = f"{unit}{top // 2:,}"
    margin = max(len(mark) for mark in marks.values())
    bar = 2 if len(series) == 1 else 1
    group = max(4, len(series) * bar + 2)
    heights = [[cells_high(v, top) for v in column] for column in values]
    months = len(chart.labels)
    per_row = max(1, months if width is None else (width - margin - 2) // group)
    text = Text(chart.title, style="bold")
    for first in range(0, max(months, 1), per_row):  # no months: the axes alone
        shown = range(first, min(first + per_row, months))
        text.append("\n\n" if first else "\n")  # a line between rows of months
        for row in range(HEIGHT):
            level = HEIGHT - row  # cells from the bottom this row stands for
            mark = marks.get(row, "")
            text.append(f"{mark:>{margin}} {'┤' if mark else '│'}")
            for month in shown:
                for (glyph, style), column in zip(GLYPHS, heights, strict=False):
                    text.append((glyph if column[month] >= level else " ") * bar, style=style)
                text.append(" " * (group - len(series) * bar))
            text.append("\n")
        labels = chart.labels[shown.start : shown.stop]
        text.append(f"{'0':>{margin}} ┼{'─' * (group * len(labels))}\n")
        text.append(" " * (margin + 2) + _labels(labels, group, _month_initials) + "\n")
        text.append(" " * (margin + 2) + _labels(labels, group, _year_turns))
    if len(series) > 1:
        text.append("\nKey: ")
        for (glyph, style), each in zip(GLYPHS, series, strict=False):
            text.append(glyph * 2, style=style)
            text.append(f" {each.name}  ")
    return text


def _month(label: str) -> date:
    return date.fromisoformat(f"{label}-01")


def _month_initials(labels: tuple[str, ...], index: int) -> str:
    return f"{_month(labels[index]):%b}"


def _year_turns(labels: tuple[str, ...], index: int) -> str:
    """The year under each January, and under a row's first month unless the next is a
    January (its year would run into the next one's: "20242025")."""
    day = _month(labels[index])
    turns_next = index + 1 < len(labels) and _month(labels[index + 1]).month == 1
    return f"{day:%Y}" if day.month == 1 or (index == 0 and not turns_next) else ""


def _labels(
    labels: tuple[str, ...], group: int, name: Callable[[tuple[str, ...], int], str]
) -> str:
    """A label per column, each cut to the column's width."""
    return "".join(f"{name(labels, index):<{group}}"[:group] for index in range(len(labels)))


class ColumnChart(Widget):
    """Set `show(chart)`; drawn to the width it is given."""

    DEFAULT_CSS = "ColumnChart { height: auto; }"

    def __init__(self, *, classes: str | None = None) -> None:
        super().__init__(classes=classes)
        self.chart: Chart | None = None

    def show(self, chart: Chart) -> None:
        self.chart = chart
        self.refresh(layout=True)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """As many lines as the chart takes at `width` (its rows of months wrap)."""
        return len(self._text(width).plain.splitlines())

    def render(self) -> Text:
        return self._text(self.content_size.width)

    def _text(self, width: int) -> Text:
        return Text() if self.chart is None else chart_text(self.chart, width or None)
