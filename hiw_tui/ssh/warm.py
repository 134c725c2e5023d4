"""The warm process: one per embedded server, the app's code loaded, forking each session.

The server starts it as `hiw-tui --database URL ssh-warm SOCKET` (never by hand). It
imports everything a session needs (the app and its screens, the data layer, SQLAlchemy,
SQLModel, Textual), checks that it holds no database engine or connection (a session's
own are opened after the fork, in the child), makes those objects immortal where Python
can (`hiw_tui.ssh.immortal`: no session writes their reference counts) and freezes them
for the garbage collector (`gc.freeze`: no collection in a child writes to their pages),
so the pages stay shared by every session, and offers its memory to the kernel's
samepage merging (`hiw_tui.ssh.merging`: pages a session copies but leaves the same are
shared again); and listens on SOCKET: in a folder of the server's (mode 700), itself
mode 600, and answering no process but its parent, the server (the connection's
credentials say who connected). It holds no user's data: a request is only read, and the
session is forked from it. Like `ssh-session`'s own checks (which its children pass as a
cold session does: the server, named in the request's environment, is their
grandparent), this keeps a person at a terminal from opening the app without a password;
it is no wall against a program run as the server's user, which can read the database
anyway.

A child forked for a request becomes the session exactly as a cold start would be: a
session of its own with the PTY as its controlling terminal and as stdin, stdout and
stderr; the signals the warm process handles back at their defaults (SIGINT at Python's
own, as in any Python process); the listening socket closed; the request's environment
as its whole environment; then the same code as `hiw-tui ssh-session USER`. It answers
its process id on the request's connection, keeps the connection, and writes its exit
code there at the end. The warm process closes its copy right after the fork and reaps
its children; it ends when the server closes its stdin (or dies).
"""

from __future__ import annotations

import contextlib
import fcntl
import gc
import importlib
import os
import pkgutil
import select
import signal
import socket
import struct
import sys
import termios
import threading
import traceback
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import NoReturn

from hiw_tui.settings import LOW_BANDWIDTH_ENVIRONMENT
from hiw_tui.ssh import merging
from hiw_tui.ssh.immortal import immortalize
from hiw_tui.ssh.request import EXIT, MAX_MESSAGE, PID, Request, reply

READY = b"ready\n"
"""Written on stdout once the socket is listening."""

PRELOAD = (
    "hiw_tui.app",
    "hiw_tui.commands",
    "hiw_tui.keymap",
    "hiw_tui.themes",
    "hiw_tui.screens",
    "hiw_tui.widgets",
    "hiw_tui.db",
    "hiw_tui.domain",
    "hiw_tui.ssh.session",
    "textual.drivers.linux_driver",
    "textual.drivers.headless_driver",
    "textual.layouts",
    "textual.pilot",
    "textual.scrollbar",
    "textual.widgets._text_area",
    "rich._emoji_codes",
    "concurrent.futures.thread",
)
"""What a session uses, imported before any fork (packages with every module in them).

Of Textual's widgets, those the app's modules import, and TextArea (imported when a
form first gets the cursor, see `hiw_tui.widgets.cursor`): not every widget Textual
has. Every page of the warm process a session writes to (an object's reference count
changes whenever code uses it) becomes the session's own, so code no session runs is
not merely idle there: its objects lie among those sessions use and spread them over
more pages. Textual's Markdown alone brought markdown-it, linkify and Pygments; the
few sessions that open a widget not loaded here (Textual's key panel) import it then.
"""
DRIVERS = {
    "sqlite": ("sqlalchemy.dialects.sqlite", "sqlite3.dbapi2"),
    "postgresql": ("sqlalchemy.dialects.postgresql", "psycopg"),
}
"""The database driver and SQLAlchemy dialect the sessions of a server use: only its
URL's (on SQLite, psycopg's 2 MiB of modules are never used)."""
NOT_PRELOADED = ("hiw_tui.db.migrations",)
"""Alembic's scripts run only to create or upgrade a schema, never in a session."""

RunSession = Callable[[str], int]
"""The session's app as USER, in the child: `hiw-tui ssh-session USER`'s code."""


def preload(url: str) -> None:
    """Import every module a session on the database at `url` needs, and make what its
    first query would make (the ORM's mappers, configured), but open nothing."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.orm import configure_mappers

    for name in PRELOAD:
        module = importlib.import_module(name)
        if hasattr(module, "__path__"):
            for found in pkgutil.walk_packages(module.__path__, f"{name}."):
                if not found.name.startswith(NOT_PRELOADED):
                    importlib.import_module(found.name)
    for name in DRIVERS.get(make_url(url).get_backend_name(), ()):
        with contextlib.suppress(ImportError):  # a session says what is missing
            importlib.import_module(name)
    importlib.import_module("rich._unicode_data").load()  # the table of character widths
    configure_mappers()  # else each session does it, writing to every mapper's pages


def database_objects() -> list[str]:
    """The kinds of database engine, pool or connection this process holds (none, in the
    warm process: every session opens its own after the fork)."""
    import sqlite3

    from sqlalchemy.engine import Connection, Engine
    from sqlalchemy.pool import Pool

    kinds: tuple[type, ...] = (Engine, Connection, Pool, sqlite3.Connection)
    if "psycopg" in sys.modules:
        kinds += (sys.modules["psycopg"].Connection,)
    return sorted({type(found).__name__ for found in gc.get_objects() if isinstance(found, kinds)})


def serve_warm(path: Path, url: str, run_session: RunSession) -> int:
    """Load what sessions on the database at `url` need, then fork a session for each
    request on `path`, until stdin closes."""
    for name, value in LOW_BANDWIDTH_ENVIRONMENT.items():
        os.environ.setdefault(name, value)  # as a session's, before Textual is imported
    preload(url)
    loaded = textual_environment(os.environ)
    held = database_objects()
    if held:
        raise RuntimeError(f"the warm process holds a database {held}: nothing may open one")
    listener = _listen(path)
    signal.signal(signal.SIGCHLD, _reap)
    immortalize()  # on Python 3.12 and 3.13: no session writes the loaded objects' counts
    gc.freeze()
    merging.offer()  # pages the sessions copy but leave the same are shared again
    os.write(1, READY)
    while True:
        readable, _, _ = select.select([listener.fileno(), 0], [], [])
        if 0 in readable and not os.read(0, 512):
            listener.close()
            return 0
        if listener.fileno() in readable:
            _accept(listener, loaded, run_session)


def textual_environment(environment: Mapping[str, str]) -> dict[str, str]:
    """What Textual reads from the environment when it is imported (`textual.constants`:
    its `TEXTUAL_` variables and `ESCDELAY`)."""
    return {
        name: value
        for name, value in environment.items()
        if name.startswith("TEXTUAL_") or name == "ESCDELAY"
    }


def _listen(path: Path) -> socket.socket:
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    mask = os.umask(0o177)
    try:
        listener.bind(str(path))
    finally:
        os.umask(mask)
    os.chmod(path, 0o600)
    listener.listen(socket.SOMAXCONN)
    return listener


def _reap(number: int, frame: object) -> None:
    with contextlib.suppress(ChildProcessError):
        while os.waitpid(-1, os.WNOHANG)[0] > 0:
            pass


def _peer_pid(connection: socket.socket) -> int:
    credentials = connection.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, 12)
    return int(struct.unpack("3i", credentials)[0])


def _accept(listener: socket.socket, loaded: dict[str, str], run_session: RunSession) -> None:
    """Read one request and fork its session; anything from another process than the
    server, or not a whole request with one terminal, is dropped."""
    try:
        connection, _ = listener.accept()
    except OSError:
        return
    with connection:
        terminals: list[int] = []
        try:
            connection.settimeout(5)
            if _peer_pid(connection) != os.getppid():
                return
            message, terminals, flags, _ = socket.recv_fds(connection, MAX_MESSAGE, 1)
            if flags & socket.MSG_CTRUNC or len(terminals) != 1 or not os.isatty(terminals[0]):
                return
            request = Request.decode(message)
        except (OSError, ValueError):
            return
        finally:
            for extra in terminals[1:]:
                os.close(extra)
        assert threading.active_count() == 1, "a fork must not copy other threads"
        if os.fork() == 0:
            _become_session(listener, connection, terminals[0], request, loaded, run_session)
        os.close(terminals[0])


def _become_session(
    listener: socket.socket,
    connection: socket.socket,
    terminal: int,
    request: Request,
    loaded: dict[str, str],
    run_session: RunSession,
) -> NoReturn:
    """In the child: become the session, run the app, say its exit code, exit."""
    code = 1
    try:
        for number in (signal.SIGHUP, signal.SIGTERM, signal.SIGCHLD):
            signal.signal(number, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        listener.close()
        connection.settimeout(None)
        os.setsid()
        fcntl.ioctl(terminal, termios.TIOCSCTTY, 0)
        for fd in (0, 1, 2):
            os.dup2(terminal, fd)
        if terminal > 2:
            os.close(terminal)
        _standard_streams()
        use_environment(request.environment, loaded)
        connection.send(reply(PID, os.getpid()))
        code = run_session(request.username)
    except SystemExit as leaving:
        code = leaving.code if isinstance(leaving.code, int) else 1
    except BaseException:
        with contextlib.suppress(Exception):
            traceback.print_exc()
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        with contextlib.suppress(OSError):
            connection.send(reply(EXIT, code))
        os._exit(code)


def _standard_streams() -> None:
    """Python's standard streams on the terminal now at 0, 1 and 2, as a process
    started on it would have them (Textual writes to `sys.__stderr__`)."""
    for name, fd, mode in (("stdin", 0, "r"), ("stdout", 1, "w"), ("stderr", 2, "w")):
        errors = "backslashreplace" if name == "stderr" else "strict"
        stream = open(fd, mode, buffering=1, encoding="utf-8", errors=errors, closefd=False)  # noqa: SIM115
        setattr(sys, name, stream)
        setattr(sys, f"__{name}__", stream)


def use_environment(environment: dict[str, str], loaded: dict[str, str]) -> None:
    """The request's environment and no other, with the low-bandwidth profile. Textual
    read its settings from the environment when the warm process imported it (`loaded`:
    the server's, with the same profile), and they are read again only if the
    session's differ: reading them runs `textual.constants` anew, replacing objects in
    the warm process's pages (0.25 MiB more of the session's own memory), and the
    server gives every session the same ones."""
    os.environ.clear()
    os.environ.update(environment)
    for name, value in LOW_BANDWIDTH_ENVIRONMENT.items():
        os.environ.setdefault(name, value)
    if textual_environment(os.environ) != loaded:
        importlib.reload(importlib.import_module("textual.constants"))
