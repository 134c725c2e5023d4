"""One SSH session: the app in its own process on its own pseudo-terminal.

The child is forked by the server's warm process, or started cold as `hiw-tui
ssh-session USER` when that cannot be reached (see `hiw_tui.ssh.children`), with the PTY
as its controlling terminal so that a window resize (set on the PTY here) reaches it as
SIGWINCH. Bytes go both ways untouched; when the client goes, the child's process group
is ended, and when the child ends, so does the channel.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import asyncssh

from hiw_tui.ssh.children import Child, WarmProcess, signal_group, start_child, stop_warm
from hiw_tui.ssh.request import Request

REFUSED_COMMAND = "hiw-tui: remote commands are not allowed; connect with ssh -t, no command.\r\n"
NO_TERMINAL = "hiw-tui: this needs a terminal; connect with ssh -t.\r\n"
TOO_MANY = "hiw-tui: you have too many sessions open; close one first.\r\n"
NOT_STARTED = "hiw-tui: the app could not be started; try again"


SERVER_PID = "HIW_SSH_SERVER_PID"
"""Set for each app the server starts: the server's process id (see `ssh-session`)."""


@dataclass(frozen=True)
class Launch:
    """How children start: the command's first words, the colour system, the environment,
    and the warm process that forks them (none: each starts cold)."""

    command: list[str]
    colors: str  # "256" or "16"
    environment: dict[str, str]
    warm: WarmProcess | None = None

    def terminal_environment(self) -> dict[str, str]:
        """The environment with the terminal's type and the colour system."""
        return {
            **self.environment,
            "TERM": "xterm-256color",
            "TEXTUAL_COLOR_SYSTEM": "256" if self.colors == "256" else "standard",
        }

    def request(self, username: str, peer: str) -> Request:
        """A session's start, the same warm or cold: its user and whole environment."""
        environment = {
            **self.terminal_environment(),
            "SSH_CONNECTION": peer,
            SERVER_PID: str(os.getpid()),
        }
        return Request(username, environment)


def set_size(fd: int, width: int, height: int) -> None:
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", height, width, 0, 0))


_running: set[Child] = set()
"""Every session's app still running, for `end_all` when the server stops."""
GRACE_SECONDS = 5.0


_stopping = False
"""Set once the server is stopping: each session's client is told so."""
STOPPING = "hiw-tui: the server is stopping; your session has ended.\r\n"


async def end_all() -> None:
    """End the warm process, then every session's app: SIGTERM, so that it leaves as a
    quit does and gives its client's terminal back, then KILL for any still running
    after the grace period."""
    global _stopping
    _stopping = True
    await stop_warm()
    running = list(_running)
    for child in running:
        signal_group(child, signal.SIGTERM)
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(asyncio.gather(*(child.wait() for child in running)), GRACE_SECONDS)
    for child in running:
        signal_group(child, signal.SIGKILL)


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
        self._typed: list[bytes] | None = []
        """What the client sent before the app's terminal was open (keys typed as the
        session opened), for the app; None once it is open, or will never be."""
        self._child: Child | None = None

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
            self._drain()
            self._close_master()
            self._leave()
        if _stopping:
            self._write(STOPPING)
        with contextlib.suppress(OSError, asyncssh.Error):
            chan.exit(code if code >= 0 else 1)

    async def _run_app(self) -> int:
        master, slave = pty.openpty()
        set_size(slave, *self._size)
        request = self._launch.request(self._username, self._peer)
        try:
            child = await start_child(self._launch.command, self._launch.warm, request, slave)
        except (OSError, subprocess.SubprocessError) as error:
            os.close(master)
            self._write(f"{NOT_STARTED} ({error})\r\n")
            return 1
        finally:
            os.close(slave)
        self._child = child
        self._master = master
        for data in self._typed or ():
            os.write(master, data)
        self._typed = None
        asyncio.get_running_loop().add_reader(master, self._from_app)
        _running.add(child)
        try:
            return await child.wait()
        finally:
            _running.discard(child)

    def _refuse(self, message: str) -> None:
        self._write(message)
        with contextlib.suppress(OSError, asyncssh.Error):
            assert self._chan is not None
            self._chan.exit(1)

    def _write(self, message: str) -> None:
        with contextlib.suppress(OSError, asyncssh.Error):
            assert self._chan is not None
            self._chan.write(message.encode())

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

    def _drain(self) -> None:
        """Pass on what the app wrote before it ended (giving the terminal back) that
        has not been read yet."""
        while self._master >= 0 and select.select([self._master], [], [], 0)[0]:
            self._from_app()  # closes it at its end

    def _close_master(self) -> None:
        self._typed = None
        if self._master >= 0:
            asyncio.get_running_loop().remove_reader(self._master)
            os.close(self._master)
            self._master = -1

    def data_received(self, data: bytes, datatype: object) -> None:
        if self._master >= 0:
            os.write(self._master, data)
        elif self._typed is not None:
            self._typed.append(data)

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
        child = self._child
        if child is None or child.returncode is not None:
            return
        signal_group(child, signal.SIGHUP)
        asyncio.get_running_loop().call_later(GRACE_SECONDS, signal_group, child, signal.SIGKILL)


def child_command(database_url: str) -> list[str]:
    return [sys.executable, "-m", "hiw_tui", "--database", database_url]
