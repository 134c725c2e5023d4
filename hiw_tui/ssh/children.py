"""The sessions' apps as the server sees them: each forked by the warm process, or, when
that cannot be reached, started cold as a new process; signalled and waited for alike.

- **Warm** (`WarmProcess`): the server's one warm process (see `hiw_tui.ssh.warm`),
  started with the server, started again when it dies (sessions already running do
  not depend on it), and ended with the server (however it is stopped).
- **Cold** (`start_cold`): `hiw-tui ssh-session USER` in a new process, importing
  everything first (about 0.8 s); the bare app of the benchmarks always starts so.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import shutil
import signal
import socket
import tempfile
import termios
from collections.abc import Awaitable
from pathlib import Path
from typing import Protocol

from hiw_tui.ssh.request import EXIT, PID, Request, read_reply

READY_SECONDS = 10.0
"""How long a session waits for a warm process that is still loading before it starts
cold."""
STOP_SECONDS = 5.0
WARM_MALLOC = {"MALLOC_ARENA_MAX": "2"}
"""The C allocator's settings for the warm process, which its sessions inherit (glibc
reads them when a process starts, so a session keeps them though its environment is
replaced). Each thread of a session (Textual's, and those querying the database)
would otherwise take an arena of its own, with pages of its own; with two arenas in
all each session has 0.4 MiB less memory of its own, and as its threads run Python
one at a time they seldom wait for the shared arena."""


class Child(Protocol):
    """A session's app: its process (and process group) id, and its end."""

    @property
    def pid(self) -> int: ...

    @property
    def returncode(self) -> int | None: ...

    async def wait(self) -> int: ...


class WarmChild:
    """A session forked by the warm process: it ends when it says its exit code, or
    when its connection ends without one (killed, crashed: exit status 1)."""

    def __init__(self, pid: int, connection: socket.socket) -> None:
        self.pid = pid
        self.returncode: int | None = None
        self._ended = asyncio.get_running_loop().create_task(self._watch(connection))

    async def _watch(self, connection: socket.socket) -> int:
        with connection:
            try:
                said = await asyncio.get_running_loop().sock_recv(connection, 64)
                code = read_reply(said, EXIT)
            except (OSError, ValueError):
                code = 1
        self.returncode = code
        return code

    async def wait(self) -> int:
        return await asyncio.shield(self._ended)


async def _fork(path: Path, terminal: int, request: Request) -> WarmChild | None:
    """Ask the warm process at `path` for a session on `terminal`; None if it cannot.

    Once the request is sent, its child's process id is waited for however long it
    takes (a hundred sessions opening at once on two cores take many seconds): the
    child may already have the terminal, so a session started cold on it would fail.
    The connection ends without an id only if nothing was forked, or the child died."""
    loop = asyncio.get_running_loop()
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    connection.setblocking(False)
    try:
        await loop.sock_connect(connection, str(path))
        socket.send_fds(connection, [request.encode()], [terminal])
        said = await loop.sock_recv(connection, 64)
        return WarmChild(read_reply(said, PID), connection)
    except (OSError, ValueError):
        connection.close()
        return None


_warm: set[WarmProcess] = set()
"""Every warm process of this server, for `stop_warm` when the server stops."""


class WarmProcess:
    """The server's warm process, in a session of its own (a Ctrl+C at the server's
    terminal is the server's to handle), its socket in a folder only this user opens."""

    def __init__(self, command: list[str], environment: dict[str, str]) -> None:
        self._command = command
        self._environment = environment
        self._folder = Path(tempfile.mkdtemp(prefix="hiw-ssh-"))  # mode 700
        self.socket = self._folder / "warm"
        self.process: asyncio.subprocess.Process | None = None
        self._ready = asyncio.Event()
        self._starting = asyncio.Lock()
        self._stopping = False
        self._watcher: asyncio.Task[None] | None = None
        self._ending: asyncio.Task[None] | None = None
        _warm.add(self)

    async def start(self) -> None:
        """Start it (again) unless it is running; it is ready once it says so."""
        async with self._starting:
            if self._stopping or (self.process is not None and self.process.returncode is None):
                return
            self.socket.unlink(missing_ok=True)
            ready = self._ready = asyncio.Event()
            self.process = await asyncio.create_subprocess_exec(
                *self._command,
                "ssh-warm",
                str(self.socket),
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                env={**self._environment, **WARM_MALLOC},
                start_new_session=True,
            )
            self._watcher = asyncio.get_running_loop().create_task(self._watch(self.process, ready))

    async def _watch(self, process: asyncio.subprocess.Process, ready: asyncio.Event) -> None:
        """Mark it ready when it says so; when it dies, start another, unless it never
        got ready (then the next session tries, and starts cold if it cannot)."""
        assert process.stdout is not None
        if (await process.stdout.readline()).strip() == b"ready":
            ready.set()
        await process.wait()
        if ready.is_set() and not self._stopping:
            await self.start()

    async def child(self, terminal: int, request: Request) -> WarmChild | None:
        """A session forked for `request` on `terminal`; None when the warm process
        cannot be reached (the session is then started cold)."""
        await self.start()
        if not await self.wait_ready():
            return None
        return await _fork(self.socket, terminal, request)

    async def wait_ready(self) -> bool:
        """Whether it is ready, or gets ready within `READY_SECONDS` without dying."""
        ready, process = self._ready, self.process
        if ready.is_set() or process is None:
            return ready.is_set()
        waits = {asyncio.ensure_future(ready.wait()), asyncio.ensure_future(process.wait())}
        _, pending = await asyncio.wait(
            waits, timeout=READY_SECONDS, return_when=asyncio.FIRST_COMPLETED
        )
        for wait in pending:
            wait.cancel()
        return ready.is_set()

    def end_with(self, closed: Awaitable[None]) -> None:
        """Tell it to end once `closed` is done (the server stopped), or given up."""

        async def ending() -> None:
            try:
                await closed
            finally:
                await self.stop()

        self._ending = asyncio.get_running_loop().create_task(ending())

    def close(self) -> None:
        """Tell it to end (its stdin closes), and remove its folder; start no other."""
        self._stopping = True
        _warm.discard(self)
        if self.process is not None and self.process.stdin is not None:
            self.process.stdin.close()
        shutil.rmtree(self._folder, ignore_errors=True)

    async def stop(self) -> None:
        """End it, with a kill if it has not gone within `STOP_SECONDS`."""
        async with self._starting:  # none is being started
            self.close()
        process = self.process
        if process is not None and process.returncode is None:
            try:
                await asyncio.wait_for(process.wait(), STOP_SECONDS)
            except TimeoutError:
                process.kill()
                await process.wait()


def _controlling_tty() -> None:  # runs in the child between fork and exec
    """Make the PTY the child's terminal, and let a hang-up end it: a server started
    under `nohup` ignores SIGHUP, and an ignored signal stays ignored across exec."""
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)
    signal.signal(signal.SIGHUP, signal.SIG_DFL)


async def start_cold(command: list[str], request: Request, terminal: int) -> Child:
    """`command ssh-session USER` in a new process on `terminal`."""
    return await asyncio.create_subprocess_exec(
        *command,
        "ssh-session",
        request.username,
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        env=request.environment,
        start_new_session=True,
        preexec_fn=_controlling_tty,
    )


async def start_child(
    command: list[str], warm: WarmProcess | None, request: Request, terminal: int
) -> Child:
    """The session's app on `terminal`: forked warm if it can be, else cold."""
    if warm is not None:
        child = await warm.child(terminal, request)
        if child is not None:
            return child
    return await start_cold(command, request, terminal)


async def stop_warm() -> None:
    for warm in list(_warm):
        await warm.stop()


def signal_group(child: Child, number: int) -> None:
    """Signal the child's process group, unless it has ended."""
    if child.returncode is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.pid, number)
