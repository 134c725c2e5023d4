"""Small helpers for the screens' tables."""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import suppress
from typing import TypeVar

from rich.segment import Segment
from textual.strip import Strip
from textual.widgets import DataTable
from textual.widgets.data_table import RowDoesNotExist, RowKey

CellType = TypeVar("CellType")


class LeanTable(DataTable[CellType]):
    """The screens' DataTable.

    In the low-bandwidth profile (no mouse) it writes each run of cells sharing a style
    as one: the per-cell mouse data in a cell's style would otherwise repeat the colour
    codes for every cell (half the bytes of a cursor move).

    It also never keeps a row drawn before its columns were measured. DataTable measures
    new rows when it is next idle, and its drawn lines are cached until its contents or
    size change; a row drawn in between (a busy machine) stayed cut to the old column
    widths ("Anfi" for "Anfield Food Bank") whenever no resize followed the measuring.
    """

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        super()._update_dimensions(new_rows)
        self._update_count += 1  # what was drawn before the measuring is drawn again

    def render_line(self, y: int) -> Strip:
        line = super().render_line(y)
        if not getattr(self.app, "low_bandwidth", False):
            return line
        plain = [
            Segment(text, style.clear_meta_and_links() if style else None, control)
            for text, style, control in line
        ]
        return Strip(Segment.simplify(plain), line.cell_length)

    def move_cursor_to_key(self, key: str) -> None:
        """Put the cursor on the row keyed `key`, if that row is there."""
        with suppress(RowDoesNotExist):
            self.move_cursor(row=self.get_row_index(key), animate=False)
