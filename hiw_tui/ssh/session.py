"""One SSH session: the app in its own process on its own pseudo-terminal.

The child runs `hiw-tui ssh-session USER`, with the PTY as its controlling terminal so
that a window resize (set on the PTY here) reaches it as SIGWINCH. Bytes go both ways
untouched; when the client goes, the child's process group is ended, and when the child
ends, so does the channel.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import pty
import signal
import struct
import sys
import termios
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import asyncssh

REFUSED_COMMAND = "hiw-tui: remote commands are not allowed; connect with ssh -t, no command.\r\n"
NO_TERMINAL = "hiw-tui: this needs a terminal; connect with ssh -t.\r\n"
TOO_MANY = "hiw-tui: you have too many sessions open; close one first.\r\n"


SERVER_PID = "HIW_SSH_SERVER_PID"
"""Set for each app the server starts: the server's process id (see `ssh-session`)."""


@dataclass(frozen=True)
class Launch:
    """How children start: the command's first words, the colour system, the environment."""

    command: list[str]
    colors: str  # "256" or "16"
    environment: dict[str, str]


def set_size(fd: int, width: int, height: int) -> None:
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", height, width, 0, 0))


def _controlling_tty() -> None:  # runs in the child between fork and exec
    """Make the PTY the child's terminal, and let a hang-up end it: a server started
    under `nohup` ignores SIGHUP, and an ignored signal stays ignored across exec."""
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)
    signal.signal(signal.SIGHUP, signal.SIG_DFL)


_running: set[asyncio.subprocess.Process] = set()
"""Every session's app still running, for `end_all` when the server stops."""
GRACE_SECONDS = 5.0


def _signal(process: asyncio.subprocess.Process, number: int) -> None:
    if process.returncode is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, number)


async def end_all() -> None:
    """End every session's app, as a client going would: SIGHUP, then KILL for any
    still running after the grace period."""
    running = list(_running)
    for process in running:
        _signal(process, signal.SIGHUP)
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(
            asyncio.gather(*(process.wait() for process in running)), GRACE_SECONDS
        )
    for process in running:
        _signal(process, signal.SIGKILL)


class AppSession(asyncssh.SSHServerSession[bytes]):
    """Accepts a PTY and a shell; refuses commands and subsystems (sftp, scp)."""

    def __init__(
        self,
        username: str,
        launch: Launch,
        peer: str,
        admit: Callable[[], Awaitable[bool]],
        leave: Callable[[], None],
    ) -> None:
        self._username = username
        self._launch = launch
        self._peer = peer
        self._admit = admit
        self._leave = leave
        self._chan: asyncssh.SSHServerChannel[bytes] | None = None
        self._size = (80, 24)
        self._term = ""
        self._master = -1
        self._process: asyncio.subprocess.Process | None = None

    def connection_made(self, chan: asyncssh.SSHServerChannel[bytes]) -> None:
        self._chan = chan

    def pty_requested(
        self, term_type: str, term_size: tuple[int, int, int, int], term_modes: object
    ) -> bool:
        self._term = term_type
        width, height = term_size[0] or 80, term_size[1] or 24
        self._size = (width, height)
        return True

    def shell_requested(self) -> bool:
        return True

    def exec_requested(self, command: str) -> bool:
        return False

    def subsystem_requested(self, subsystem: str) -> bool:
        return False

    def session_started(self) -> None:
        asyncio.get_running_loop().create_task(self._start())

    async def _start(self) -> None:
        chan = self._chan
        assert chan is not None
        if not self._term:
            self._refuse(NO_TERMINAL)
            return
        if not await self._admit():
            self._refuse(TOO_MANY)
            return
        try:
            code = await self._run_app()
        finally:
            self._close_master()
            self._leave()
        with contextlib.suppress(OSError, asyncssh.Error):
            chan.exit(code if code >= 0 else 1)

    async def _run_app(self) -> int:
        master, slave = pty.openpty()
        set_size(slave, *self._size)
        environment = {
            **self._launch.environment,
            "TERM": "xterm-256color",
            "TEXTUAL_COLOR_SYSTEM": "256" if self._launch.colors == "256" else "standard",
            "SSH_CONNECTION": self._peer,
            SERVER_PID: str(os.getpid()),
        }
        try:
            self._process = await asyncio.create_subprocess_exec(
                *self._launch.command,
                "ssh-session",
                self._username,
                stdin=slave,
                stdout=slave,
                stderr=slave,
                env=environment,
                start_new_session=True,
                preexec_fn=_controlling_tty,
            )
        finally:
            os.close(slave)
        self._master = master
        asyncio.get_running_loop().add_reader(master, self._from_app)
        _running.add(self._process)
        try:
            return await self._process.wait()
        finally:
            _running.discard(self._process)

    def _refuse(self, message: str) -> None:
        with contextlib.suppress(OSError, asyncssh.Error):
            assert self._chan is not None
            self._chan.write(message.encode())
            self._chan.exit(1)

    def _from_app(self) -> None:
        """Pass what the app writes to the client; once the app has ended, or the client
        has gone while the app was still drawing, stop reading (`connection_lost` ends
        the app)."""
        try:
            data = os.read(self._master, 65536)
        except OSError:
            data = b""
        try:
            if data and self._chan is not None:
                self._chan.write(data)
                return
        except (OSError, asyncssh.Error):
            pass
        self._close_master()

    def _close_master(self) -> None:
        if self._master >= 0:
            asyncio.get_running_loop().remove_reader(self._master)
            os.close(self._master)
            self._master = -1

    def data_received(self, data: bytes, datatype: object) -> None:
        if self._master >= 0:
            os.write(self._master, data)

    def eof_received(self) -> bool:
        """Keep sending after the client's end-of-input (its stdin closed): the app's screen
        and any message still have to reach it."""
        return True

    def terminal_size_changed(self, width: int, height: int, pixwidth: int, pixheight: int) -> None:
        self._size = (width or 80, height or 24)
        if self._master >= 0:
            set_size(self._master, *self._size)

    def connection_lost(self, exc: Exception | None) -> None:
        """The client went: end the app (SIGHUP, as a terminal closing would; then KILL)."""
        process = self._process
        if process is None or process.returncode is not None:
            return
        _signal(process, signal.SIGHUP)
        asyncio.get_running_loop().call_later(GRACE_SECONDS, _signal, process, signal.SIGKILL)


def child_command(database_url: str) -> list[str]:
    return [sys.executable, "-m", "hiw_tui", "--database", database_url]
