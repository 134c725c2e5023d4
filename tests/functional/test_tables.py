"""The screens' table widget on its own."""

from __future__ import annotations

from textual import events
from textual.app import App, ComposeResult

from hiw_tui.widgets.tables import LeanTable


class ResizeLate(LeanTable[str]):
    """A table whose resize after measuring its columns has not arrived yet, as when
    the machine is busy: everything it draws comes from its own caches."""

    def _on_resize(self, event: events.Resize) -> None:
        event.prevent_default()


class OneTable(App[None]):
    def compose(self) -> ComposeResult:
        yield ResizeLate(id="items", cursor_type="row")


async def test_a_row_drawn_before_its_columns_are_measured_is_drawn_again_in_full() -> None:
    """A list reloaded on a busy machine can be drawn between adding its rows and
    measuring them; the columns then widen, and the row must not stay cut to the old
    width ("Anfi" for "Anfield Food Bank"), whether or not a resize follows."""
    app = OneTable()
    async with app.run_test(size=(60, 5)) as pilot:
        table = app.query_one(ResizeLate)
        table.add_column("Name", key="name")
        table.add_column("Type", key="kind")
        await pilot.pause()
        table.add_row("Anfield Food Bank", "Food bank", key="1")
        assert table.render_line(1).text.startswith(" Anfi  Food ")  # not yet measured
        await pilot.pause()
        assert table.render_line(1).text.startswith(" Anfield Food Bank  Food bank ")
