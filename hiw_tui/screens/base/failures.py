"""Failures nobody explains in place: logged with a traceback, shown, and survived.

Textual ends the app on an exception that reaches it, printing the traceback on the
terminal. Here a key's action, a screen's message handler (see `DatabaseWork`), a
dismissed screen's callback, a timer or a worker that raises is written to
`settings.error_log` and shown on the error screen; what lies beneath, a half-typed
form included, stays as it was. An error screen already showing is not covered by
another (an error on every refresh would stack them without end), and the same error
is not logged twice in a row. What fails while a screen is being built or drawn leaves
nothing to show the error over: the app ends as Textual's does, but the terminal gets
one line naming the log, never the traceback (its locals may hold personal data).
"""

from __future__ import annotations

import sys
import traceback
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rich.text import Text
from textual.dom import DOMNode
from textual.worker import WorkerFailed

from hiw_tui.screens.base.case_work_app import CaseWorkApp

SURVIVABLE_CALLERS = frozenset({"_flush_next_callbacks", "_tick"})
"""Where Textual hands an exception on and carries on (a callback, a timer): anything
else it hands on has stopped a widget's or screen's message loop."""


def log_failure(path: Path, error: BaseException, where: str) -> None:
    """Append `error`'s traceback to `path` (mode 600, in a private folder)."""
    from hiw_tui.db.core.private import private_text
    from hiw_tui.db.privacy.visibility import shown_error

    with private_text(path, append=True) as log:
        stamp = datetime.now(UTC).isoformat(timespec="seconds")
        log.write(f"{stamp} {type(error).__name__} on {where}\n")
        log.write(shown_error("".join(traceback.format_exception(error))))
        log.write("\n")


class SurvivesFailures(CaseWorkApp):
    """The app's side: every failure comes to `show_error`."""

    _last_logged: tuple[str, str] | None = None

    def show_error(self, error: BaseException) -> None:
        """Log an unexpected error; show any on the error screen unless one is up."""
        from hiw_tui.db.core.errors import DataError
        from hiw_tui.screens.dialogs.common import ErrorScreen

        logged = None if isinstance(error, DataError) else self._log_error(error)
        if not isinstance(self.screen, ErrorScreen):
            self.push_screen(ErrorScreen(error, logged))

    def _log_error(self, error: BaseException) -> Path | None:
        """Write `error` to the log; the log's path, or None if it cannot be written (or
        the settings naming it are not loaded yet)."""
        if not self.loaded:
            return None
        path = self.settings.error_log
        signature = (type(error).__name__, "".join(traceback.format_tb(error.__traceback__)))
        if signature != self._last_logged:
            try:
                log_failure(path, error, where=self._where())
            except OSError:
                return None
            self._last_logged = signature
        return path

    def _where(self) -> str:
        return type(self.screen_stack[-1]).__name__ if self.screen_stack else "start-up"

    async def _dispatch_action(self, namespace: DOMNode, action_name: str, params: Any) -> bool:
        try:
            return await super()._dispatch_action(namespace, action_name, params)
        except Exception as error:
            self.show_error(error)
            return True

    def _handle_exception(self, error: Exception) -> None:
        """What reached Textual: shown where the app can go on, otherwise the end."""
        failed = error.error if isinstance(error, WorkerFailed) else error
        survivable = failed is not error or sys._getframe(1).f_code.co_name in SURVIVABLE_CALLERS
        if survivable and self.is_running and self.screen_stack:
            self.show_error(failed)
            return
        logged = self._log_error(failed)
        self._return_code = 1
        if self._exception is None:  # App.run_test raises it when a test's app ends
            self._exception = error
            self._exception_event.set()
        self.bell()
        where = f"the details are in {logged}" if logged else "the error log could not be written"
        self._exit_renderables.append(
            Text(f"hiw-tui stopped after an unexpected error ({type(failed).__name__}); {where}.")
        )
        self._close_messages_no_wait()
