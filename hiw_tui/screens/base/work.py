"""Database work for screens: a thread worker per call, its result posted as a message.

The worker never touches a widget; it posts `done(result)` to the screen, whose handler
updates the widgets on the UI thread. A failed worker reaches `handle_data_error`, which
a screen overrides for the errors it explains in place (a message beside a field, a
conflict); anything else goes to the app's error dialog, the one place failures surface.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from textual.message import Message
from textual.worker import Worker, WorkerState, get_current_worker

from hiw_tui.domain.access import Permission
from hiw_tui.screens.base.case_work_app import CaseWorkApp


class Done(Message):
    """The result of a database call nothing waits for (writing an audit row)."""

    def __init__(self, result: object) -> None:
        super().__init__()
        self.result = result


class DatabaseWork:
    """Mixin for screens and the app: `run_db`, the only way they reach the database,
    and the single route for worker failures."""

    app: CaseWorkApp  # narrower than Textual's App: what uses this mixin runs inside HiwApp

    EDIT_ACTIONS: ClassVar[frozenset[str]] = frozenset()
    """Actions that change data: hidden (and refused) for a read-only role."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return action not in self.EDIT_ACTIONS or self.app.actor.can(Permission.EDIT)

    def run_db(
        self,
        fn: Callable[..., Any],
        /,
        *,
        done: Callable[[Any], Message],
        write: bool = False,
        group: str = "db",
        **kwargs: Any,
    ) -> Worker[None]:
        """Run `fn(session, actor=..., **kwargs)` in a thread; post `done(result)` back.

        A newer read in the same group supersedes an older one, whose result is dropped.
        A write is never superseded: once under way it finishes and reports.
        """
        return self.run_db_without_actor(
            fn, done=done, write=write, group=group, actor=self.app.actor, **kwargs
        )

    def run_db_without_actor(
        self,
        fn: Callable[..., Any],
        /,
        *,
        done: Callable[[Any], Message],
        write: bool = False,
        group: str = "db",
        **kwargs: Any,
    ) -> Worker[None]:
        """`run_db` for what is done on nobody's behalf: `fn(session, **kwargs)`, such as
        checking a password at sign-in."""
        database = self.app.database

        def task() -> None:
            run = database.write if write else database.read
            result = run(fn, **kwargs)
            if not get_current_worker().is_cancelled:
                self.post_message(done(result))  # type: ignore[attr-defined]

        return self.run_worker(  # type: ignore[attr-defined, no-any-return]
            task, thread=True, group=group, exclusive=not write, exit_on_error=False
        )

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        error = event.worker.error
        failed = error if event.state is WorkerState.ERROR else None
        if failed is not None and not self.handle_data_error(failed):
            self.app.show_error(failed)

    def handle_data_error(self, error: BaseException) -> bool:
        """Explain `error` in place and return True, or return False to show the dialog."""
        return False
