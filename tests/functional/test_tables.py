"""The screens' table widget on its own."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import App, ComposeResult
from textual.widgets import Static

from hiw_tui.widgets.detail_table import DetailTable, Row
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


class Details(App[None]):
    def compose(self) -> ComposeResult:
        yield DetailTable[str]([("name", "Name")], detail=lambda item: f"About {item}")


def rows(*names: str) -> list[Row[str]]:
    return [Row(key=name, item=name, cells=(name,)) for name in names]


async def test_a_reload_keeps_the_cursor_on_its_row_and_shows_typed_text_as_typed() -> None:
    app = Details()
    async with app.run_test(size=(40, 8)) as pilot:
        table = app.query_one(DetailTable)
        table.show(rows("Ann", "Bob", "[b]Cy[/b]"))
        table.move_cursor_by(2)
        await pilot.pause()
        detail = app.query_one(".row-detail", Static)
        assert str(detail.render()) == "About [b]Cy[/b]"  # typed text, never markup
        table.show(rows("[b]Cy[/b]", "Dee"))  # Ann and Bob gone: the cursor follows Cy
        await pilot.pause()
        assert table.current == "[b]Cy[/b]"


async def test_rows_shown_draw_the_highlighted_rows_detail_once() -> None:
    """The table tells of the row highlighted as the rows are shown, whose detail is
    shown already: it was made and laid out again (about 20 of the 135 ms a household's
    record took to open)."""
    made: list[str] = []

    def detail(item: str) -> str:
        made.append(item)
        return f"About {item}"

    class Counted(App[None]):
        def compose(self) -> ComposeResult:
            yield DetailTable[str]([("name", "Name")], detail=detail)

    app = Counted()
    async with app.run_test(size=(40, 8)) as pilot:
        table = app.query_one(DetailTable)
        table.show(rows("Ann", "Bob"))
        await pilot.pause()
        assert made == ["Ann"]
        table.move_cursor_by(1)
        await pilot.pause()
        assert made == ["Ann", "Bob"]
        table.show(rows("Ann", "Bob"))  # the same rows again: their detail may have changed
        await pilot.pause()
        assert made == ["Ann", "Bob", "Bob"]


async def test_rows_shown_again_update_only_the_cells_that_changed() -> None:
    """Textual measures a whole column again for each updated cell narrower than the
    column: updating every cell of My week's 600 items as the user came back to it took
    15 s. A cell whose style alone changed (an overdue date turning red) is updated."""
    app = Details()
    async with app.run_test(size=(40, 8)) as pilot:
        table = app.query_one(DetailTable)
        lean = table.query_one(LeanTable)
        names = [f"Person {n}" for n in range(300)]

        def texts() -> list[Row[str]]:
            return [Row(key=name, item=name, cells=(Text(name),)) for name in names]

        table.show(texts())
        await pilot.pause()
        updated: list[object] = []
        update_cell = lean.update_cell

        def counted(*args: object, **kwargs: object) -> None:
            updated.append(args[2])
            update_cell(*args, **kwargs)  # type: ignore[arg-type]

        lean.update_cell = counted  # type: ignore[method-assign]
        table.show(texts())
        assert updated == []
        again = texts()
        again[5] = Row(key=names[5], item=names[5], cells=(Text(names[5], style="red"),))
        again[7] = Row(key=names[7], item=names[7], cells=(Text("Someone else"),))
        table.show(again)
        assert [str(cell) for cell in updated] == [names[5], "Someone else"]
        await pilot.pause()
        assert [str(cell) for cell in lean.get_row(names[7])] == ["Someone else"]
