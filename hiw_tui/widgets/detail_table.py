"""A table of rows with, below it, the highlighted row in full."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from rich.console import RenderableType
from textual import on
from textual.app import ComposeResult
from textual.message import Message
from textual.widget import Widget
from textual.widgets import DataTable, Static

from hiw_tui.widgets.tables import LeanTable

T = TypeVar("T")


@dataclass(frozen=True)
class Row(Generic[T]):
    """One row: its key (unique in the table), the item it shows, and its cells."""

    key: str
    item: T
    cells: Sequence[RenderableType]


class DetailTable(Widget, Generic[T]):
    """Shows the rows it is given, and the detail of the highlighted one below them.

    A reload updates the rows in place when they are the same rows in the same order,
    and otherwise keeps the cursor at its place; either way the cursor moves to the row
    the screen asks for, if that row is there.
    """

    DEFAULT_CSS = """
    DetailTable { layout: vertical; height: auto; }
    DetailTable > .row-detail { height: auto; }
    """

    @dataclass
    class Highlighted(Message):
        """The highlighted row, or what it shows, changed: `item` is None with no rows."""

        detail_table: DetailTable[Any]
        item: Any

        @property
        def control(self) -> DetailTable[Any]:
            return self.detail_table

    @dataclass
    class Chosen(Message):
        """Enter (or a click) chose the highlighted row."""

        detail_table: DetailTable[Any]
        item: Any

        @property
        def control(self) -> DetailTable[Any]:
            return self.detail_table

    def __init__(
        self,
        columns: Sequence[tuple[str, str]],
        *,
        detail: Callable[[T], RenderableType] | None = None,
        empty: str = "",
        zebra_stripes: bool = False,
        id: str | None = None,
    ) -> None:
        """`columns` are (key, heading); `detail` gives the text shown below the table
        for a row (None: no detail pane), and `empty` the text shown where the rows
        would be when there are none."""
        super().__init__(id=id)
        self._columns = columns
        self._detail = detail
        self._empty = empty
        self._zebra_stripes = zebra_stripes
        self.rows: list[Row[T]] = []
        self._detailed: Row[T] | None = None
        """The row whose detail is shown (told again that it is highlighted, as the
        table tells once the rows are shown, nothing is drawn again)."""

    def compose(self) -> ComposeResult:
        yield LeanTable(cursor_type="row", zebra_stripes=self._zebra_stripes)
        if self._detail is not None:
            yield Static("", classes="row-detail", markup=False)

    def on_mount(self) -> None:
        table = self._table
        for key, heading in self._columns:
            table.add_column(heading, key=key)

    @property
    def _table(self) -> LeanTable[RenderableType]:
        return self.query_one(LeanTable)

    def focus(self, scroll_visible: bool = True) -> DetailTable[T]:
        self._table.focus(scroll_visible)
        return self

    def room_for(self, key: str, widths: Mapping[str, int]) -> int:
        """The width left for column `key` beside the others, whose cells are at most
        `widths` wide (each column as wide as its heading at least): every column has
        its cell padding on either side, and a vertical scrollbar's room is kept (a
        longer list shows one, and a line wider than the table then scrolls sideways,
        its scrollbar taking a row)."""
        table = self._table
        others = [
            max(len(heading), widths.get(column, 0))
            for column, heading in self._columns
            if column != key
        ]
        padding = 2 * table.cell_padding * len(self._columns)
        width = self.size.width or self.app.size.width
        return width - table.styles.scrollbar_size_vertical - padding - sum(others)

    def show(
        self,
        rows: Sequence[Row[T]],
        *,
        select: str | None = None,
        empty: str | None = None,
        fresh: bool = False,
    ) -> None:
        """Show `rows`, with the cursor on the row keyed `select` if given and there;
        `empty` says why there are none, instead of the table's own words. `fresh`
        shows them afresh even when they are the same rows: a cell updated in place
        can widen its column but never narrow it (cells cut to a narrower terminal)."""
        table = self._table
        table.empty = self._empty if empty is None else empty  # once the rows are known
        if not fresh and [row.key for row in rows] == [row.key for row in self.rows]:
            # Only the cells that changed: Textual measures a whole column again for
            # each updated cell narrower than the column, so updating every cell of a
            # long list took seconds (My week's 600 items, back from a household: 15 s).
            for before, row in zip(self.rows, rows, strict=True):
                for column, old, cell in zip(table.columns, before.cells, row.cells, strict=True):
                    if not _same(old, cell):
                        table.update_cell(row.key, column, cell, update_width=True)
            table.measure_now()
        else:
            chosen, was = table.cursor_row, self.current_row
            table.clear()
            for row in rows:
                table.add_row(*row.cells, key=row.key)
            table.measure_now()
            if rows:
                table.move_cursor(row=min(chosen, len(rows) - 1), animate=False)
            if select is None and was is not None:
                select = was.key  # the row the cursor was on, if it is still there
        self.rows = list(rows)
        if select is not None:
            table.move_cursor_to_key(select)
        self._highlighted()

    @property
    def current_row(self) -> Row[T] | None:
        """The highlighted row (None with no rows)."""
        if not self.rows:
            return None
        return self.rows[min(self._table.cursor_row, len(self.rows) - 1)]

    @property
    def current(self) -> T | None:
        """The item of the highlighted row (None with no rows)."""
        row = self.current_row
        return None if row is None else row.item

    def move_cursor_by(self, step: int) -> None:
        """Move the cursor `step` rows (j/k), stopping at the first and last row."""
        table = self._table
        if table.row_count:
            table.move_cursor(row=max(0, min(table.row_count - 1, table.cursor_row + step)))

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted | None = None) -> None:
        if event is not None:
            event.stop()
        row = self.current_row
        if row is not None and row is self._detailed:
            return
        self._detailed = row
        if self._detail is not None:
            text = "" if row is None else self._detail(row.item)
            self.query_one(".row-detail", Static).update(text)
        self.post_message(self.Highlighted(self, None if row is None else row.item))

    @on(DataTable.RowSelected)
    def _chosen(self, event: DataTable.RowSelected) -> None:
        event.stop()
        row = self.current_row
        if row is not None:
            self.post_message(self.Chosen(self, row.item))


def _same(old: object, new: object) -> bool:
    """Whether a cell shows the same as before: rich's `Text` compares its text and
    spans only, not the style of the whole."""
    return (
        type(old) is type(new)
        and old == new
        and getattr(old, "style", None) == getattr(new, "style", None)
    )
