"""The terminal's cursor follows the highlight on every screen.

Textual moves the terminal's cursor to `App.cursor_position` after each screen update,
and keeps the cursor hidden; only its own text fields set the position. Here, just
before each update is written, the position is set to the focused widget's highlight
(`hiw_tui.widgets.cursor.cursor_place`): a table's cursor row, a list's highlighted
option, the score grid's cell, a field's text cursor, else the focused widget itself,
and the screen's top left when nothing has focus. Screen readers and braille displays
that track the cursor then read what is highlighted. With `settings.show_cursor` the
cursor is also shown, for magnifiers and readers that track only a visible cursor.
"""

from __future__ import annotations

from rich.console import RenderableType
from textual.geometry import Offset
from textual.screen import Screen

from hiw_tui.screens.base.case_work_app import CaseWorkApp
from hiw_tui.widgets.cursor import cursor_place

SHOW_CURSOR = "\x1b[?25h"


class CursorOnHighlight(CaseWorkApp):
    _cursor_shown = False

    # Textual 8.2 (pinned) writes each update of the screen, then moves the cursor to
    # `cursor_position`, in `_display`: the one place that sees every update.
    def _display(self, screen: Screen[object], renderable: RenderableType | None) -> None:
        focused = screen.focused
        self.cursor_position = Offset(0, 0) if focused is None else cursor_place(focused)
        super()._display(screen, renderable)
        driver = self._driver
        if driver is None or self._cursor_shown or not self.loaded:
            return  # the settings are read once the data layer is loaded
        if self.settings.show_cursor:
            # Textual hides the cursor once, when it takes over the terminal.
            driver.write(SHOW_CURSOR)
            self._cursor_shown = True
