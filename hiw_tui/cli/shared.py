"""What the command groups share: the failure message, the database (opened, or opened
and its schema checked), the app run on it, the codes their options offer, and a
progress bar."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from hiw_tui.app import DataLayer, HiwApp
    from hiw_tui.db.core.engine import Database
    from hiw_tui.db.core.models import UserPublic
    from hiw_tui.settings import Settings
    from hiw_tui.transfer.load import Progress

Commands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"
"""Where a group adds its commands: the top-level parser's subparsers."""
Handler: TypeAlias = "Callable[[argparse.Namespace, Settings], int]"
"""What a command runs: each group's parser names its own."""


def fail(message: str) -> int:
    print(f"hiw-tui: {message}", file=sys.stderr)
    return 2


def database_url(args: argparse.Namespace, settings: Settings) -> str:
    """`--database`, before or after the command, else the settings' URL."""
    return args.database or settings.database_url


def acting_user(args: argparse.Namespace, settings: Settings) -> str | None:
    """`--user`, else the settings' user (`$HIW_USER`)."""
    return args.user or settings.user


def open_database(url: str, settings: Settings | None = None) -> Database:
    from hiw_tui.db.audit.key import AuditKey
    from hiw_tui.db.core.engine import Database
    from hiw_tui.settings import Settings

    settings = settings or Settings()
    return Database(
        url,
        busy_timeout_ms=settings.sqlite_busy_timeout_ms,
        key=settings.encryption_key(),
        audit_key=AuditKey.from_settings(settings),
    )


def ready(url: str, settings: Settings | None = None) -> Database:
    """The database, its schema checked (an empty one is created)."""
    from hiw_tui.db.core.schema import ensure_current

    database = open_database(url, settings)
    ensure_current(database.engine)
    return database


def use_low_bandwidth() -> None:
    """The low-bandwidth profile's environment (see `LOW_BANDWIDTH_ENVIRONMENT`): set
    before Textual is first imported, which reads it then."""
    from hiw_tui.settings import LOW_BANDWIDTH_ENVIRONMENT

    for name, value in LOW_BANDWIDTH_ENVIRONMENT.items():
        os.environ.setdefault(name, value)


def data_layer(database: Database, settings: Settings) -> DataLayer:
    """The app's data layer on a ready database: the settings' Star framework, targets
    and keymap (`FrameworkError`, `TargetsError` or `KeymapError` if one is wrong)."""
    from hiw_tui.app import given_data_layer
    from hiw_tui.keymap import keymap_path, load_keymap

    return given_data_layer(database, settings, None, None, load_keymap(keymap_path(settings)))


def run_app(
    database: Database, settings: Settings, *, username: str = "", actor: UserPublic | None = None
) -> int:
    """Open the app on a ready database: at the sign-in screen, or as `actor` (signed in
    by SSH key). Leaving it is audited as a sign-out."""
    from hiw_tui.domain.framework import FrameworkError
    from hiw_tui.domain.targets import TargetsError

    low_bandwidth = settings.low_bandwidth or actor is not None  # an SSH session
    if low_bandwidth:
        use_low_bandwidth()
    # Textual reads the profile's environment when first imported: only after it is set.
    from hiw_tui.app import HiwApp
    from hiw_tui.db.access.auth import record_session_event
    from hiw_tui.keymap import KeymapError

    try:
        layer = data_layer(database, settings)
    except (FrameworkError, TargetsError, KeymapError) as error:
        return fail(str(error))
    app = HiwApp(
        database=database,
        actor=actor,
        username=username,
        settings=settings,
        framework=layer.framework,
        targets=layer.targets,
        remote=actor is not None,
        low_bandwidth=low_bandwidth,
        keymap=layer.keymap,
    )
    if actor is not None:
        database.write(record_session_event, actor=actor, action="ssh_sign_in")
    return run(app)


HANG_UP_SECONDS = 10.0
"""Once the terminal has gone, the longest the app is given to leave."""


def _hung_up(app: HiwApp) -> None:
    """The terminal went away (an SSH client disconnected, a window closed): leave as
    from Ctrl+Q, so that the sign-out is recorded. Nothing can be drawn any more, so
    what the app still writes (leaving restores the terminal) goes nowhere rather than
    failing; and should leaving not have finished within `HANG_UP_SECONDS` (Textual's
    shutdown has been seen to wait for ever on its output thread after a hang-up), the
    process ends anyway rather than linger without a terminal."""
    nowhere = os.open(os.devnull, os.O_WRONLY)
    for fd in (1, 2):
        with suppress(OSError):
            os.dup2(nowhere, fd)
    _leave_in_time(app)


def _leave_in_time(app: HiwApp) -> None:
    """SIGTERM (the SSH server stopping, a service manager): leave as from Ctrl+Q, giving
    the terminal back as it was; and end anyway after `HANG_UP_SECONDS`."""
    ender = threading.Timer(HANG_UP_SECONDS, os._exit, args=(1,))
    ender.daemon = True
    ender.start()
    app.exit()


def run(app: HiwApp) -> int:
    """Run the app until it ends. Leaving it is audited as a sign-out, and the database
    (once loaded) is tidied for the next session."""
    hangup = getattr(signal, "SIGHUP", None)  # Windows has none
    if hangup is not None:
        signal.signal(hangup, lambda *_: _hung_up(app))
    signal.signal(signal.SIGTERM, lambda *_: _leave_in_time(app))
    from hiw_tui.cli.terminal_keys import take_keys_as_typed

    take_keys_as_typed()
    try:
        app.run(mouse=not app.low_bandwidth)
    finally:
        if app.signed_in:
            from hiw_tui.db.access.auth import record_session_event

            app.database.write(record_session_event, actor=app.actor, action="sign_out")
    if not app.data_ready.is_set():
        return 0  # left before the data layer was loaded: nothing to tidy
    if app.load_error is not None:
        return fail(app.load_error)  # one line, once the terminal is given back
    app.database.optimize()
    return 0


def role_codes() -> list[str]:
    from hiw_tui.domain.codes import UserRole

    return [role.value for role in UserRole]


def area_codes() -> list[str]:
    from hiw_tui.domain.codes import LocalAuthority

    return [area.value for area in LocalAuthority]


@contextmanager
def progress_bar() -> Iterator[Progress]:
    """A `Progress` drawing a bar for each `what` on stderr while the block runs (none
    when stderr is not a terminal); the bars are cleared at the end."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        TaskID,
        TextColumn,
        TimeElapsedColumn,
    )
    from rich.progress import Progress as Bars

    console = Console(stderr=True)
    with Bars(
        TextColumn("{task.description:22}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    ) as bars:
        tasks: dict[str, TaskID] = {}

        def progress(what: str, done: int, total: int) -> None:
            if what not in tasks:
                tasks[what] = bars.add_task(what, total=total)
            bars.update(tasks[what], completed=done, total=total)

        yield progress
