"""The reports screen's pieces drawn as text: the column chart's scale, columns and axes,
and the tab line wrapping whole tabs."""

from __future__ import annotations

from textual.app import App, ComposeResult

from hiw_tui.reports.kinds import KINDS
from hiw_tui.reports.tables import Chart, Series, Table
from hiw_tui.screens.dialogs.report_chooser import number_key
from hiw_tui.widgets.column_chart import HEIGHT, cells_high, chart_text, scale_top
from hiw_tui.widgets.report_table import ReportTable
from hiw_tui.widgets.report_tabs import ReportTabs, Tab

MONTHS = ("2025-11", "2025-12", "2026-01", "2026-02")


class Shown(App[None]):
    """A report's table alone on the screen."""

    def __init__(self, table: Table) -> None:
        super().__init__()
        self.table = table

    def compose(self) -> ComposeResult:
        yield ReportTable(self.table)


def test_the_scale_tops_at_one_two_or_five_times_a_power_of_ten() -> None:
    assert [scale_top(n) for n in (0, 1, 2, 3, 6, 10, 11, 99, 101, 250, 501)] == [
        1, 1, 2, 5, 10, 10, 20, 100, 200, 500, 1000,
    ]  # fmt: skip


def test_a_figure_above_zero_is_never_drawn_as_nothing() -> None:
    assert cells_high(0, 100) == 0
    assert cells_high(1, 1000) == 1
    assert cells_high(100, 100) == HEIGHT
    assert cells_high(-5, 100) == 0  # a month of net reversals


def test_two_series_differ_in_shape_and_the_axes_are_labelled() -> None:
    chart = Chart(
        "Started and outcomes",
        MONTHS,
        (Series("started", (10, 0, 4, 1)), Series("outcomes", (0, 6, 0, 1))),
    )
    lines = chart_text(chart).plain.splitlines()
    assert lines[0] == "Started and outcomes"
    assert lines[1].startswith("10 ┤█")  # the scale's top, and November's 10 full height
    assert lines[4].startswith(" 5 ┤")  # half way
    assert lines[HEIGHT + 1].startswith(" 0 ┼────")
    assert lines[HEIGHT + 2].split() == ["Nov", "Dec", "Jan", "Feb"]
    assert lines[HEIGHT + 3].split() == ["2025", "2026"]  # where the year starts and turns
    assert lines[-1].strip() == "Key: ██ started  ▒▒ outcomes"
    december = [line[4 + 4 : 4 + 8] for line in lines[1 : HEIGHT + 1]]  # 6 of 10
    assert [column.strip() for column in december] == ["", "", "▒", "▒", "▒", "▒"]


def test_months_past_the_width_wrap_onto_another_row() -> None:
    labels = tuple(f"{2024 + (m + 3) // 12}-{(m + 3) % 12 + 1:02d}" for m in range(24))
    chart = Chart("Started", labels, (Series("started", tuple(range(24))),))
    lines = chart_text(chart, 76).plain.splitlines()
    assert max(len(line) for line in lines) <= 76
    axes = [n for n, line in enumerate(lines) if "┼" in line]
    assert len(axes) == 2 and lines[axes[0] + 3] == ""  # a line between the rows
    assert lines[axes[0] + 1].split()[0] == "Apr" and lines[axes[1] + 1].split()[-1] == "Mar"
    assert lines[axes[1] + 2].split()[0] == "2025"  # the second row says its year
    assert len(chart_text(chart).plain.splitlines()) == HEIGHT + 4  # no width: one row
    december = Chart("Started", labels[8:], (Series("started", tuple(range(16))),))
    lines = chart_text(december, 76).plain.splitlines()
    assert lines[HEIGHT + 3].split() == ["2025", "2026"]  # not "20242025" under Dec, Jan
    empty = Chart("Started", (), (Series("started", ()),))
    for width in (None, 76):  # no months: the axes, and nothing raised
        assert chart_text(empty, width).plain.splitlines()[HEIGHT + 1].strip() == "0 ┼"


def test_money_is_drawn_in_whole_pounds_and_an_odd_top_is_not_halved() -> None:
    chart = Chart("Spent", MONTHS, (Series("spent", (0, 45_000, 12_345, 0)),), money=True)
    lines = chart_text(chart).plain.splitlines()
    assert lines[1].startswith("£500 ┤") and lines[4].startswith("£250 ┤")
    assert "Key" not in chart_text(chart).plain  # one series needs none
    small = Chart("Spent", MONTHS, (Series("spent", (0, 450, 123, 0)),), money=True)
    lines = chart_text(small).plain.splitlines()
    assert lines[1].startswith("£5 ┤")
    assert [line for line in lines[1 : HEIGHT + 1] if "┤" in line] == [lines[1]]  # no £2.5


def test_the_tabs_wrap_whole_onto_two_lines_at_80_columns() -> None:
    tabs = ReportTabs()
    tabs.show([Tab(k.code, number_key(i), k.short) for i, k in enumerate(KINDS)], "trends")
    lines = [line.plain for line in tabs.lines(78)]
    assert len(lines) == 2 and all(len(line) <= 78 for line in lines)
    shown = " ".join(lines)
    assert all(f"{number_key(i)} {k.short}".strip() in shown for i, k in enumerate(KINDS))
    assert "▸Trends" in lines[1]
    assert len(tabs.lines(40)) > 2  # narrower: more lines, still whole tabs


async def test_a_report_tables_columns_are_as_wide_as_their_rows_before_any_idle() -> None:
    """A table drawn before DataTable measured its rows (when next idle, later on a busy
    machine) kept its headings' widths: "Househo" for "Households started"."""
    table = Table("Targets", ("Measure", "Actual"), [("Households started", 4)])

    app = Shown(table)
    async with app.run_test(size=(80, 24)):
        shown = app.query_one(ReportTable)
        shown.fit(60)  # shown again, with no idle between this and the check
        assert [column.width for column in shown.columns.values()] == [
            len("Households started"),
            len("Actual"),
        ]


async def test_row_labels_are_left_aligned_even_where_they_are_numbers() -> None:
    table = Table("Needs per person", ("Needs", "People"), [(0, 14), ("1-2", 119)])

    app = Shown(table)
    async with app.run_test(size=(80, 24)):
        shown = app.query_one(ReportTable)
        labels = [shown.get_row_at(row)[0] for row in range(shown.row_count)]
        figures = [shown.get_row_at(row)[1] for row in range(shown.row_count)]
        assert labels[0].justify == labels[1].justify
        assert all(figure.justify == "right" for figure in figures)
