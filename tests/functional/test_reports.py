"""The reports screen on the hand-built dataset: the published tables from the keyboard,
the period and area set with `/`, the distance chart, spending, and exports."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Label, OptionList, Select

from hiw_tui.app import HiwApp
from hiw_tui.cli import main
from hiw_tui.db.access.users import get_user
from hiw_tui.db.core.engine import Database
from hiw_tui.screens.reports.reports import ReportsScreen
from hiw_tui.settings import data_dir
from hiw_tui.widgets.field import FormField
from tests.helpers.dataset import load_dataset, reports_app
from tests.helpers.pilot import SIZE, lines_with, screen_text, settle
from tests.helpers.staff import Staff, add_staff


@pytest.fixture
def staffed(sqlite_database: Database) -> Iterator[tuple[Database, Staff]]:
    staff = add_staff(sqlite_database)
    load_dataset(sqlite_database, staff.manager)
    yield sqlite_database, staff


def shown(app: HiwApp) -> ReportsScreen:
    screen = app.screen
    assert isinstance(screen, ReportsScreen)
    assert screen.report is not None
    return screen


async def open_reports(pilot: Pilot[None], *keys: str) -> None:
    await settle(pilot)
    await pilot.press("R", *keys)
    await settle(pilot)


async def test_the_performance_tables_from_one_key(staffed: tuple[Database, Staff]) -> None:
    app = reports_app(*staffed)
    async with app.run_test(size=SIZE) as pilot:
        await open_reports(pilot)
        assert shown(app).report.data["households_started"] == 4  # type: ignore[union-attr]
        assert [line.strip() for line in lines_with(app, "Households started")] == [
            "Households started on the programme                          800       4"
        ]
        assert "Households moved into employment, %                        20.0%   50.0%" in (
            screen_text(app)
        )
        assert "Performance: Whole programme, as of 2026-03-31" in screen_text(app)


async def test_the_period_is_set_with_slash_and_a_bad_date_is_refused_in_place(
    staffed: tuple[Database, Staff],
) -> None:
    app = reports_app(*staffed)
    async with app.run_test(size=SIZE) as pilot:
        await open_reports(pilot, "slash")
        assert "Ctrl+S (or Enter in a date) applies, Esc cancels" in screen_text(app)
        app.screen.query_one("#as-of", Input).value = "2026-03-28"
        app.screen.query_one("#date-from", Input).value = "2026-04-01"
        await pilot.press("ctrl+s")
        await settle(pilot)
        field = app.screen.query_one("#field-date-from", FormField)
        assert field.has_class("-invalid")
        assert "✗ From is after the as-of date." in screen_text(app)
        app.screen.query_one("#date-from", Input).value = ""
        await pilot.press("ctrl+s")
        await settle(pilot)
        report = shown(app).report
        assert report is not None and report.data["job_outcomes"] == 1
        assert "Performance: Whole programme, as of 2026-03-28" in screen_text(app)


async def test_distance_travelled_as_a_chart_and_a_table(staffed: tuple[Database, Staff]) -> None:
    app = reports_app(*staffed)
    async with app.run_test(size=SIZE) as pilot:
        await open_reports(pilot, "3")
        assert [line.strip() for line in lines_with(app, "Skills       1.80")] == [
            "Skills       1.80 → 2.60  ████████████████░░░░  80.0% better 20.0% worse"
        ]
        lines = screen_text(app).splitlines()
        [first] = [n for n, line in enumerate(lines) if "1.80 → 2.60" in line]
        assert lines[first - 1].strip().startswith("Distance travelled by Star area: first →")
        assert "Key: ██ better  ▒▒ same  ░░ worse" in screen_text(app)
        await pilot.press("j", "j", "j", "j", "j", "j", "j", "j", "j", "j", "j", "j")
        await settle(pilot)
        assert [line.strip() for line in lines_with(app, "Stability and Home")] == [
            "Stability and Home              5   2.00    2.80      80.0    20.0      0.0"
        ]


async def test_spending_is_reached_with_dollar_and_exports_are_audited(
    staffed: tuple[Database, Staff],
) -> None:
    database, staff = staffed
    app = reports_app(database, staff)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("dollar_sign")
        await settle(pilot)
        assert shown(app).kind == "spend"
        assert "Furniture and white goods       1  £120.50" in screen_text(app)
        await pilot.press("e", "x")
        await settle(pilot)
    files = sorted((data_dir() / "exports").iterdir())
    assert [path.suffix for path in files] == [".csv", ".xlsx"]
    with files[0].open(newline="", encoding="utf-8-sig") as file:
        rows = list(csv.reader(file))
    assert rows[0] == [
        "month",
        "local_authority",
        "advocate",
        "category",
        "spends",
        "spent",
        "waiting",
    ]
    assert len(rows) == 6
    with database.engine.connect() as connection:
        exports = connection.execute(
            text(
                "SELECT count(*) FROM audit_event "
                "WHERE action = 'export' AND entity = 'spend_report'"
            )
        ).scalar_one()
    assert exports == 2


async def test_an_export_is_written_to_the_configured_export_folder(
    staffed: tuple[Database, Staff], tmp_path: Path
) -> None:
    exports = tmp_path / "office" / "exports"
    app = reports_app(*staffed, export_dir=exports)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_reports(pilot)
        await pilot.press("e")
        await settle(pilot)
        [export] = exports.iterdir()
        assert export.name.startswith("performance-") and export.suffix == ".csv"
        shown = screen_text(app)
        assert f"Exported {export.name}" in shown  # the file's name whole, on one line
        assert "to " in shown
    assert not (data_dir() / "exports").exists()


async def test_an_export_folder_that_cannot_be_written_says_so_and_the_app_stays_up(
    staffed: tuple[Database, Staff], tmp_path: Path
) -> None:
    taken = tmp_path / "taken"
    taken.write_text("a file where the folder should be", encoding="utf-8")
    app = reports_app(*staffed, export_dir=taken / "exports")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_reports(pilot)
        await pilot.press("x")
        await settle(pilot)
        assert "Could not export to" in screen_text(app)
        assert app.is_running and isinstance(app.screen, ReportsScreen)
        await pilot.press("2")  # the screen still answers
        await settle(pilot)
        assert shown(app).kind == "cohort"


async def test_the_advocates_offered_are_named_and_of_the_area_chosen(
    staffed: tuple[Database, Staff],
) -> None:
    app = reports_app(*staffed)
    async with app.run_test(size=SIZE) as pilot:
        await open_reports(pilot)
        await pilot.press("slash")
        await settle(pilot)
        advocate = app.screen.query_one("#advocate", Select)

        def offered() -> set[str]:
            return {str(option.prompt) for option in advocate.query_one(OptionList).options[1:]}

        assert {"Ada Adv", "Cal Adv"} <= offered()
        advocate.value = "ada.adv"
        app.screen.query_one("#local-authority", Select).value = "wirral"
        await settle(pilot)
        assert "Cal Adv" in offered() and "Ada Adv" not in offered()
        assert advocate.value is Select.NULL  # Ada is not of Wirral
        app.screen.query_one("#local-authority", Select).value = "liverpool"
        await settle(pilot)
        assert "Ada Adv" in offered() and "Cal Adv" not in offered()


async def test_a_supervisor_reports_on_their_area_and_chooses_among_its_advocates(
    staffed: tuple[Database, Staff],
) -> None:
    app = reports_app(*staffed, supervisor=True)
    async with app.run_test(size=SIZE) as pilot:
        await open_reports(pilot)
        assert shown(app).report.data["households_started"] == 3  # type: ignore[union-attr]
        await pilot.press("slash")
        await settle(pilot)
        assert not app.screen.query("#local-authority")
        offered = app.screen.query_one("#advocate", Select).query_one(OptionList).options
        assert {str(option.prompt) for option in offered[1:]} == {
            "Ada Adv",
            "adv.one",
            "adv.two",
            "Ben Adv",
        }  # Liverpool's, by name (the import named its advocates by username): not Wirral's


async def test_every_report_table_scrolls_to_its_last_row_and_total(tmp_path: Path) -> None:
    """A demo's spending by month runs longer than the screen: each table is as tall as
    its rows, so scrolling the report reaches every table's Total."""
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    assert main(["demo", "--database", url, "--households", "60", "--seed", "3", "--no-open"]) == 0
    database = Database(url)
    try:
        app = HiwApp(database=database, actor=database.read(get_user, username="manager"))
        async with app.run_test(size=SIZE) as pilot:
            await open_reports(pilot, "4")
            tables = list(app.screen.query("#report-body DataTable"))
            assert max(table.row_count for table in tables) > SIZE[1]
            for table in tables:
                assert table.size.height == table.row_count + 1  # its rows and heading
            await pilot.press(*["j"] * sum(table.size.height + 2 for table in tables))
            await settle(pilot)
            assert lines_with(app, "Total")  # the last table's
            assert tables[-1].region.bottom <= app.screen.region.bottom
    finally:
        database.dispose()


async def test_the_board_pack_from_one_key(staffed: tuple[Database, Staff]) -> None:
    """The targets file's periods to the as-of date, programme and areas side by side,
    with the period's targets beside its figures."""
    app = reports_app(*staffed)
    async with app.run_test(size=SIZE) as pilot:
        await open_reports(pilot, "5")
        report = shown(app).report
        assert report is not None and report.name == "board"
        assert "Board pack: Whole programme, as of 2026-03-31" in screen_text(app)
        screen = shown(app)
        # Its charts are of the last target period, not the pack's span: they say so.
        last = report.tables[-1].title.rsplit(", ", 1)[-1]
        first_title = screen.query(".report-table-title").first(Label)
        assert str(first_title.render()).endswith(f"who moved how, {last}")
        assert report.charts and all(c.title.endswith(f", {last}") for c in report.charts)
        body = screen.query_one("#report-body")
        body.scroll_to_widget(body.query(DataTable).first())
        await settle(pilot)
        assert [line.split() for line in lines_with(app, "Households started  ")] == [
            ["Households", "started", "800", "4"]
        ]
        assert report.data["periods"][0]["actual"]["households_started"] == 4


async def test_a_board_pack_before_any_period_says_so_in_place(
    staffed: tuple[Database, Staff],
) -> None:
    app = reports_app(*staffed)
    async with app.run_test(size=SIZE) as pilot:
        await open_reports(pilot, "slash")
        app.screen.query_one("#as-of", Input).value = "2025-01-01"
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReportsScreen) and screen.report is None
        text = screen_text(app)
        assert "Board pack: No target period ends by 2025-01-01" in text
        assert "Counting" not in text and "Targets and actuals" not in text
        assert not screen.query("#report-body DataTable")
