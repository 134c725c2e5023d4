"""The application: styles, the global keys, the command palette and the screens."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input

from hiw_tui.commands import HouseholdCommands
from hiw_tui.screens.access.sign_in import SignInScreen
from hiw_tui.screens.base.case_work_app import CaseWorkApp
from hiw_tui.screens.base.cursor import CursorOnHighlight
from hiw_tui.screens.base.failures import SurvivesFailures
from hiw_tui.screens.base.garbage import IDLE_SECONDS, IdleCollector
from hiw_tui.screens.base.key_order import KeyOrder
from hiw_tui.screens.base.work import DatabaseWork, Done
from hiw_tui.themes import HIGH_CONTRAST, THEMES
from hiw_tui.widgets.styles_cache import cache_by_colour_alone

if TYPE_CHECKING:
    from hiw_tui.db.access.auth import SignIn
    from hiw_tui.db.casework.week import WeekItem
    from hiw_tui.db.core.engine import Database
    from hiw_tui.db.core.models import HouseholdPublic, UserPublic
    from hiw_tui.domain.framework import Framework
    from hiw_tui.domain.targets import Targets
    from hiw_tui.settings import Settings

# Only Textual and what the sign-in screen needs are imported here: at launch the
# sign-in screen is drawn first, and the data layer (SQLAlchemy, SQLModel, pydantic's
# settings, the other screens) is loaded behind it (`DataLayer`).


@dataclass(frozen=True)
class DataLayer:
    """What the app works on besides Textual: at launch loaded in a thread while the
    sign-in screen is up (see `HiwApp`)."""

    database: Database
    settings: Settings
    framework: Framework
    """The Star framework new readings are made under."""
    targets: Targets
    """The periods and targets the reports count against."""
    keymap: Mapping[str, str]
    """Keys rebound (from `hiw_tui.keymap`)."""


def styles_dir() -> Path:
    """`styles/` as shipped inside the wheel, or beside the package in a source checkout."""
    packaged = Path(__file__).with_name("styles")
    return packaged if packaged.is_dir() else Path(__file__).parent.parent / "styles"


IDLE_CHECK_SECONDS = 5
ACCOUNT_CHECK_SECONDS = 5
"""How often a signed-in session asks whether its user was deactivated meanwhile (every
database call asks too)."""


ROLE_PLACES = {
    "approvals": "Approvals are for supervisors and programme managers.",
    "audit_log": "The audit trail is for supervisors, programme managers and auditors.",
    "users": "Users are looked after by supervisors and programme managers.",
}
"""What a key for each place says to a role that may not open it."""


class HiwApp(CursorOnHighlight, SurvivesFailures, DatabaseWork, CaseWorkApp):
    """Acts as the signed-in user throughout: every query it makes is scoped to them.

    Given no `actor`, it opens at the sign-in screen (with `username` filled in, if
    given); given one, that user is already signed in (an SSH session, whose key the
    server checked). After `settings.idle_lock_minutes` without a key press or click the
    sign-in screen covers everything and asks for the password again; a `remote`
    session whose user has no password ends instead. Until signed in, and while locked,
    no global key but quit does anything. A session whose user is deactivated (or
    locked by an administrator) meanwhile ends, saying why (`SessionEnded`).

    The colours are `settings.theme`'s; `keymap` (from `hiw_tui.keymap`) rebinds keys.
    """

    CSS_PATH = [styles_dir() / "app.tcss"]
    TITLE = "Households into Work"
    COMMANDS = App.COMMANDS | {HouseholdCommands}
    BINDINGS = [
        # Tab moves focus before the keys typed after it are routed (they arrive in one
        # burst over slow links), so "Jo<Tab>Bloggs" fills two fields, not one.
        Binding("tab", "focus_next", "Next field", show=False, priority=True),
        Binding("shift+tab", "focus_previous", "Previous field", show=False, priority=True),
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("w", "my_week", "My week", show=False),
        Binding("A", "approvals", "Approvals", show=False),
        Binding("R", "reports", "Reports", key_display="R", show=False),
        Binding("dollar_sign", "reports('spend')", "Spending", key_display="$", show=False),
        Binding("L", "audit_log", "Audit trail", key_display="L", show=False),
        Binding("U", "users", "Users", key_display="U", show=False),
        Binding("ctrl+q", "quit", "Quit", priority=True, show=False),
    ]

    def __init__(
        self,
        *,
        database: Database | None = None,
        load: Callable[[], DataLayer] | None = None,
        actor: UserPublic | None = None,
        username: str = "",
        settings: Settings | None = None,
        today: Callable[[], date] = date.today,
        framework: Framework | None = None,
        targets: Targets | None = None,
        clock: Callable[[], float] = time.monotonic,
        remote: bool = False,
        low_bandwidth: bool = False,
        keymap: Mapping[str, str] | None = None,
    ) -> None:
        """Given a `database`, the app works on it from the start (with the settings,
        framework, targets and keymap given, or the settings' own). Given `load`
        instead, the sign-in screen is drawn first and `load` runs in a thread behind
        it; a sign-in waits for it (see `DatabaseWork.run_db_without_actor`)."""
        super().__init__()
        cache_by_colour_alone()
        self._actor = actor
        self._username = username
        self.clock = clock
        """Seconds, for the idle lock; tests move it on by hand."""
        self.remote = remote
        self.low_bandwidth = low_bandwidth
        """Run without the mouse (see `hiw_tui.settings.LOW_BANDWIDTH_ENVIRONMENT`): what
        only a mouse uses is left out of what is written."""
        self.locked = False
        self._last_input = clock()
        self._garbage = IdleCollector(lambda: self.clock() - self._last_input)
        self._key_order = KeyOrder(self, super().on_event, quits=self._quits)
        """Keys typed in a burst apply one after another, in the order typed."""
        self.today = today
        """Today's date; tests fix it so that months and ages do not move."""
        self.data_ready = threading.Event()
        self._load = load
        self.load_error: str | None = None
        """Why the data layer could not be loaded (the app then ends, saying so)."""
        if database is not None:
            self._use(given_data_layer(database, settings, framework, targets, keymap))
        elif load is None:
            raise ValueError("HiwApp needs a database or a way to load one")

    def _use(self, layer: DataLayer) -> None:
        from hiw_tui.domain.budget import BudgetPolicy

        self.database = layer.database
        self.settings = layer.settings
        self.budget_policy = BudgetPolicy(
            self.settings.budget_cap_pence, self.settings.approval_threshold_pence
        )
        self.framework = layer.framework
        self.targets = layer.targets
        self._keymap = dict(layer.keymap)
        self.data_ready.set()

    @property
    def actor(self) -> UserPublic:
        """The signed-in user (screens exist only once someone is signed in)."""
        if self._actor is None:
            raise RuntimeError("nobody is signed in")
        return self._actor

    @property
    def signed_in(self) -> bool:
        return self._actor is not None

    @property
    def _background_screens(self) -> list[Screen[object]]:
        """The screens that show through the top one: none when its background is
        opaque, as every full screen's is.

        Textual (8.2.8, pinned) always counts the screen below as showing through, so
        opening a household's readings laid out and drew its record underneath again,
        for nothing: about 40% of the time to open a screen. Dialogs, whose background
        is see-through, still show what is below them."""
        if self._screen_stack and self._screen_stack[-1].styles.background.a == 1:
            return []
        return super()._background_screens

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Textual's own palette commands but its screenshot: a file of whatever is on
        the screen (a household's details) would leave the app unaudited, by a way
        none of its rules on what may be seen covers."""
        for command in super().get_system_commands(screen):
            if command.title != "Screenshot":
                yield command

    def on_mount(self) -> None:
        self.register_theme(HIGH_CONTRAST)
        self.screen_change_signal.subscribe(self, self._screen_changed)
        self.set_interval(IDLE_SECONDS, self._garbage.collect_if_idle)
        if self._actor is None:
            self.push_screen(SignInScreen(username=self._username), self._signed_in)
        if self.data_ready.is_set():
            self._loaded()
        if self._actor is not None:
            self._start()

    def _screen_changed(self, _: Screen[object]) -> None:
        self._forget_closed_watchers()
        self._garbage.screen_closed()

    def _forget_closed_watchers(self) -> None:
        """Let the widgets of the screens that have closed go.

        Each screen's `Header` (and each `TextArea`) watches the app's title or theme,
        and Textual (8.2.8) forgets a closed widget's watch only when what it watches
        changes, which the app's title and theme never do once someone is signed in:
        every screen ever opened kept its header in memory, with the lines it last
        drew, and each full garbage collection took longer through the day."""
        for watchers in getattr(self, "__watchers", {}).values():
            watchers[:] = [(node, callback) for node, callback in watchers if not node._closing]

    def on_ready(self) -> None:
        """The first frame is on the terminal: load the data layer now, not before (the
        thread holds the interpreter's lock for much of its work)."""
        if self._load is not None and not self.data_ready.is_set():
            loading = threading.Thread(
                target=self._load_behind, args=(self._load,), name="hiw-load", daemon=True
            )
            loading.start()

    def _load_behind(self, load: Callable[[], DataLayer]) -> None:
        """In the loading thread: the data layer, or the app ends saying why not."""
        try:
            layer = load()
        except Exception as error:
            self.load_error = str(error)
            self.data_ready.set()  # database work waiting for it ends with the app
            self._from_loader(self.exit, return_code=2)  # the command line says why
            return
        self._use(layer)
        self._from_loader(self._loaded)

    def _from_loader(self, callback: Callable[..., object], **kwargs: object) -> None:
        """Run `callback` on the app's thread, unless the app has ended meanwhile."""
        with contextlib.suppress(RuntimeError):  # quit before the data layer was loaded
            self.call_from_thread(callback, **kwargs)

    def _loaded(self) -> None:
        """The settings' theme and the keymap, once they are loaded; and what is loaded
        by now is put out of the garbage collector's way (`IdleCollector`)."""
        self.theme = THEMES[self.settings.theme]
        if self._keymap:
            self.set_keymap(self._keymap)
        self._garbage.start()

    def _signed_in(self, result: SignIn | None) -> None:
        if result is not None and result.user is not None:
            self._actor = result.user
            self._start()

    def _start(self) -> None:
        from hiw_tui.screens.household.household_list import HouseholdListScreen

        area = f", {self.actor.local_authority.label}" if self.actor.local_authority else ""
        self.sub_title = f"{self.actor.display_name} ({self.actor.role.label}{area})"
        self._last_input = self.clock()
        self.set_interval(IDLE_CHECK_SECONDS, self.lock_if_idle)
        self.set_interval(ACCOUNT_CHECK_SECONDS, self.check_account)
        self.push_screen(HouseholdListScreen())

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.InputEvent) and not event.is_forwarded:
            self._last_input = self.clock()
        if not self._key_order.hold(event):
            await super().on_event(event)

    def on_key(self, event: events.Key) -> None:
        """A key for a place the user's role does not open says so: it did nothing that
        could be seen (runs before the bindings are checked, for keys no widget took)."""
        active = self.screen.active_bindings.get(event.key)
        if (
            self.signed_in
            and not self.locked
            and active is not None
            and active.node is self
            and not active.enabled
            and active.binding.action in ROLE_PLACES
        ):
            self.notify(ROLE_PLACES[active.binding.action], severity="warning", markup=False)

    def _quits(self, key: events.Key) -> bool:
        active = self.active_bindings.get(key.key)
        return active is not None and active.binding.action in {"quit", "app.quit"}

    def hold_keys(self) -> None:
        self._key_order.pause()

    def hand_on_keys(self, *, drop: bool = False) -> None:
        self._key_order.resume(drop=drop)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """Text cursors stay lit rather than blink: a blinking cursor repaints twice a
        second for as long as a form is open, which a slow link pays for."""
        if isinstance(event.widget, Input):
            event.widget.cursor_blink = False

    def lock_if_idle(self) -> None:
        """Lock if nothing was typed or clicked for the idle time (run every few seconds)."""
        idle = self.clock() - self._last_input
        if self.signed_in and not self.locked and idle >= self.settings.idle_lock_minutes * 60:
            self.lock()

    def check_account(self) -> None:
        """Whether the signed-in user may still work; if not, the session ends (run every
        few seconds, locked or not, so that an idle session ends too)."""
        from hiw_tui.db.access.sessions import signed_in_user

        if self.signed_in:
            self.run_db(signed_in_user, Done, group="account")

    def show_error(self, error: BaseException) -> None:
        from hiw_tui.db.access.sessions import SessionEnded

        if isinstance(error, SessionEnded):
            self.exit(return_code=1, message=str(error))
            return
        super().show_error(error)

    @dataclass
    class Unlockable(Message):
        """Whether the locked session's user has a password to unlock it with."""

        has_password: bool

    def lock(self) -> None:
        """Cover everything with the password prompt; what lies beneath stays as it was.
        A remote session ends instead if its user has no password (see `Unlockable`)."""
        from hiw_tui.db.access.auth import has_password, record_session_event

        username = self.actor.username
        self.locked = True
        self.run_db(partial(record_session_event, action="lock"), Done, write=True, group="audit")
        self.push_screen(SignInScreen(username=username, unlock=True), self._unlocked)
        if self.remote:
            self.run_db_without_actor(
                partial(has_password, username=username), self.Unlockable, group="unlockable"
            )

    def on_hiw_app_unlockable(self, message: Unlockable) -> None:
        if not message.has_password:
            self.exit(message="The session ended after a while without input.")

    def _unlocked(self, result: SignIn | None) -> None:
        self.locked = False
        self._last_input = self.clock()

    def open_household(self, household_id: int, *, goto: WeekItem | None = None) -> None:
        """The household's record; `goto` is an item of the week to open within it."""
        from hiw_tui.screens.household.household_record import (
            HouseholdRecordScreen,  # see hiw_tui.screens
        )

        self.push_screen(HouseholdRecordScreen(household_id, goto=goto))

    def action_my_week(self) -> None:
        from hiw_tui.screens.casework.my_week import MyWeekScreen  # see hiw_tui.screens

        if not isinstance(self.screen, MyWeekScreen):
            self.push_screen(MyWeekScreen())

    async def action_quit(self) -> None:
        """Quit; with a changed form open, ask first (save, discard and quit, or keep
        editing), as leaving the form would. Saving saves the form and stays: quitting
        is then one more Ctrl+Q."""
        from hiw_tui.screens.base.form_base import FormBase
        from hiw_tui.screens.dialogs.unsaved import DISCARD, SAVE, UnsavedChangesScreen

        changed = [s for s in self.screen_stack if isinstance(s, FormBase) and s.changed]
        if not changed or isinstance(self.screen, UnsavedChangesScreen):
            self.exit()
            return
        form = changed[-1]

        def chosen(choice: str | None) -> None:
            if choice == DISCARD:
                self.exit()
            elif choice == SAVE and self.screen is form:
                form.action_submit()

        self.push_screen(UnsavedChangesScreen(form.save_label), chosen)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Until signed in (or while locked) only quitting and moving between fields; the
        places of `ROLE_PLACES` only for the roles that may open them (for others, their
        keys are disabled: not in the help, and `on_key` says why)."""
        if not self.signed_in or self.locked:
            return action in {"quit", "focus_next", "focus_previous"}
        from hiw_tui.domain.access import Permission

        needs = {
            "approvals": Permission.OVERSEE,
            "audit_log": Permission.AUDIT_LOG,
            "users": Permission.OVERSEE,
        }
        if action in needs:
            return self.actor.can(needs[action]) or None  # None: refused (`on_key` says so)
        return True

    def action_approvals(self) -> None:
        """Spends waiting for a supervisor (supervisors and programme managers)."""
        from hiw_tui.domain.access import Permission
        from hiw_tui.screens.ledger.approvals import ApprovalsScreen  # see hiw_tui.screens

        if self.actor.can(Permission.OVERSEE) and not isinstance(self.screen, ApprovalsScreen):
            self.push_screen(ApprovalsScreen())

    def action_audit_log(self) -> None:
        """The audit trail (supervisors, programme managers and auditors)."""
        from hiw_tui.domain.access import Permission
        from hiw_tui.screens.access.audit_log import AuditLogScreen  # see hiw_tui.screens

        if self.actor.can(Permission.AUDIT_LOG) and not isinstance(self.screen, AuditLogScreen):
            self.push_screen(AuditLogScreen())

    def action_users(self) -> None:
        """The users a supervisor or programme manager looks after: leavers, keys and
        moving a caseload."""
        from hiw_tui.domain.access import Permission
        from hiw_tui.screens.access.users import UsersScreen  # see hiw_tui.screens

        if self.actor.can(Permission.OVERSEE) and not isinstance(self.screen, UsersScreen):
            self.push_screen(UsersScreen())

    def action_reports(self, kind: str = "performance") -> None:
        """The programme reports; `$` opens them at spending."""
        from hiw_tui.screens.reports.reports import ReportsScreen  # see hiw_tui.screens

        if isinstance(self.screen, ReportsScreen):
            self.screen.action_show(kind)
        else:
            self.push_screen(ReportsScreen(kind))

    def register_household(self) -> None:
        """The registration form; a household once saved opens at its record."""
        from hiw_tui.screens.household.household_form import HouseholdForm

        def registered(record: HouseholdPublic | None) -> None:
            if record is not None:
                self.open_household(record.id)

        self.push_screen(HouseholdForm(actor=self.actor, today=self.today()), registered)

    def format_title(self, title: str, sub_title: str) -> Content:
        """Textual dims the sub-title; in high contrast nothing is dimmed."""
        if self.theme != HIGH_CONTRAST.name or not sub_title:
            return super().format_title(title, sub_title)
        return Content.assemble(title, " — ", sub_title)

    def action_help(self) -> None:
        from hiw_tui.screens.dialogs.common import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))


def given_data_layer(
    database: Database,
    settings: Settings | None,
    framework: Framework | None,
    targets: Targets | None,
    keymap: Mapping[str, str] | None,
) -> DataLayer:
    """The data layer of an app given its database: what else is not given is the
    settings' (read from the environment)."""
    from hiw_tui.domain.framework import load_framework
    from hiw_tui.domain.targets import load_targets
    from hiw_tui.settings import Settings

    settings = settings or Settings()
    return DataLayer(
        database=database,
        settings=settings,
        framework=framework or load_framework(settings.star_framework),
        targets=targets or load_targets(settings.targets_file),
        keymap=keymap or {},
    )
