"""A report's table in the width there is: whole columns only, its first always."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text

from hiw_tui.reports.tables import Table, cell_text, is_figure
from hiw_tui.widgets.tables import LeanTable
from hiw_tui.widgets.text import user_text

PADDING = 2
"""The cells a column takes beside its widest value (DataTable's one either side)."""


def column_widths(table: Table) -> list[int]:
    """The cells each column takes on screen: its widest value (or heading), padded."""
    cells = [table.headings, *([cell_text(cell) for cell in row] for row in table.rows)]
    return [
        max(cell_len(str(row[i])) for row in cells) + PADDING for i in range(len(table.headings))
    ]


class ReportTable(LeanTable[object]):
    """A read-only table of a report, as tall as its rows, figures right-aligned.

    Where its columns do not all fit the room it is given (`fit`), it shows its first
    column, the rows' labels, and as many whole columns after it as fit, from `first`;
    `shift` moves along a column at a time. No column is ever cut at an edge, where a
    figure would read as another number ("71" of 271, "£27" of £27,450.00).
    """

    def __init__(self, table: Table) -> None:
        super().__init__(show_cursor=False, zebra_stripes=False, classes="report-table")
        self.can_focus = False
        self._headings = table.headings
        # The first column labels its row, left-aligned even where the label is a
        # number (the cohort's "0" needs per person, beside "1-2").
        self._rows = [
            tuple(
                Text(cell_text(cell), justify="right")
                if is_figure(cell) and index
                else user_text(cell_text(cell))
                for index, cell in enumerate(row)
            )
            for row in table.rows
        ]
        self._widths = column_widths(table)
        self._room = sum(self._widths)
        self.first = 1
        """The first column shown after the labels."""

    def on_mount(self) -> None:
        super().on_mount()
        self._show()

    @property
    def cut(self) -> bool:
        """Whether some columns are not shown."""
        return len(self.shown) < len(self._widths)

    @property
    def shown(self) -> list[int]:
        """The columns shown: the labels, then from `first` as many as fit (one at least)."""
        if len(self._widths) == 1:
            return [0]
        room = self._room - self._widths[0]
        shown = [0, self.first]
        room -= self._widths[self.first]
        for index in range(self.first + 1, len(self._widths)):
            if self._widths[index] > room:
                break
            shown.append(index)
            room -= self._widths[index]
        return shown

    def fit(self, room: int) -> None:
        """Show what fits in `room` cells, from the same column where it can. The last
        column's right padding, a blank cell, may fall beyond the edge."""
        self._room = room + 1
        self.first = max(1, min(self.first, self._last_first()))
        if self.is_mounted:
            self._show()

    def shift(self, step: int) -> None:
        """`step` columns on (back, if negative), no further than the last ones showing."""
        first = max(1, min(self.first + step, self._last_first()))
        if first != self.first:
            self.first = first
            self._show()

    def _last_first(self) -> int:
        """The first of the most columns at the end that fit beside the labels."""
        room = self._room - self._widths[0]
        first = len(self._widths) - 1
        while first > 1 and self._widths[first - 1] <= room - sum(self._widths[first:]):
            first -= 1
        return first

    def _show(self) -> None:
        # Each column at its known width: left to be measured from its rows when next
        # idle, a table drawn before then (a busy machine) kept its headings' widths,
        # its labels cut ("Househo" for "Households started").
        self.clear(columns=True)
        for heading, width in self.shown_columns():
            self.add_column(heading, width=width)
        shown = self.shown
        self.add_rows([row[index] for index in shown] for row in self._rows)

    def shown_columns(self) -> list[tuple[str, int]]:
        """Each column shown: its heading and the width of its cells."""
        return [(self._headings[index], self._widths[index] - PADDING) for index in self.shown]


class PinnedHeadings(LeanTable[object]):
    """The headings of the report's table whose own have scrolled above the top of the
    report, drawn over its first line (`follow`): a long table's columns stay named
    while its rows are read."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(show_cursor=False, id=id)
        self.can_focus = False
        self.display = False

    def follow(self, table: ReportTable | None) -> None:
        """Show `table`'s headings, as its columns stand now (none: hide)."""
        self.display = table is not None
        self.clear(columns=True)
        if table is not None:
            for heading, width in table.shown_columns():
                self.add_column(heading, width=width)
