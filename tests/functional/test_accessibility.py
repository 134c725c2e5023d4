"""Accessibility from the keyboard at 80x24: the terminal's cursor on the highlight, the
themes, a keymap file's keys, and copying a household's reference.

(The cursor read from a real terminal is in test_terminal.py.)"""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.color import ColorSystem
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Select
from textual.widgets._select import SelectOverlay

from hiw_tui.app import HiwApp
from hiw_tui.keymap import load_keymap
from hiw_tui.screens.dialogs.common import HelpScreen
from hiw_tui.screens.household.household_record import HouseholdRecordScreen
from hiw_tui.screens.reports.reports import ReportsScreen
from hiw_tui.settings import Settings
from hiw_tui.widgets.checklist import Checklist
from hiw_tui.widgets.field import FormField
from hiw_tui.widgets.score_grid import ScoreGrid
from tests.helpers.pilot import SIZE, screen_text, settle
from tests.helpers.world import TODAY, World

STANDARD = ColorSystem.STANDARD


def under_cursor(app: HiwApp) -> str:
    """The screen's line the terminal's cursor is on, from the cursor onwards."""
    x, y = app.cursor_position
    return screen_text(app).splitlines()[y][x:]


async def _press(pilot: Pilot[None], *keys: str) -> None:
    await pilot.press(*keys)
    await settle(pilot)


async def test_the_cursor_follows_the_highlighted_row_field_option_and_score(
    world: World,
) -> None:
    app = world.app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert under_cursor(app).startswith("HH-000 ")
        await _press(pilot, "j", "j")
        assert under_cursor(app).startswith("HH-002 ")
        await _press(pilot, "slash")  # the search box: the cursor is its text cursor
        search = app.screen.query_one("#search", Input)
        # on the caret: the first cell of the empty box, not the one after it
        assert app.cursor_position == search.content_region.offset
        await _press(pilot, "enter", "enter")  # back to the list, and open HH-002
        assert isinstance(app.screen, HouseholdRecordScreen)
        assert "Primary" in under_cursor(app) and "Alex02" in under_cursor(app)
        await _press(pilot, "j")
        assert "Secondary" in under_cursor(app) and "Sam02" in under_cursor(app)
        await _press(pilot, "m")  # Sam's form: Tab to the support needs
        needs = app.screen.query_one("#support-needs", Checklist)
        while not needs.has_focus:
            await pilot.press("tab")
        await _press(pilot, "j", "j", "j")
        assert under_cursor(app).startswith("[ ] Lone parent")
        await _press(pilot, "escape")
        await _press(pilot, "s")  # a Star reading of Sam: the score grid
        grid = app.screen.query_one(ScoreGrid)
        assert grid.has_focus
        await _press(pilot, "3", "right")
        x, y = app.cursor_position
        assert "▶ Stability and Home" in screen_text(app).splitlines()[y]
        columns = screen_text(app).splitlines()[y - 2]  # the points' heading
        assert columns[x] == "4"


async def test_the_cursor_stays_on_what_shows_of_a_scrolled_table(world: World) -> None:
    app = world.app()
    async with app.run_test(size=(80, 12)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        await _press(pilot, *"jjjjjjj")  # past the last row that fits: the table scrolls
        assert table.scroll_y > 0
        assert under_cursor(app).startswith("HH-007 ")


@pytest.mark.parametrize(
    ("theme", "textual_theme", "terminal_colours"),
    [
        ("default", "textual-dark", False),
        # The terminal's own palette: its ANSI colours as they are, not turned into RGB.
        ("terminal", "ansi-dark", True),
        ("high-contrast", "hiw-high-contrast", False),
    ],
)
async def test_a_theme_is_chosen_by_a_setting(
    world: World, theme: str, textual_theme: str, terminal_colours: bool
) -> None:
    app = world.app(theme=theme)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.theme == textual_theme
        assert app.native_ansi_color is terminal_colours


async def test_the_theme_can_be_changed_from_the_command_palette(world: World) -> None:
    app = world.app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _press(pilot, "ctrl+p", *"theme")
        await _press(pilot, "enter")
        await _press(pilot, *"high")
        await _press(pilot, "enter")
        assert app.theme == "hiw-high-contrast"


async def test_the_command_palette_offers_no_screenshot(world: World) -> None:
    """A screenshot would be a file of what is on screen, written unaudited."""
    app = world.app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _press(pilot, "ctrl+p", *"screensh")
        await pilot.pause(0.5)  # the palette searches in the background
        assert "Screenshot" not in screen_text(app)


def _keymap_app(world: World, tmp_path: Path, text: str) -> HiwApp:
    path = tmp_path / "keys.toml"
    path.write_text(text, encoding="utf-8")
    return HiwApp(
        database=world.database,
        actor=world.staff.manager,
        settings=Settings(),
        today=lambda: TODAY,
        keymap=load_keymap(path),
    )


async def test_a_keymap_file_rebinds_the_reports_brackets_and_help(
    world: World, tmp_path: Path
) -> None:
    app = _keymap_app(
        world, tmp_path, '[reports]\nstep_1 = "n"\n"step_-1" = "p"\n[app]\nhelp = "f1"\n'
    )
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _press(pilot, "R")
        reports = app.screen
        assert isinstance(reports, ReportsScreen) and reports.kind == "performance"
        await _press(pilot, "n")
        assert reports.kind == "cohort"
        await _press(pilot, "right_square_bracket")  # no longer bound
        assert reports.kind == "cohort"
        await _press(pilot, "p", "p")
        assert reports.kind == "trends"  # the last, before the first
        assert "n Next report" in screen_text(app)  # the footer shows the new key
        await _press(pilot, "question_mark")
        assert not isinstance(app.screen, HelpScreen)
        await _press(pilot, "f1")
        assert isinstance(app.screen, HelpScreen)
        seen = set(screen_text(app).splitlines())
        for _ in range(3):  # the whole list of keys, a page at a time
            await _press(pilot, "pagedown")
            seen |= set(screen_text(app).splitlines())
        assert any("█ n " in line and "Next report" in line for line in seen)
        assert any("█ F1 " in line and "Help" in line for line in seen)


@pytest.mark.parametrize("where", ["list", "record"])
async def test_y_copies_the_households_reference(world: World, where: str) -> None:
    app = world.app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await _press(pilot, "j")
        if where == "record":
            await _press(pilot, "enter")
            assert isinstance(app.screen, HouseholdRecordScreen)
        await _press(pilot, "y")
        assert app.clipboard == "HH-001"
        assert "Copied HH-001 to the clipboard." in screen_text(app)


async def test_an_open_list_of_choices_has_a_frame_in_16_colours(world: World) -> None:
    """A compact Select's open list has no frame, only a background one shade off the
    screen's: in 16 colours both are black, and the list ran into the rows under it."""
    app = world.app(world.staff.liverpool_supervisor)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        status = app.screen.query_one("#status", Select)
        status.focus()
        await _press(pilot, "enter")
        overlay = status.query_one(SelectOverlay)
        assert overlay.display
        kind, frame = overlay.styles.border_top
        inside = overlay.styles.background
        assert kind == "tall"
        assert frame.rich_color.downgrade(STANDARD) != inside.rich_color.downgrade(STANDARD)


async def test_a_focused_list_of_choices_stands_out_in_16_colours(world: World) -> None:
    """A compact Select showed focus by a 5% tint, the same black in 16 colours: only
    its arrow changed shade, and Tab seemed to go nowhere. Its choice is now reversed."""
    app = world.app(world.staff.ada)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        status = app.screen.query_one("#status", Select)
        label = status.query_one("SelectCurrent #label")
        assert not label.rich_style.reverse
        status.focus()
        await settle(pilot)
        assert label.rich_style.reverse


async def test_the_field_being_typed_in_has_its_label_reversed(world: World) -> None:
    """A form showed which field had focus by its colour alone: in 16 colours or with
    NO_COLOR, Tab seemed to go nowhere. The focused field's label is reversed."""
    app = world.app(world.staff.ada)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _press(pilot, "n")
        labels = {
            field.id: field.query_one(".field-label").rich_style.reverse
            for field in app.screen.query(FormField)
        }
        assert [name for name, reversed_ in labels.items() if reversed_] == ["field-reference"]
        await _press(pilot, "tab")
        [focused] = [field for field in app.screen.query(FormField) if field.has_focus_within]
        assert focused.id != "field-reference"
        assert focused.query_one(".field-label").rich_style.reverse
        reference = app.screen.query_one("#field-reference")
        assert not reference.query_one(".field-label").rich_style.reverse


async def test_tab_goes_round_a_form_with_no_stop_that_shows_nothing(world: World) -> None:
    """After Cancel, Tab stopped on the fields' scrolling frame: nothing reversed, nothing
    to type in, and one more Tab reached the first field."""
    app = world.app(world.staff.ada)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _press(pilot, "n")
        assert app.focused is not None and app.focused.id == "reference"
        await _press(pilot, "shift+tab")
        assert app.focused is not None and app.focused.id == "cancel"
        await _press(pilot, "tab")
        assert app.focused is not None and app.focused.id == "reference"
