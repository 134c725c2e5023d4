"""Where the terminal's cursor belongs: on the highlighted row, cell or option, or on
the focused field, so that screen readers and braille displays that follow the cursor
read what is highlighted.

`cursor_place` answers for any focused widget, by kind: a table's cursor row (or cell),
a list's highlighted option, a text field's own text cursor, a widget that says where
its highlight is (`HasCursor`), and otherwise the widget's top left. The app puts the
terminal's cursor there each time it draws (`hiw_tui.screens.base.cursor`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, runtime_checkable

from textual.geometry import Offset, Region
from textual.widget import Widget
from textual.widgets import Input

if TYPE_CHECKING:
    from textual.widgets import DataTable, OptionList


@runtime_checkable
class HasCursor(Protocol):
    """A widget that draws its own highlight (the Star score grid)."""

    @property
    def cursor_offset(self) -> Offset:
        """The highlight, from the top left of the widget's content."""
        ...


def cursor_place(widget: Widget) -> Offset:
    """Where on the screen the cursor goes for the focused `widget`: always within what
    shows of it, however its rows or its containers are scrolled."""
    content = widget.scrollable_content_region
    if isinstance(widget, Input):
        # Textual 8.2 places an input's cursor one cell past the caret at the end of
        # the text (where the caret is drawn on the cell after the last character).
        spot = widget.cursor_screen_offset - Offset(1 if widget.cursor_at_end else 0, 0)
        return _within(spot, _shown(widget, content))
    # Imported once a screen has one: the sign-in screen, drawn first, has only inputs.
    from textual.widgets import DataTable, OptionList, TextArea

    if isinstance(widget, TextArea):
        spot = widget.cursor_screen_offset
    elif isinstance(widget, DataTable):
        spot = content.offset + table_cursor(widget)
    elif isinstance(widget, OptionList):
        spot = content.offset + option_cursor(widget)
    elif isinstance(widget, HasCursor):
        spot = content.offset + widget.cursor_offset
    else:
        spot = content.offset
    return _within(spot, _shown(widget, content))


def table_cursor(table: DataTable[object]) -> Offset:
    """The cursor's row (at its first cell shown) or cell, at the cell's text, from the
    top left of the table's content as it is scrolled now. The project's tables have no
    row labels."""
    if not table.row_count or not table.show_cursor or table.cursor_type == "none":
        return Offset(0, 0)
    row, column = table.cursor_coordinate
    y = sum(shown.height for shown in table.ordered_rows[:row])
    if table.show_header:
        y += table.header_height
    if row >= table.fixed_rows:
        y -= round(table.scroll_y)
    x = table.cell_padding
    if table.cursor_type in ("cell", "column"):
        x += sum(shown.get_render_width(table) for shown in table.ordered_columns[:column])
        if column >= table.fixed_columns:
            x -= round(table.scroll_x)
    return Offset(x, y)


def option_cursor(options: OptionList) -> Offset:
    """The highlighted option's first line, from the top left of the list's content."""
    if options.highlighted is None:
        return Offset(0, 0)
    # Textual 8.2 keeps each option's first line in its line cache, and nowhere public.
    line = options._index_to_line.get(options.highlighted, 0)
    return Offset(0, line - round(options.scroll_y))


def _shown(widget: Widget, content: Region) -> Region:
    """What shows of `content` inside the containers that scroll it."""
    for node in widget.ancestors:
        if isinstance(node, Widget) and node.is_scrollable and node.region:
            content = content.intersection(node.scrollable_content_region)
    return content


def _within(spot: Offset, region: Region) -> Offset:
    if not region:
        return spot
    x = min(max(spot.x, region.x), region.right - 1)
    y = min(max(spot.y, region.y), region.bottom - 1)
    return Offset(x, y)
