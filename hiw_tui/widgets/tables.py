"""Small helpers for the screens' tables."""

from __future__ import annotations

from typing import Any

from textual.widgets import DataTable


def move_cursor_by(table: DataTable[Any], step: int) -> None:
    """Move the row cursor `step` rows (j/k), stopping at the first and last row."""
    if table.row_count:
        table.move_cursor(row=max(0, min(table.row_count - 1, table.cursor_row + step)))
