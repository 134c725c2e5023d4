"""Small helpers for the screens' tables."""

from __future__ import annotations

from typing import Any, TypeVar

from rich.segment import Segment
from textual.strip import Strip
from textual.widgets import DataTable

CellType = TypeVar("CellType")


class LeanTable(DataTable[CellType]):
    """A DataTable that, in the low-bandwidth profile (no mouse), writes each run of
    cells sharing a style as one: the per-cell mouse data in a cell's style would
    otherwise repeat the colour codes for every cell (half the bytes of a cursor move)."""

    def render_line(self, y: int) -> Strip:
        line = super().render_line(y)
        if not getattr(self.app, "low_bandwidth", False):
            return line
        plain = [
            Segment(text, style.clear_meta_and_links() if style else None, control)
            for text, style, control in line
        ]
        return Strip(Segment.simplify(plain), line.cell_length)


def move_cursor_by(table: DataTable[Any], step: int) -> None:
    """Move the row cursor `step` rows (j/k), stopping at the first and last row."""
    if table.row_count:
        table.move_cursor(row=max(0, min(table.row_count - 1, table.cursor_row + step)))
