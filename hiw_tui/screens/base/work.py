"""Database work for screens: a thread worker per call, its result posted as a message.

The worker never touches a widget; it posts `done(result)` to the screen, whose handler
updates the widgets on the UI thread. A failed worker reaches `handle_data_error`, which
a screen overrides for the errors it explains in place (a message beside a field, a
conflict); anything else goes to the app's error dialog, the one place failures surface.
So does an exception in a message handler of a screen or the app, which would otherwise
end the app (see `hiw_tui.screens.base.failures`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar, TypeVar, cast

from textual import events
from textual.message import Message
from textual.worker import Worker, WorkerState, get_current_worker

from hiw_tui.screens.base.case_work_app import CaseWorkApp

if TYPE_CHECKING:
    from sqlmodel import Session
    from textual.dom import DOMNode

    from hiw_tui.db.core.engine import Query

    _Node = DOMNode  # what the mixin is mixed into (a screen, the app), for mypy only
else:
    _Node = object

T = TypeVar("T")


class Done(Message):
    """The result of a database call nothing waits for (writing an audit row)."""

    def __init__(self, result: object) -> None:
        super().__init__()
        self.result = result


class DatabaseWork(_Node):
    """Mixin for screens and the app: `run_db`, the only way they reach the database,
    and the single route for the failures of its workers and its message handlers."""

    EDIT_ACTIONS: ClassVar[frozenset[str]] = frozenset()
    """Actions that change data: hidden (and refused) for a read-only role."""

    @property
    def hiw_app(self) -> CaseWorkApp:
        """The app, with its database, actor and settings: what uses this mixin runs
        inside HiwApp, which the screens know as CaseWorkApp."""
        return cast(CaseWorkApp, self.app)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action not in self.EDIT_ACTIONS:
            return True
        from hiw_tui.domain.access import Permission

        return self.hiw_app.actor.can(Permission.EDIT)

    def role_may(self, action: str) -> bool:
        """Whether the signed-in role may take `action` at all, whatever the screen's
        state (`check_action` of this class, not a screen's own)."""
        return DatabaseWork.check_action(self, action, ()) is not False

    def for_role(self, text: str, action: str) -> str:
        """`text` ("No referrals yet: n makes one."), or for a role that may not `action`
        what it says before its colon ("No referrals yet."): no hint at a key that does
        nothing for them."""
        state, colon, _ = text.partition(":")
        return text if not colon or self.role_may(action) else f"{state}."

    def run_db(
        self,
        fn: Query[T],
        done: Callable[[T], Message],
        /,
        *,
        write: bool = False,
        group: str = "db",
    ) -> Worker[None]:
        """Run `fn(session, actor=...)` in a thread; post `done(result)` back.

        `fn` is a query function bound to its other arguments: `partial(fn, kw=...)`.
        A newer read in the same group supersedes an older one, whose result is dropped.
        A write is never superseded: once under way it finishes and reports. The actor
        is read afresh in the same transaction, and one deactivated or locked since
        signing in ends the session instead (`SessionEnded`, see `as_signed_in`).
        """
        from hiw_tui.db.access.sessions import as_signed_in

        acting = as_signed_in(fn, self.hiw_app.actor)
        return self.run_db_without_actor(acting, done, write=write, group=group)

    def run_db_without_actor(
        self,
        fn: Callable[[Session], T],
        done: Callable[[T], Message],
        /,
        *,
        write: bool = False,
        group: str = "db",
    ) -> Worker[None]:
        """`run_db` for what is done on nobody's behalf: `fn(session)`, bound to its other
        arguments, such as checking a password at sign-in. Until the data layer is
        loaded (`CaseWorkApp.data_ready`) the worker waits for it."""
        app = self.hiw_app

        def task() -> None:
            app.data_ready.wait()
            if app.load_error is not None:
                return  # not loaded: the app is ending, saying why
            run = app.database.write if write else app.database.read
            result = run(fn)
            if not get_current_worker().is_cancelled:
                self.post_message(done(result))

        return self.run_worker(
            task, thread=True, group=group, exclusive=not write, exit_on_error=False
        )

    async def _dispatch_message(self, message: Message) -> None:
        if isinstance(message, events.Compose | events.Mount):
            # A screen that cannot be built cannot be shown: left to the app to end.
            await super()._dispatch_message(message)
            return
        try:
            await super()._dispatch_message(message)
        except Exception as error:
            self.hiw_app.show_error(error)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        error = event.worker.error
        failed = error if event.state is WorkerState.ERROR else None
        if failed is not None and not self.handle_data_error(failed):
            self.hiw_app.show_error(failed)

    def handle_data_error(self, error: BaseException) -> bool:
        """Explain `error` in place and return True, or return False to show the dialog."""
        return False
