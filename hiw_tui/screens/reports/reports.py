"""The programme reports (`hiw_tui.reports.kinds`: performance, cohort, distance
travelled, spending, the board pack, caseload, exits, referrals, welfare checks,
trends) for the period and area set with `/`.

`1`-`9` show the first nine, `[` and `]` the previous and next, `c` chooses among all;
`e` and `x` export the one shown to CSV or XLSX in the export folder
(`Settings.export_dir`; each export is audited). The body scrolls up and down, so
every table is reached whole at 80x24: `j`/`k`, arrows, Page up/down, Home/End; a
table wider than the screen shows its first column, the rows' labels, and the whole
columns after it that fit (`hiw_tui.widgets.report_table`): `h`/`l` or Left/Right
move all such tables along a column at a time. Scrolled down a table taller than the
screen, its headings stay drawn over the body's top line. Every figure is counted as the
`hiw-tui report` command counts it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import partial

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, ScrollableContainer
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Header, Label, Static

from hiw_tui.db.access.users import list_advocates
from hiw_tui.db.core.engine import Query
from hiw_tui.db.core.errors import DataError
from hiw_tui.db.core.models import UserPublic
from hiw_tui.domain.counting import Period
from hiw_tui.reports.build import build_report
from hiw_tui.reports.formats import save_report
from hiw_tui.reports.kinds import BY_CODE, KINDS, REPORTS
from hiw_tui.reports.tables import Report
from hiw_tui.screens.base.work import DatabaseWork
from hiw_tui.screens.dialogs.report_chooser import ReportChooser, number_key
from hiw_tui.screens.dialogs.report_filter import ReportFilterScreen
from hiw_tui.widgets.column_chart import ColumnChart
from hiw_tui.widgets.distance_chart import TITLE as DISTANCE_TITLE
from hiw_tui.widgets.distance_chart import DistanceChart
from hiw_tui.widgets.footer import KeyFooter
from hiw_tui.widgets.report_table import PinnedHeadings, ReportTable
from hiw_tui.widgets.report_tabs import ReportTabs, Tab


class ReportBody(ScrollableContainer):
    """The report's tables and charts, scrolled up and down; Left and Right move the
    tables wider than it along their columns (`sideways`)."""

    def action_scroll_left(self) -> None:
        self.sideways(-1)

    def action_scroll_right(self) -> None:
        self.sideways(1)

    def action_page_left(self) -> None:
        self.sideways(-1, page=True)

    def action_page_right(self) -> None:
        self.sideways(1, page=True)

    def action_scroll_down(self) -> None:
        self.lines(1)

    def action_scroll_up(self) -> None:
        self.lines(-1)

    def action_page_down(self) -> None:
        self.lines(self.page_lines())

    def action_page_up(self) -> None:
        self.lines(-self.page_lines())

    def action_scroll_home(self) -> None:
        self.scroll_home(animate=False, immediate=True)

    def action_scroll_end(self) -> None:
        self.scroll_end(animate=False, immediate=True)

    def lines(self, step: int) -> None:
        """`step` lines down (up, if negative), at once: each key of a burst (j j, End
        Home PageDown) moves on from where the one before it left the report. Textual
        scrolls after the next refresh, and smoothly, by default: the keys after it
        counted from a position not yet reached."""
        self.scroll_relative(y=step, animate=False, immediate=True)

    def page_lines(self) -> int:
        """A page's step: the height less the two lines a table's rows may lie under (the
        pinned headings at the top, "▼ more below" at the foot), so that a row hidden
        under either on one page shows on the next."""
        return max(1, self.scrollable_content_region.height - 2)

    def sideways(self, step: int, *, page: bool = False) -> None:
        """Every table `step` columns on (back, if negative), or `page`s of the columns
        each shows. The body itself never scrolls sideways: the rows' labels stay."""
        for table in self.query(ReportTable):
            table.shift(step * max(1, len(table.shown) - 1) if page else step)
        self.pin(again=True)

    @dataclass
    class Pinned(Message):
        """The table whose headings have scrolled above the top while rows of it show
        (None: no such table)."""

        table: ReportTable | None

    _pinned: ReportTable | None = None

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self.pin()

    def pin(self, *, again: bool = False) -> None:
        """Say which table's headings to pin over the top line, when that changes (or
        `again`: its columns moved)."""
        top = round(self.scroll_y)
        table = next(
            (
                table
                for table in self.query(ReportTable)
                if table.virtual_region.y < top < table.virtual_region.bottom - 1
            ),
            None,
        )
        if again or table is not self._pinned:
            self._pinned = table
            self.post_message(self.Pinned(table))

    def on_resize(self) -> None:
        self.fit_tables()

    def watch_show_vertical_scrollbar(self) -> None:
        self.fit_tables()  # the scrollbar came or went: the width inside it changed

    @dataclass
    class Fitted(Message):
        """The tables were fitted to the width: `cut` if a column is left out of some."""

        cut: bool

    def fit_tables(self) -> None:
        """Each table to the width inside the body."""
        tables = list(self.query(ReportTable))
        for table in tables:
            table.fit(self.scrollable_content_region.width)
        self.post_message(self.Fitted(any(table.cut for table in tables)))
        self.pin(again=True)


class ReportsScreen(DatabaseWork, Screen[None]):
    TITLE = "Reports"
    BINDINGS = [
        Binding("escape", "back", "Back"),
        *(
            Binding(number_key(index), f"show('{kind.code}')", kind.name, show=False)
            for index, kind in enumerate(KINDS[:9])
        ),
        Binding("c", "choose", "All reports"),
        Binding("right_square_bracket", "step(1)", "Next report", key_display="]"),
        Binding("left_square_bracket", "step(-1)", "Previous report", key_display="[", show=False),
        Binding("slash", "filter", "Period", key_display="/"),
        Binding("e", "export('csv')", "CSV"),
        Binding("x", "export('xlsx')", "XLSX"),
        Binding("j", "scroll(1)", "Down", show=False),
        Binding("k", "scroll(-1)", "Up", show=False),
        Binding("l", "sideways(1)", "Right", show=False),
        Binding("h", "sideways(-1)", "Left", show=False),
        Binding("ctrl+r", "reload", "Reload", show=False),
    ]

    @dataclass
    class Loaded(Message):
        report: Report

    @dataclass
    class Written(Message):
        """What came of writing an export: where it went, or why it could not be written."""

        note: str
        failed: bool = False

    @dataclass
    class Advocates(Message):
        users: list[UserPublic]

    def __init__(self, kind: str = "performance") -> None:
        super().__init__()
        self.kind = kind
        self.period: Period | None = None
        self.advocates: list[UserPublic] = []
        self.report: Report | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield ReportTabs(id="report-tabs")
        yield Static("", id="report-heading")
        with Container(id="report-frame"):
            yield ReportBody(id="report-body")
            yield PinnedHeadings(id="report-pinned")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.period = Period(self.hiw_app.today())
        self.query_one("#report-body").focus()
        self.run_db(list_advocates, self.Advocates, group="advocates")
        self._load()

    def _load(self) -> None:
        self.query_one(ReportTabs).show(
            [Tab(k.code, number_key(i), k.short) for i, k in enumerate(KINDS)], self.kind
        )
        self.query_one("#report-heading", Static).update(f"Counting {BY_CODE[self.kind].name}…")
        self.run_db(self._report(), self.Loaded)

    def _report(self, *, audited: bool = False) -> Query[Report]:
        """The chosen report for the chosen period; `audited` records it as an export."""
        assert self.period is not None
        return partial(
            build_report,
            kind=self.kind,
            period=self.period,
            targets=self.hiw_app.targets,
            framework=self.hiw_app.framework,
            audited=audited,
            budget_cap_pence=self.hiw_app.settings.budget_cap_pence,
            reading_due_weeks=self.hiw_app.settings.reading_due_weeks,
        )

    @on(Advocates)
    def _advocates(self, message: Advocates) -> None:
        self.advocates = message.users

    @on(Loaded)
    async def _loaded(self, message: Loaded) -> None:
        report = self.report = message.report
        body = self.query_one(ReportBody)
        await body.remove_children()
        body.scroll_to(0, 0, animate=False)
        charts: list[Widget] = []
        if report.changes:
            title = (
                f"{DISTANCE_TITLE}, {report.changes_of}" if report.changes_of else DISTANCE_TITLE
            )
            charts.append(Label(title, classes="report-table-title", markup=False))
            chart = DistanceChart(id="distance-chart")
            chart.show(list(report.changes), self.hiw_app.framework)
            charts.append(chart)
        for each in report.charts:
            columns = ColumnChart(classes="report-chart")
            columns.show(each)
            charts.append(columns)
        tables: list[Widget] = []
        for table in report.tables:
            tables.append(Label(table.title, classes="report-table-title", markup=False))
            tables.append(ReportTable(table))
        self.query_one("#report-heading", Static).update(_heading(report))
        # Charts lead, so that End reaches the last table's last row (its Total).
        await body.mount_all(charts + tables)
        body.fit_tables()

    @on(ReportBody.Pinned)
    def _pinned(self, message: ReportBody.Pinned) -> None:
        """A long table's headings over the body's top line once its own scroll off."""
        self.query_one(PinnedHeadings).follow(message.table)
        # Laid out again: shown the first time, it was not drawn until the next scroll.
        self.query_one("#report-frame").refresh(layout=True)

    @on(ReportBody.Fitted)
    def _fitted(self, message: ReportBody.Fitted) -> None:
        """Say, after the heading, when some columns are out of sight."""
        if self.report is None:
            return
        heading = _heading(self.report)
        if message.cut:
            heading.append("  ◀▶ more columns: h/l")
        self.query_one("#report-heading", Static).update(heading)

    def action_show(self, kind: str) -> None:
        if kind != self.kind:
            self.kind = kind
            self._load()

    def action_step(self, step: int) -> None:
        """The next (or previous) report, round to the first (or last)."""
        self.action_show(REPORTS[(REPORTS.index(self.kind) + step) % len(REPORTS)])

    def action_choose(self) -> None:
        def chosen(kind: str | None) -> None:
            if kind is not None:
                self.action_show(kind)

        self.app.push_screen(ReportChooser(self.kind), chosen)

    def action_reload(self) -> None:
        self._load()

    def action_scroll(self, step: int) -> None:
        self.query_one(ReportBody).lines(step)

    def action_sideways(self, step: int) -> None:
        self.query_one(ReportBody).sideways(step)

    def action_filter(self) -> None:
        assert self.period is not None

        def chosen(period: Period | None) -> None:
            if period is not None:
                self.period = period
                self._load()

        self.app.push_screen(
            ReportFilterScreen(
                self.period, self.hiw_app.actor, self.advocates, BY_CODE[self.kind].from_date
            ),
            chosen,
        )

    def action_export(self, fmt: str) -> None:
        """Build and write the file in a thread: a slow or full disk must not freeze the
        screen. The file is written, and audited, in the report's own transaction."""
        save = partial(
            save_report,
            build=self._report(audited=True),
            kind=self.kind,
            fmt=fmt,
            folder=self.hiw_app.settings.export_dir,
            today=self.hiw_app.today(),
            now=datetime.now(),
        )
        # The name, then the folder: each on its own line, whole.
        self.run_db(
            save,
            lambda path: self.Written(f"Exported {path.name}\nto {path.parent}"),
            write=True,
            group="export",
        )

    @dataclass
    class Refused(Message):
        """The report cannot be made as asked (no target period has ended, say)."""

        reason: str

    def handle_data_error(self, error: BaseException) -> bool:
        if isinstance(error, DataError):
            self.post_message(self.Refused(str(error)))
            return True
        if not isinstance(error, OSError):
            return False
        reason = error.strerror or str(error)
        folder = self.hiw_app.settings.export_dir
        self.post_message(self.Written(f"Could not export to {folder}: {reason}", True))
        return True

    @on(Refused)
    async def _refused(self, message: Refused) -> None:
        """Say why where the report would be, and show nothing stale beneath it."""
        self.report = None
        title = BY_CODE[self.kind].name
        self.query_one("#report-heading", Static).update(
            Text.assemble((title, "bold"), f": {message.reason}")
        )
        await self.query_one("#report-body", ScrollableContainer).remove_children()

    @on(Written)
    def _written(self, message: Written) -> None:
        self.notify(
            message.note,
            markup=False,
            severity="error" if message.failed else "information",
            timeout=10,
        )

    def action_back(self) -> None:
        self.app.pop_screen()


def _heading(report: Report) -> Text:
    return Text.assemble((report.title, "bold"), f": {report.heading()}")
