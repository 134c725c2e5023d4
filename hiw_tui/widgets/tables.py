"""Small helpers for the screens' tables."""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import suppress
from typing import Self, TypeVar

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.geometry import Region, Spacing
from textual.reactive import reactive
from textual.render import measure
from textual.strip import Strip
from textual.widget import Widget
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

    When rows lie below what shows on the screen (below its own scroll, or below the
    edge of a scrolling container it sits in), its last visible line says how many:
    "▼ 12 more below", at the left of what shows of it. That line covers a row, which
    the count includes; the cursor keeps a row's room above the table's bottom so it
    never sits under the notice.
    Rows are one line high (no screen gives them more).

    With no rows, `empty` is written on the first line under the headings, where the
    rows would be: a message at the foot of the screen was missed (the list looked
    blank).
    """

    BINDINGS = [
        Binding("home", "scroll_home", "First row", show=False),
        Binding("end", "scroll_end", "Last row", show=False),
    ]
    """Home and End go to a list's first and last row (DataTable's own go to its first
    and last column, which a row cursor does not have: they did nothing to be seen)."""

    _notice = ""
    _notice_line = -1
    empty = reactive("")
    """What the first line under the headings says while there are no rows."""

    def action_scroll_home(self) -> None:
        if self.cursor_type == "row":
            self.action_scroll_top()
        else:
            super().action_scroll_home()

    def action_scroll_end(self) -> None:
        if self.cursor_type == "row":
            self.action_scroll_bottom()
        else:
            super().action_scroll_end()

    def action_page_down(self) -> None:
        self._page_by(1)

    def action_page_up(self) -> None:
        self._page_by(-1)

    def _page_by(self, step: int) -> None:
        """A page of rows down (`step` 1) or up (-1), cursor and rows together: a page is
        the rows that show less the one under "▼ more below", so that the row the notice
        covered is the first of the next page. DataTable's page is every row in the
        table's height, which skipped that row on every page."""
        if self.cursor_type != "row" or not self.show_cursor or not self.row_count:
            if step > 0:
                super().action_page_down()
            else:
                super().action_page_up()
            return
        page = max(1, self._rows_shown() - 1) * step
        self._set_hover_cursor(False)
        self.scroll_relative(y=page, animate=False, force=True, immediate=True)
        self.move_cursor(row=max(0, min(self.row_count - 1, self.cursor_row + page)), scroll=False)

    def _rows_shown(self) -> int:
        """How many rows' lines show under the headings (the table's own height, or less
        where a scrolling container cuts it off)."""
        header = self.header_height if self.show_header else 0
        return self._visible_bottom() - self.scrollable_content_region.y - header

    def on_resize(self) -> None:
        """A table whose height changed keeps the highlighted row in sight: a heading
        above it that grew a line after the cursor was placed (or a terminal made
        smaller) left that row, which the detail below describes, out of sight."""
        if self.row_count and self.show_cursor and self.cursor_type == "row":
            self.move_cursor(row=self.cursor_row, animate=False)

    def on_mount(self) -> None:
        # A container scrolling moves what shows of the table, and its sideways scrollbar
        # coming or going moves the bottom of what shows: say afresh what is below.
        for node in self.ancestors:
            if isinstance(node, Widget) and node.is_scrollable:
                self.watch(node, "scroll_y", self._scrolled_around, init=False)
                self.watch(node, "scroll_x", self._scrolled_around, init=False)
                self.watch(node, "show_horizontal_scrollbar", self._scrolled_around, init=False)

    def _scrolled_around(self) -> None:
        self.refresh()

    def _visible_bottom(self) -> int:
        """The screen row just below the last line of the table that is on screen."""
        bottom = self.scrollable_content_region.bottom
        for node in self.ancestors:
            if isinstance(node, Widget) and node.is_scrollable and node.region:
                bottom = min(bottom, node.scrollable_content_region.bottom)
        return bottom

    @property
    def rows_below(self) -> int:
        """How many rows lie wholly or partly below what shows on the screen, counting
        the row under the notice (0 when the last row shows)."""
        shown = self._rows_shown()
        if shown <= 0 or not self.row_count:
            return 0
        header = self.header_height if self.show_header else 0
        hidden = self.virtual_size.height - header - int(self.scroll_y) - shown
        return hidden + 1 if hidden > 0 else 0

    def _get_fixed_offset(self) -> Spacing:
        return super()._get_fixed_offset() + Spacing(bottom=1)

    def clear(self, columns: bool = False) -> Self:
        """Clear the rows, and narrow each column to its heading again: DataTable widens
        a column for the rows it is given but never narrows it, so a list shown afresh
        (a new search, My week after a resize) kept the width of the widest row it
        had ever held, and scrolled sideways for nothing."""
        super().clear(columns)
        for column in self.columns.values():
            column.content_width = measure(self.app.console, column.label, 1)
        return self

    def measure_now(self) -> None:
        """Measure the rows just added and the cells just updated now, as DataTable would
        when next idle (Textual 8.2's `_on_idle`): a screen showing its rows draws them
        once, at their widths, and its cursor scrolls within its rows' height, rather
        than drawing them at the old widths and again once measured."""
        if self._updated_cells:
            updated, self._updated_cells = self._updated_cells, set()
            self._update_column_widths(updated)
        if self._require_update_dimensions:
            self._require_update_dimensions = False
            new_rows, self._new_rows = self._new_rows, set()
            self._update_dimensions(new_rows)

    def watch_show_vertical_scrollbar(self, shown: bool) -> None:
        """A scrollbar shown after the rows scrolled (measured at once, the cursor moves
        before the next layout shows the bar) starts where the rows are, not at the top:
        Textual moves the bar with the rows only while it is shown."""
        if shown:
            self.vertical_scrollbar.position = self.scroll_y

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        measured = list(new_rows)
        super()._update_dimensions(measured)
        if measured:  # what was drawn before the measuring is drawn again
            self._update_count += 1

    def render_lines(self, crop: Region) -> list[Strip]:
        below = self.rows_below
        self._notice_line = self._visible_bottom() - self.scrollable_content_region.y - 1
        self._notice = f" ▼ {below} more below " if below else ""
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        if self._notice and y == self._notice_line:
            style = self.rich_style + Style(reverse=True)
            # Padded in the table's style: a segment with none breaks Textual's
            # no-colour filter.
            # Drawn where the table's left shows, when a container scrolls it sideways.
            shift = sum(
                int(node.scroll_x)
                for node in self.ancestors
                if isinstance(node, Widget) and node.is_scrollable
            )
            pad = [Segment(" " * shift, self.rich_style)] if shift else []
            notice = Strip([*pad, Segment(self._notice, style)])
            return notice.adjust_cell_length(self.size.width, self.rich_style)
        if (
            self.empty
            and not self.row_count
            and y == (self.header_height if self.show_header else 0)
        ):
            line = Strip([Segment(f" {self.empty}", self.rich_style)])
            return line.adjust_cell_length(self.size.width, self.rich_style)
        return self._line(y)

    def _line(self, y: int) -> Strip:
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
