"""The programme reports: performance against the targets, the cohort profile, distance
travelled (a chart and a table) and spending, for the period and area set with `/`.

`1`-`4` switch report, `e` and `x` export the one shown to CSV or XLSX in the export
folder (`Settings.export_dir`; each export is audited). Every figure is counted by
the rules of `hiw_tui.domain.counting`, as the `hiw-tui report` command counts them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import partial

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Label, Static

from hiw_tui.db.access.users import list_advocates
from hiw_tui.db.core.engine import Query
from hiw_tui.db.core.models import UserPublic
from hiw_tui.domain.counting import Period
from hiw_tui.reports.build import REPORTS, build_report
from hiw_tui.reports.formats import save_report
from hiw_tui.reports.tables import Report, Table, cell_text, is_figure
from hiw_tui.screens.base.work import DatabaseWork
from hiw_tui.screens.dialogs.report_filter import ReportFilterScreen
from hiw_tui.widgets.distance_chart import DistanceChart
from hiw_tui.widgets.tables import LeanTable
from hiw_tui.widgets.text import user_text

NAMES = {
    "performance": "Performance",
    "cohort": "Cohort",
    "distance": "Distance travelled",
    "spend": "Spending",
    "board": "Board pack",
}


class ReportsScreen(DatabaseWork, Screen[None]):
    TITLE = "Reports"
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("1", "show('performance')", "Performance", show=False),
        Binding("2", "show('cohort')", "Cohort", show=False),
        Binding("3", "show('distance')", "Distance", show=False),
        Binding("4", "show('spend')", "Spending", show=False),
        Binding("5", "show('board')", "Board pack", show=False),
        Binding("slash", "filter", "Period and area", key_display="/"),
        Binding("e", "export('csv')", "CSV"),
        Binding("x", "export('xlsx')", "XLSX"),
        Binding("j", "scroll(1)", "Down", show=False),
        Binding("k", "scroll(-1)", "Up", show=False),
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
        yield Static("", id="report-tabs")
        yield Static("", id="report-heading")
        yield VerticalScroll(id="report-body")
        yield Footer()

    def on_mount(self) -> None:
        self.period = Period(self.hiw_app.today())
        self.query_one("#report-body").focus()
        self.run_db(list_advocates, self.Advocates, group="advocates")
        self._load()

    def _load(self) -> None:
        self._show_tabs()
        self.query_one("#report-heading", Static).update(f"Counting {NAMES[self.kind]}…")
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
        )

    def _show_tabs(self) -> None:
        tabs = Text()
        for number, kind in enumerate(REPORTS, start=1):
            chosen = kind == self.kind
            tabs.append(
                f" {'▸' if chosen else ' '}{number} {NAMES[kind]} ",
                "reverse bold" if chosen else "",
            )
        self.query_one("#report-tabs", Static).update(tabs)

    @on(Advocates)
    def _advocates(self, message: Advocates) -> None:
        self.advocates = message.users

    @on(Loaded)
    async def _loaded(self, message: Loaded) -> None:
        report = self.report = message.report
        self.query_one("#report-heading", Static).update(
            Text.assemble((report.title, "bold"), f": {report.heading()}")
        )
        body = self.query_one("#report-body", VerticalScroll)
        await body.remove_children()
        widgets: list[Static | DataTable[object] | Label] = []
        if report.changes:
            chart = DistanceChart(id="distance-chart")
            chart.show(list(report.changes), self.hiw_app.framework)
            widgets.append(chart)
        for table in report.tables:
            widgets.append(Label(table.title, classes="report-table-title", markup=False))
            widgets.append(_data_table(table))
        await body.mount_all(widgets)

    def action_show(self, kind: str) -> None:
        if kind != self.kind:
            self.kind = kind
            self._load()

    def action_reload(self) -> None:
        self._load()

    def action_scroll(self, step: int) -> None:
        body = self.query_one("#report-body", VerticalScroll)
        body.scroll_relative(y=step, animate=False)

    def action_filter(self) -> None:
        assert self.period is not None

        def chosen(period: Period | None) -> None:
            if period is not None:
                self.period = period
                self._load()

        self.app.push_screen(
            ReportFilterScreen(self.period, self.hiw_app.actor, self.advocates), chosen
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

    def handle_data_error(self, error: BaseException) -> bool:
        if not isinstance(error, OSError):
            return False
        reason = error.strerror or str(error)
        folder = self.hiw_app.settings.export_dir
        self.post_message(self.Written(f"Could not export to {folder}: {reason}", True))
        return True

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


def _data_table(table: Table) -> DataTable[object]:
    """A read-only table sized to its rows; figures right-aligned."""
    widget: DataTable[object] = LeanTable(
        show_cursor=False, zebra_stripes=False, classes="report-table"
    )
    widget.can_focus = False
    widget.add_columns(*table.headings)
    for row in table.rows:
        widget.add_row(
            *(
                Text(cell_text(cell), justify="right") if is_figure(cell) else user_text(cell)
                for cell in row
            )
        )
    return widget
