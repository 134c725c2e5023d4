"""Signing in, and unlocking after the idle lock: a name and a password, nothing else.

One screen does both. At sign-in the name is typed (or filled in from `--user`); at the
idle lock it is the signed-in user's and cannot be changed, and the screen covers
everything beneath it, so an unattended terminal shows no case data. A full screen, not
a modal: nothing of the screens below is drawn while it is up.

At launch it is drawn while the data layer loads behind it (see `hiw_tui.app`): what
is typed meanwhile stays typed, and a password submitted before the data layer is ready
is checked once it is ("Loading…" until then).

The keys typed after the password's Enter wait for the check, however long it takes:
signed in, they go to the first screen (the list, or where the lock was), as if typed
there; refused, they are dropped, so that none is typed into the emptied password box
as the start of the next try.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Header, Input, Label, Static
from textual.worker import Worker, WorkerState

from hiw_tui.screens.base.work import DatabaseWork
from hiw_tui.widgets.footer import KeyFooter

if TYPE_CHECKING:
    from sqlmodel import Session

    from hiw_tui.db.access.auth import SignIn


class SignInScreen(DatabaseWork, Screen["SignIn"]):
    """Dismissed with the accepted `SignIn`; a wrong password says so and stays."""

    TITLE = "Sign in"
    AUTO_FOCUS = ".first-field"
    """The password when the username is filled in, else the username: focused as the
    screen is shown, not moved there later, so that keys typed before the screen was
    drawn never land in (and replace) a filled-in username."""

    BINDINGS = [Binding("ctrl+j", "submit", show=False)]
    """Return typed before the app has taken over the terminal reaches it as a line feed
    (the terminal's line mode turns one into the other), which Textual reads as Ctrl+J:
    it submits the field as Enter does."""

    class Checked(Message):
        def __init__(self, result: SignIn) -> None:
            super().__init__()
            self.result = result

    def __init__(self, *, username: str = "", unlock: bool = False) -> None:
        super().__init__()
        self._username = username
        self._unlock = unlock

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(classes="dialog", id="sign-in"):
            if self._unlock:
                yield Label("Locked", classes="dialog-title")
                yield Static(
                    "The screen locked after a while without input. "
                    "Type your password to go back to where you were.",
                    markup=False,
                )
            else:
                yield Label("Households into Work: sign in", classes="dialog-title")
            yield Label("Username", classes="field-label")
            yield Input(
                self._username,
                placeholder="your username",
                id="username",
                classes="" if self._username else "first-field",
                disabled=self._unlock,
                compact=True,
                max_length=64,
            )
            yield Label("Password", classes="field-label")
            yield Input(
                placeholder="your password (not shown)",
                password=True,
                id="password",
                classes="first-field" if self._username else "",
                compact=True,
                max_length=200,
            )
            yield Static("", id="sign-in-message", markup=False)
            yield Static("Enter signs in. Ctrl+Q quits.", markup=False)
        yield KeyFooter()

    async def action_submit(self) -> None:
        if isinstance(self.focused, Input):
            await self.focused.action_submit()

    @on(Input.Submitted, "#username")
    def _to_password(self) -> None:
        self.query_one("#password", Input).focus()

    @on(Input.Submitted, "#password")
    def _check(self) -> None:
        username = self.query_one("#username", Input).value.strip()
        password = self.query_one("#password", Input).value
        if not username:
            self._say("Type your username.")
            self.query_one("#username", Input).focus()
            return
        app = self.hiw_app
        self._say("Checking…" if app.data_ready.is_set() else "Loading…")
        app.hold_keys()
        action = "unlock" if self._unlock else "sign_in"
        now = datetime.now(UTC)

        def check(session: Session) -> SignIn:
            # Run once the data layer is loaded, so its settings and code are there.
            from hiw_tui.db.access.auth import check_password

            settings = app.settings
            return check_password(
                session,
                username=username,
                password=password,
                now=now,
                attempts=settings.sign_in_attempts,
                lock_minutes=settings.sign_in_lock_minutes,
                action=action,
            )

        self.run_db_without_actor(check, self.Checked, write=True, group="sign-in")

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A check that failed (its reason on the error screen) leaves no "Checking…"."""
        super().on_worker_state_changed(event)
        if event.state is WorkerState.ERROR:
            self.hiw_app.hand_on_keys(drop=True)
            self._say("Not signed in: see the message that was shown.")

    def on_sign_in_screen_checked(self, message: Checked) -> None:
        password = self.query_one("#password", Input)
        password.value = ""
        if message.result.user is None:
            self.hiw_app.hand_on_keys(drop=True)
            self._say(message.result.message)
            password.focus()
            return
        self.dismiss(message.result)
        self.hiw_app.hand_on_keys()

    def _say(self, text: str) -> None:
        self.query_one("#sign-in-message", Static).update(text)
