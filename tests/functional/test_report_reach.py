"""Every report whole at 80x24: each is reached from the keyboard (number keys, `[`/`]`,
the chooser), its body scrolls to the last row of its last table (the Total, where it
has one) and sideways to a wide table's last column, and the trends chart reads
without colour."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from textual.containers import ScrollableContainer
from textual.widgets import DataTable, Input, Static

from hiw_tui.app import HiwApp
from hiw_tui.reports.kinds import KINDS
from hiw_tui.reports.tables import cell_text
from hiw_tui.screens.dialogs.common import HelpScreen
from hiw_tui.screens.dialogs.report_chooser import ReportChooser
from hiw_tui.screens.reports.reports import ReportsScreen
from hiw_tui.widgets.column_chart import ColumnChart
from hiw_tui.widgets.report_table import ReportTable
from tests.helpers.database import sqlite_copy
from tests.helpers.dataset import load_dataset, reports_app
from tests.helpers.evaluation import Programme, build_programme, crowd
from tests.helpers.pilot import SIZE, lines_with, screen_text, settle
from tests.helpers.staff import add_staff

TOTALLED = ("spend", "caseload", "exits", "referrals", "welfare", "trends")
"""The reports whose last table ends in a Total line."""
RUN_PAST = ("cohort", "distance", "spend", "board", "caseload", "exits", "referrals", "trends")
"""The reports that run past an 80x24 screen on this data (welfare checks fit)."""


@pytest.fixture(scope="module")
def busy(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Iterator[Programme]:
    """The hand-built dataset and the evaluation's programme, with more advocates and
    partner services than fit the screen, so every new report runs past it."""
    database = sqlite_copy(sqlite_template, tmp_path_factory.mktemp("busy"))
    staff = add_staff(database)
    load_dataset(database, staff.manager)
    programme = build_programme(database, staff)
    crowd(programme)
    yield programme
    database.dispose()


def app_for(programme: Programme) -> HiwApp:
    return reports_app(programme.database, programme.staff)


def shown(app: HiwApp) -> ReportsScreen:
    screen = app.screen
    assert isinstance(screen, ReportsScreen) and screen.report is not None
    return screen


async def show(pilot: object, kind: str) -> None:
    """Open the reports and choose `kind` in the chooser, as a person would."""
    app = pilot.app  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]
    await pilot.press("R", "c")  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]
    assert isinstance(app.screen, ReportChooser)
    index = [k.code for k in KINDS].index(kind)
    await pilot.press("home", *["j"] * index, "enter")  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]
    assert shown(app).kind == kind


@pytest.mark.parametrize("kind", [kind.code for kind in KINDS])
async def test_every_report_scrolls_to_its_last_row(busy: Programme, kind: str) -> None:
    app = app_for(busy)
    async with app.run_test(size=SIZE) as pilot:
        await show(pilot, kind)
        screen = shown(app)
        assert screen.report is not None
        last = cell_text(screen.report.tables[-1].rows[-1][0])
        body = screen.query_one("#report-body", ScrollableContainer)
        last_table = list(body.query(DataTable))[-1]
        if kind in TOTALLED:
            assert last == "Total"
        if kind in RUN_PAST:
            assert last_table.region.bottom > body.scrollable_content_region.bottom
        await pilot.press("end")
        await settle(pilot)
        assert last_table.region.bottom <= body.scrollable_content_region.bottom
        last_lines = screen_text(app).splitlines()[4:-1]
        assert [line for line in last_lines if line.strip().startswith(last)], last
        await pilot.press("home")
        await settle(pilot)
        title = screen.report.tables[0].title
        assert lines_with(app, title[:30]) or screen.report.changes or screen.report.charts


async def test_the_caseload_shows_whole_columns_and_its_labels_sideways(
    busy: Programme,
) -> None:
    """A figure cut at an edge reads as another number: only whole columns show, the
    advocates' names always, and h/l or Left/Right move along to the last."""
    app = app_for(busy)
    async with app.run_test(size=SIZE) as pilot:
        await show(pilot, "caseload")
        assert "◀▶ more columns: h/l" in screen_text(app)
        assert not lines_with(app, "Budget left")
        table = app.screen.query_one(ReportTable)
        report = shown(app).report
        assert report is not None and table.cut
        headings = report.tables[-1].headings
        await pilot.press(*["l"] * 10)
        await settle(pilot)
        assert table.shown[0] == 0 and table.shown[-1] == len(headings) - 1
        heading = lines_with(app, "Budget left")
        assert heading and heading[0].split()[0] == "Advocate"  # the labels stay
        assert lines_with(app, "more below")  # the rows below, said where the table shows
        await pilot.press("end")
        await settle(pilot)
        total = report.tables[-1].rows[-1]
        assert total[0] == "Total" and str(total[-1]).startswith("£")
        # Each figure whole: the Total line holds the shown columns' values, no more.
        expected = " ".join(cell_text(total[index]) for index in table.shown)
        assert lines_with(app, "£")[-1].split() == expected.split()
        await pilot.press(*["h"] * 10)
        await settle(pilot)
        assert table.shown[:2] == [0, 1] and lines_with(app, "Total")
        await pilot.press(*["right"] * 40)
        await settle(pilot)
        assert table.shown[-1] == len(headings) - 1


async def test_a_long_tables_headings_stay_at_the_top_as_its_rows_scroll(
    busy: Programme,
) -> None:
    """Scrolled down a table longer than the screen, its column headings are drawn over
    the report's first line, moving sideways with its columns; at the top, its own show."""
    app = app_for(busy)
    async with app.run_test(size=SIZE) as pilot:
        await show(pilot, "caseload")
        body = app.screen.query_one("#report-body", ScrollableContainer)
        first_line = body.content_region.y
        table = app.screen.query_one(ReportTable)
        pinned = app.screen.query_one("#report-pinned")
        assert not pinned.display and lines_with(app, "Advocate")  # its own
        await pilot.press("end")
        await settle(pilot)
        assert table.region.y < first_line  # its own headings are above the top
        assert screen_text(app).splitlines()[first_line].split()[0] == "Advocate"
        await pilot.press(*["l"] * 10)
        await settle(pilot)
        top = screen_text(app).splitlines()[first_line]
        assert "Budget left" in top and top.split()[0] == "Advocate"
        assert "Referred" not in top  # moved along with the table's columns
        await pilot.press("home")
        await settle(pilot)
        assert not pinned.display


async def test_page_down_and_up_show_every_row_of_a_long_table(busy: Programme) -> None:
    """Each page starts where the last one's rows stopped showing: a row under the
    pinned headings or the "more below" line is seen on the next page, either way (on a
    short terminal, so that the table takes pages)."""
    app = app_for(busy)
    async with app.run_test(size=(80, 14)) as pilot:
        await show(pilot, "caseload")
        report = shown(app).report
        assert report is not None
        labels = [cell_text(row[0]) for row in report.tables[-1].rows]
        for key in ("pagedown", "pageup"):
            seen: set[str] = set()
            for _ in range(6):
                lines = screen_text(app).splitlines()
                body = app.screen.query_one("#report-body", ScrollableContainer)
                top, bottom = body.content_region.y, body.content_region.bottom
                for line in lines[top:bottom]:
                    seen |= {label for label in labels if line.strip().startswith(f"{label} ")}
                await pilot.press(key)
                await settle(pilot)
            assert set(labels) <= seen, key
            await pilot.press("end")
            await settle(pilot)


async def test_all_ten_are_reached_from_the_tabs_keys_and_chooser(busy: Programme) -> None:
    app = app_for(busy)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("R")
        await settle(pilot)
        tabs = screen_text(app).splitlines()[1:3]  # the tab line wraps onto two lines
        assert all(kind.short in " ".join(tabs) for kind in KINDS)
        assert "▸1 Performance" in tabs[0]
        await pilot.press("9")
        await settle(pilot)
        assert shown(app).kind == "welfare"
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert shown(app).kind == "trends"  # the tenth, which has no number
        assert "▸Trends" in screen_text(app)
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert shown(app).kind == "performance"  # round to the first
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert shown(app).kind == "trends"
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        for words in ("All reports", "Next report", "Previous report", "Welfare checks"):
            assert words in text
        await pilot.press("escape")
        await settle(pilot)
        footer = screen_text(app).splitlines()[-1]
        assert "c All reports" in footer and "] Next report" in footer


async def test_the_trends_chart_reads_without_colour(
    busy: Programme, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = app_for(busy)
    async with app.run_test(size=SIZE) as pilot:
        await show(pilot, "trends")
        text = screen_text(app)
        assert "Trends: Whole programme, 2025-04-01 to 2026-03-31" in text
        assert "Households started and outcomes" in text
        assert "Key: ██ started  ▒▒ outcomes" in text
        axis = lines_with(app, "Apr May Jun Jul Aug Sep Oct Nov Dec Jan Feb Mar")
        assert len(axis) == 1
        assert lines_with(app, "2025") and lines_with(app, " 0 ┼──")
        columns = [line for line in text.splitlines() if "┤" in line or "│" in line]
        assert any("█" in line for line in columns) and any("▒" in line for line in columns)


async def test_two_years_of_trends_wrap_onto_rows_within_the_screen(busy: Programme) -> None:
    """Past about 18 months the chart's months ran off the right edge, where only a
    mouse reached them: they wrap onto another row of columns instead."""
    app = app_for(busy)
    async with app.run_test(size=SIZE) as pilot:
        await show(pilot, "trends")
        await pilot.press("slash")
        await settle(pilot)
        # What a blank From does here: not "counts from the start", as elsewhere.
        hints = [str(w.render()) for w in app.screen.query(Static)]
        assert any(hint.endswith("a blank From shows the 12 months to As of.") for hint in hints)
        app.screen.query_one("#date-from", Input).value = "2024-04-01"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "2024-04-01 to 2026-03-31" in screen_text(app)
        chart = shown(app).query_one(ColumnChart)
        lines = chart.render().plain.splitlines()
        assert max(len(line) for line in lines) <= chart.content_size.width <= SIZE[0]
        axes = [n for n, line in enumerate(lines) if "┼" in line]
        assert len(axes) >= 2  # the months carry on in a second row of columns
        months = [month for n in axes for month in lines[n + 1].split()]
        assert months == [f"{date(2024, 4, 1) + timedelta(days=31 * n):%b}" for n in range(24)]
        years = [year for n in axes for year in lines[n + 2].split()]
        assert years[0] == "2024" and years[-1] == "2026"  # each row says its year
        assert all(len(line) <= SIZE[0] for line in screen_text(app).splitlines())
