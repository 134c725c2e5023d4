"""The audit browser (supervisors, programme managers, auditors): who did what, when, to
which household, filtered by user, household and dates, newest first, a page at a time."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Header, Input, Static

from hiw_tui.db.audit.log import AuditFilter, AuditLine, AuditPage, audit_page
from hiw_tui.domain.dates import read_date
from hiw_tui.screens.base.work import DatabaseWork
from hiw_tui.widgets.detail_table import DetailTable, Row
from hiw_tui.widgets.footer import KeyFooter
from hiw_tui.widgets.text import user_text

PAGE = 100
WHEN = "%Y-%m-%d %H:%M"
"""The time in the table, to the minute (16 characters). The table's five columns take 2
cells of padding each and the scrollbar beside the rows 2 more, which leaves 68 of 80
columns for 16 + `WHO` + `HOUSEHOLD` + `WHAT` + `DETAILS`; below the table the highlighted
row is shown in full, the time to the second."""
WHO = 14
"""Characters of a username (see `short_username`): "(no such user)", who a failed sign-in
under an unknown name is, fits whole."""
HOUSEHOLD = 9
"""Characters of a household's reference: the references the app gives out ("LIV-00043")
fit whole, as does the heading."""
WHAT = 20
"""Characters of what was done: "create star reading" and "correct star reading" fit
whole, the longest are cut at a word ("duplicate decision…", "export performance…")."""
DETAILS = 9
"""Characters of the changes, enough to name the first field changed ("status…")."""


def short_username(username: str, limit: int) -> str:
    """A username in at most `limit` characters, told apart from colleagues' where it can
    be: its first parts become initials, one at a time ("advocate.liverpool.12" ->
    "a.liverpool.12"), as its last parts tell people apart (as `short_name` does with a
    person's name); then it is cut where it must be."""
    parts = username.split(".")
    for n in range(1, len(parts)):
        if len(username) <= limit:
            break
        username = ".".join([*(part[:1] for part in parts[:n]), *parts[n:]])
    return username if len(username) <= limit else username[: limit - 1] + "…"


def changes_text(line: AuditLine) -> str:
    """Each changed field as `name: old → new` (or just the new value, for a fact)."""
    parts = []
    for name, values in line.changes.items():
        old, new = [*values, None, None][:2] if isinstance(values, list) else (None, values)
        parts.append(f"{name}: {new}" if old is None else f"{name}: {old} → {new}")
    return "; ".join(parts)


def what_text(line: AuditLine) -> str:
    """ "view household", "sign in", "view star readings", ...: the action, then what it
    was on."""
    action = line.action.replace("_", " ")
    return action if line.entity == "user" else f"{action} {line.entity.replace('_', ' ')}"


def detail_text(line: AuditLine) -> Text:
    """The row in full: its number, when to the second, who, the household, what was
    done, and every change."""
    detail = f"#{line.seq} {line.at:%Y-%m-%d %H:%M:%S} {line.username}"
    if line.household_ref:
        detail += f", {line.household_ref}"
    detail += f": {what_text(line)}"
    if line.changes:
        detail += f": {changes_text(line)}"
    return user_text(detail)


class AuditLogScreen(DatabaseWork, Screen[None]):
    TITLE = "Audit trail"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("slash", "filter", "Filter", key_display="/"),
        Binding("right_square_bracket", "page(1)", "Older", key_display="]"),
        Binding("left_square_bracket", "page(-1)", "Newer", key_display="["),
        Binding("j", "cursor(1)", "Down", show=False),
        Binding("k", "cursor(-1)", "Up", show=False),
    ]

    @dataclass
    class Loaded(Message):
        page: AuditPage

    def __init__(self) -> None:
        super().__init__()
        self.where = AuditFilter()
        self.row_offset = 0
        self.total = 0

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="audit-filters"):
            yield Input(placeholder="/ user", id="audit-user", compact=True)
            yield Input(placeholder="household ref", id="audit-household", compact=True)
            yield Input(placeholder="from YYYY-MM-DD", id="audit-from", compact=True)
            yield Input(placeholder="to YYYY-MM-DD", id="audit-to", compact=True)
        yield Static("", id="audit-status", markup=False)
        yield DetailTable(
            (
                ("at", "When (UTC)"),
                ("who", "Who"),
                ("household", "Household"),
                ("what", "What"),
                ("changes", "Details"),
            ),
            detail=detail_text,
            empty="—",
            zebra_stripes=True,
            id="audit",
        )
        yield KeyFooter()

    def on_mount(self) -> None:
        self._table.focus()
        self.load()

    @property
    def _table(self) -> DetailTable[AuditLine]:
        return self.query_one("#audit", DetailTable)

    def load(self) -> None:
        self.run_db(
            partial(audit_page, where=self.where, limit=PAGE, offset=self.row_offset),
            self.Loaded,
            write=True,
        )

    def on_audit_log_screen_loaded(self, message: Loaded) -> None:
        page = message.page
        self.total = page.total
        rows = [
            Row(
                str(line.seq),
                line,
                (
                    Text(line.at.strftime(WHEN)),
                    user_text(short_username(line.username, WHO)),
                    user_text(line.household_ref or "—", limit=HOUSEHOLD),
                    user_text(what_text(line), limit=WHAT),
                    user_text(changes_text(line), limit=DETAILS),
                ),
            )
            for line in page.lines
        ]
        # Each page, and each new filter, opens at its newest row.
        self._table.show(rows, select=rows[0].key if rows else None)
        last = min(page.offset + PAGE, page.total)
        status = (
            f"{page.offset + 1:,}-{last:,} of {page.total:,} rows, newest first"
            if page.total
            else "No audit rows match."
        )
        self.query_one("#audit-status", Static).update(status)

    def action_filter(self) -> None:
        self.query_one("#audit-user", Input).focus()

    @on(Input.Submitted)
    def _apply(self) -> None:
        status = self.query_one("#audit-status", Static)
        try:
            days = [
                read_date(value) if value else None
                for value in (
                    self.query_one("#audit-from", Input).value.strip(),
                    self.query_one("#audit-to", Input).value.strip(),
                )
            ]
        except ValueError as problem:
            status.update(f"✗ {problem}")
            return
        self.where = AuditFilter(
            username=self.query_one("#audit-user", Input).value.strip(),
            household_ref=self.query_one("#audit-household", Input).value.strip(),
            date_from=days[0],
            date_to=days[1],
        )
        self.row_offset = 0
        self._table.focus()
        self.load()

    def action_page(self, step: int) -> None:
        offset = self.row_offset + step * PAGE
        if 0 <= offset < self.total:
            self.row_offset = offset
            self.load()

    def action_cursor(self, step: int) -> None:
        self._table.move_cursor_by(step)
