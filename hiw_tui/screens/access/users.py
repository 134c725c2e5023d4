"""The users a supervisor (their local authority's) or a programme manager (everyone)
looks after: each one's state, keys and households, and what to do for a leaver:
deactivate (`d`), reactivate (`a`), remove an SSH key (`x`) and move the caseload, all
of it or chosen households, with a reason (`m`). The same functions serve `hiw-tui
user`, so the screen and the command line keep one rule."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Header, Static

from hiw_tui.db.access.accounts import AccountStatus
from hiw_tui.db.access.caseloads import CaseloadChoices, CaseloadMoved, caseload_to_move
from hiw_tui.db.access.leavers import (
    Deactivated,
    deactivate_user,
    reactivate_user,
    remove_key,
)
from hiw_tui.db.access.staff import StaffMember, StaffPage, staff_page
from hiw_tui.db.core.errors import DataError
from hiw_tui.db.core.models import UserPublic
from hiw_tui.screens.access.user_dialogs import CaseloadMoveForm, ConfirmScreen, RemoveKeyScreen
from hiw_tui.screens.access.user_words import (
    ROLE,
    STATE,
    deactivate_question,
    detail_text,
    reactivate_question,
    said,
)
from hiw_tui.screens.base.work import DatabaseWork
from hiw_tui.widgets.detail_table import DetailTable, Row
from hiw_tui.widgets.footer import KeyFooter
from hiw_tui.widgets.text import counted, short_name, user_text

LIMIT = 500
"""Users shown at most (a programme has a few dozen)."""
HOUSEHOLDS = 1000
"""Households the move form lists at most (a caseload is 30-40)."""


class UsersScreen(DatabaseWork, Screen[None]):
    TITLE = "Users"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("d", "deactivate", "Deactivate"),
        Binding("a", "reactivate", "Reactivate"),
        Binding("m", "move", "Move caseload"),
        Binding("x", "remove_key", "Remove key"),
        Binding("ctrl+r", "reload", "Reload", show=False),
        Binding("j", "cursor(1)", "Down", show=False),
        Binding("k", "cursor(-1)", "Up", show=False),
    ]

    @dataclass
    class Loaded(Message):
        page: StaffPage

    @dataclass
    class Changed(Message):
        """A change made: what to say about it."""

        result: Deactivated | UserPublic | CaseloadMoved | str

    @dataclass
    class Choices(Message):
        """What the move form offers for `member`'s caseload."""

        member: StaffMember
        choices: CaseloadChoices

    def __init__(self) -> None:
        super().__init__()
        self.current: StaffMember | None = None
        self._said = ""
        """What the last change did, shown above the list until the next one."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Reading the users…", id="users-status", markup=False)
        yield DetailTable(
            (
                ("name", "Name"),
                ("role", "Role"),
                ("area", "Area"),
                ("state", "State"),
                ("keys", "Keys"),
                ("held", "Households"),
            ),
            detail=detail_text,
            empty="No users.",
            id="users",
        )
        yield KeyFooter()

    @property
    def _table(self) -> DetailTable[StaffMember]:
        return self.query_one("#users", DetailTable)

    def on_mount(self) -> None:
        actor = self.hiw_app.actor
        if actor.local_authority is not None:
            self.sub_title = actor.local_authority.label
        self._table.focus()
        self.action_reload()

    def action_reload(self) -> None:
        now = datetime.now(UTC)
        self.run_db(partial(staff_page, now=now, limit=LIMIT, offset=0), self.Loaded)

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        page = message.page
        rows = [
            Row(
                member.username,
                member,
                (
                    user_text(short_name(member.display_name, 22)),
                    Text(ROLE.get(member.role, member.role.label)),
                    Text(member.local_authority.label if member.local_authority else "All"),
                    Text(STATE[member.status]),
                    Text(str(len(member.keys)), justify="right"),
                    Text(str(member.households), justify="right"),
                ),
            )
            for member in page.members
        ]
        self._table.show(rows)
        waiting = sum(
            member.households
            for member in page.members
            if member.status in (AccountStatus.DEACTIVATED, AccountStatus.LOCKED)
        )
        status = counted(page.total, "user")
        if len(page.members) < page.total:
            status += f", the first {len(page.members)} shown"
        if waiting:
            verb = "waits" if waiting == 1 else "wait"
            status += f"; {counted(waiting, 'household')} of leavers {verb} to be moved (m)"
        self._status(f"{self._said} {status}." if self._said else f"{status}.")

    def _status(self, text: str) -> None:
        self.query_one("#users-status", Static).update(text)

    @on(DetailTable.Highlighted, "#users")
    def _highlighted(self, message: DetailTable.Highlighted) -> None:
        self.current = message.item
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        member = self.current
        if action == "deactivate":
            return (
                member is not None
                and member.status is not AccountStatus.DEACTIVATED
                and member.username != self.hiw_app.actor.username
            )
        if action == "reactivate":
            return member is not None and member.status is AccountStatus.DEACTIVATED
        if action == "remove_key":
            return member is not None and bool(member.keys)
        if action == "move":
            return member is not None and member.households > 0
        return True

    def action_cursor(self, step: int) -> None:
        self._table.move_cursor_by(step)

    def action_deactivate(self) -> None:
        member = self.current
        if member is not None and self.check_action("deactivate", ()):
            question = ConfirmScreen(
                "Deactivate a leaver", deactivate_question(member), "Deactivate"
            )
            self.app.push_screen(question, partial(self._confirmed, deactivate_user, member))

    def action_reactivate(self) -> None:
        member = self.current
        if member is not None and self.check_action("reactivate", ()):
            question = ConfirmScreen("Reactivate", reactivate_question(member), "Reactivate")
            self.app.push_screen(question, partial(self._confirmed, reactivate_user, member))

    def _confirmed(
        self,
        change: Callable[..., Deactivated | UserPublic],
        member: StaffMember,
        yes: bool | None,
    ) -> None:
        if yes:
            change_it = partial(change, username=member.username)
            self.run_db(change_it, self.Changed, write=True, group="change")

    def action_remove_key(self) -> None:
        member = self.current
        if member is not None and member.keys:
            self.app.push_screen(RemoveKeyScreen(member), partial(self._remove_key, member))

    def _remove_key(self, member: StaffMember, fingerprint: str | None) -> None:
        if fingerprint:
            removal = partial(remove_key, username=member.username, fingerprint=fingerprint)
            self.run_db(
                removal,
                lambda _: self.Changed(f"Removed the key {fingerprint}."),
                write=True,
                group="change",
            )

    def action_move(self) -> None:
        member = self.current
        if member is not None and member.households:
            load = partial(caseload_to_move, username=member.username, limit=HOUSEHOLDS)
            self.run_db(load, partial(self.Choices, member), group="choices")

    @on(Choices)
    def _choose(self, message: Choices) -> None:
        member, choices = message.member, message.choices
        if not choices.households:  # moved meanwhile, by someone else
            self._said = f"{member.display_name} has no households on their caseload now."
            self.action_reload()
            return
        if not choices.advocates:
            self._said = "✗ No active advocate of their area to move them to: add one first."
            self._status(self._said)
            return
        self.app.push_screen(CaseloadMoveForm(member, choices), self._moved)

    def _moved(self, moved: CaseloadMoved | None) -> None:
        if moved is not None:
            self.post_message(self.Changed(moved))

    @on(Changed)
    def _changed(self, message: Changed) -> None:
        self._said = said(message.result)
        self.action_reload()

    def handle_data_error(self, error: BaseException) -> bool:
        if isinstance(error, DataError):
            self._said = f"✗ {error}"
            self.action_reload()
            return True
        return False
