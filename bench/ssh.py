"""Through the embedded SSH server: bytes on the compressed wire, and 40 sessions at once.

The server runs in its own process (bench/ssh_server.py), its sessions running hiw-tui
(forked by the server's warm process, as `hiw-tui serve-ssh` runs them) or the bare
Textual app (each a new process): the bytes are the same either way, and a key's echo
is the running app's. Clients are asyncssh ones in this process, offering only
zlib@openssh.com compression as the server asks. bench/ssh_warm.py compares hiw-tui's
sessions forked warm with sessions started cold.

- **Wire bytes**: one session through a proxy here that counts what the server sends,
  SSH framing, encryption and compression included, for the interactions that
  bench/terminal.py counts at the terminal (a cursor move: the median of
  `CURSOR_MOVES`).
- **Key to echo**: `SESSIONS` sessions open at once; each presses Down or Up every
  `PACE` seconds (a person moving through a list), its start staggered, and the time
  from a key leaving the client to the first bytes of the answer arriving is kept.
"""

from __future__ import annotations

import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeAlias

import asyncssh
from terminal import DOWN, ENTER, ESCAPE, PAGE_DOWN, medians, pair

from hiw_tui.settings import Settings

HERE = Path(__file__).parent
UP = b"\x1b[A"
SESSIONS = 40
PACE = 1.0
KEYS_PER_SESSION = 30
CURSOR_MOVES = 5
"""Cursor moves counted on the wire, down and up in turn: the median is kept."""
MARKERS = {False: b"HAL-00001", True: b"R00000"}
"""What the first row of each app's list shows (keyed by `bare`)."""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Keys:
    """A client key that the app user `manager` may sign in with."""

    private: asyncssh.SSHKey

    @classmethod
    def for_manager(cls, url: str, folder: Path) -> Keys:
        key = asyncssh.generate_private_key("ssh-ed25519")
        public = folder / "bench.pub"
        key.write_public_key(str(public))
        subprocess.run(
            [
                sys.executable,
                "-m",
                "hiw_tui",
                "user",
                "add-key",
                "manager",
                str(public),
                "--database",
                url,
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        return cls(key)


@dataclass(frozen=True)
class Running:
    """A benchmark's SSH server: its port and process id."""

    port: int
    pid: int


@asynccontextmanager
async def server(
    url: str,
    folder: Path,
    *,
    bare: bool,
    colors: str,
    cold: bool = False,
    sessions: int = SESSIONS,
) -> AsyncIterator[Running]:
    """The SSH server in its own process, taking `sessions` at once; hiw-tui's sessions
    forked warm unless `cold`. Stopped (every session ended) at the end."""
    port = _free_port()
    environment = {
        **os.environ,
        "XDG_DATA_HOME": str(folder),
        "HIW_AUDIT_KEY_FILE": str(Settings().audit_key_file),  # the database's audit key
        "HIW_SSH_SESSIONS_PER_USER": str(sessions + 5),
    }
    command = [sys.executable, str(HERE / "ssh_server.py"), url, str(port), "--colors", colors]
    flags = ["--bare"] if bare else ["--cold"] if cold else []
    process = await asyncio.create_subprocess_exec(
        *command, *flags, env=environment, stdout=asyncio.subprocess.PIPE
    )
    try:
        assert process.stdout is not None
        await asyncio.wait_for(process.stdout.readline(), 60)
        yield Running(port, process.pid)
    finally:
        process.terminate()
        await process.wait()


class Screen(asyncssh.SSHClientSession[bytes]):
    """What the session's app has written, and when it last wrote."""

    def __init__(self) -> None:
        self.seen = b""
        self.arrived = asyncio.Event()
        self.last = time.perf_counter()
        self.closed = False

    def data_received(self, data: bytes, datatype: object) -> None:  # type: ignore[override]
        self.seen += data
        self.last = time.perf_counter()
        self.arrived.set()

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self.arrived.set()

    async def wait_for(self, marker: bytes, timeout: float = 120) -> None:
        """Until `marker` is on screen; ConnectionError if the session ends first."""
        deadline = time.perf_counter() + timeout
        while marker not in self.seen:
            if self.closed:
                raise ConnectionError(f"session ended: {self.seen[-300:]!r}")
            self.arrived.clear()
            await asyncio.wait_for(self.arrived.wait(), max(0.01, deadline - time.perf_counter()))

    async def settle(self, quiet: float = 0.6) -> None:
        """Until nothing has arrived for `quiet` seconds from now or the last arrival."""
        since = time.perf_counter()
        while time.perf_counter() - max(self.last, since) < quiet:
            await asyncio.sleep(0.02)


async def open_session(
    port: int, keys: Keys, size: tuple[int, int]
) -> tuple[asyncssh.SSHClientConnection, asyncssh.SSHClientChannel[bytes], Screen]:
    connection = await asyncssh.connect(
        "127.0.0.1",
        port,
        username="manager",
        client_keys=[keys.private],
        known_hosts=None,
        compression_algs=["zlib@openssh.com"],
    )
    channel, screen = await connection.create_session(
        Screen, term_type="xterm-256color", term_size=size, encoding=None
    )
    return connection, channel, screen


class Counter:
    """A TCP proxy to the server that counts the bytes the server sends."""

    def __init__(self, target: int) -> None:
        self.target = target
        self.received = 0

    async def _pipe(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, *, count: bool
    ) -> None:
        while data := await reader.read(65536):
            if count:
                self.received += len(data)
            writer.write(data)
            await writer.drain()
        writer.close()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        upstream_reader, upstream_writer = await asyncio.open_connection("127.0.0.1", self.target)
        await asyncio.gather(
            self._pipe(reader, upstream_writer, count=False),
            self._pipe(upstream_reader, writer, count=True),
        )

    async def start(self) -> int:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        return int(self._server.sockets[0].getsockname()[1])


@dataclass(frozen=True)
class Wire:
    first_paint: int
    cursor_move: int
    page_down: int
    open_and_back: int | None


async def wire(port: int, keys: Keys, size: tuple[int, int], *, bare: bool) -> Wire:
    """Bytes the server sends for each interaction of one session."""
    counter = Counter(port)
    connection, channel, screen = await open_session(await counter.start(), keys, size)
    try:
        counter.received = 0  # the key exchange and sign-in are not the app's
        await screen.wait_for(MARKERS[bare])
        await screen.settle()
        measured = [counter.received]

        async def sent(keys_sent: bytes) -> int:
            before = counter.received
            channel.write(keys_sent)
            await screen.settle()
            return counter.received - before

        # A move's answer now and then goes out in two packets (a frame of its own for
        # part of it, on a busy machine), so the median of several moves is kept.
        moves = [await sent(DOWN if n % 2 == 0 else UP) for n in range(CURSOR_MOVES)]
        measured += [round(statistics.median(moves)), await sent(PAGE_DOWN)]
        opened = None
        if not bare:
            before = counter.received
            channel.write(ENTER)
            await screen.wait_for(b"Referred by")
            await screen.settle()
            channel.write(ESCAPE)
            await screen.settle(1.0)
            opened = counter.received - before
        return Wire(*measured, opened)
    finally:
        connection.close()


Opened: TypeAlias = tuple[asyncssh.SSHClientConnection, asyncssh.SSHClientChannel[bytes], Screen]


async def open_many(
    port: int, keys: Keys, count: int, *, bare: bool, every: float = 0.0
) -> tuple[list[Opened], int]:
    """`count` sessions opened one every `every` seconds (at once by default), each with
    its first row on screen; and how many could not open (refused, or failed)."""

    async def opening(n: int) -> Opened:
        await asyncio.sleep(n * every)
        return await open_session(port, keys, (80, 24))

    tried = await asyncio.gather(*(opening(n) for n in range(count)), return_exceptions=True)
    opened = [one for one in tried if not isinstance(one, BaseException)]
    shown = await asyncio.gather(
        *(screen.wait_for(MARKERS[bare], 600) for _, _, screen in opened), return_exceptions=True
    )
    for (connection, _, _), seen in zip(opened, shown, strict=True):
        if seen is not None:
            connection.close()
    kept = [one for one, seen in zip(opened, shown, strict=True) if seen is None]
    return kept, count - len(kept)


async def press_keys(opened: list[Opened]) -> list[float]:
    """Seconds from each key to the first bytes of its answer, over every session: each
    presses Down or Up every `PACE` seconds, its start staggered."""
    delays: list[float] = []

    async def press(channel: asyncssh.SSHClientChannel[bytes], screen: Screen, n: int) -> None:
        await asyncio.sleep(random.Random(n).uniform(0, PACE))
        for i in range(KEYS_PER_SESSION):
            screen.arrived.clear()
            started = time.perf_counter()
            channel.write(DOWN if i % 2 == 0 else UP)
            await asyncio.wait_for(screen.arrived.wait(), 30)
            delays.append(time.perf_counter() - started)
            await asyncio.sleep(max(0.0, PACE - (time.perf_counter() - started)))

    await asyncio.gather(*(press(c, s, n) for n, (_, c, s) in enumerate(opened)))
    return delays


async def key_to_echo(port: int, keys: Keys, *, bare: bool) -> list[float]:
    """Seconds from each key to the first bytes of its answer, over `SESSIONS` sessions."""
    opened, failed = await open_many(port, keys, SESSIONS, bare=bare)
    try:
        if failed:
            raise RuntimeError(f"{failed} of {SESSIONS} sessions did not open")
        await asyncio.sleep(2)  # every app settled
        return await press_keys(opened)
    finally:
        for connection, _, _ in opened:
            connection.close()


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


@dataclass
class Results:
    wire: list[tuple[tuple[int, int], str, Wire, Wire]]
    """(size, server colours, hiw-tui's medians, the bare app's medians)."""
    echo: dict[str, list[float]]
    """Key-to-echo delays in seconds, by app ("hiw-tui", "bare")."""


async def measure(url: str, runs: int, sizes: tuple[tuple[int, int], ...]) -> Results:
    """Wire bytes per size and server colour setting, and 40 sessions' key to echo."""
    results = Results([], {})
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        keys = Keys.for_manager(url, folder)
        for colors in ("16", "256"):
            async with (
                server(url, folder, bare=False, colors=colors) as ours,
                server(url, folder, bare=True, colors=colors) as bare,
            ):
                for size in sizes:
                    mine = [await wire(ours.port, keys, size, bare=False) for _ in range(runs)]
                    base = [await wire(bare.port, keys, size, bare=True) for _ in range(runs)]
                    results.wire.append((size, colors, medians(mine), medians(base)))
        for app, bare_app in (("hiw-tui", False), ("bare", True)):
            async with server(url, folder, bare=bare_app, colors="16") as running:
                results.echo[app] = await key_to_echo(running.port, keys, bare=bare_app)
    return results


def report(results: Results) -> str:
    lines = [
        "| size | server colours | first paint | cursor move | page down | open + back |",
        "|---|---|---|---|---|---|",
    ]
    for (columns, rows), colors, ours, bare in results.wire:
        cells = [
            pair(ours.first_paint, bare.first_paint),
            pair(ours.cursor_move, bare.cursor_move),
            pair(ours.page_down, bare.page_down),
            f"{ours.open_and_back:,}" if ours.open_and_back is not None else "",
        ]
        lines.append(f"| {columns}x{rows} | {colors} | " + " | ".join(cells) + " |")
    lines += [
        "",
        f"{SESSIONS} sessions, a key each every {PACE:g} s, key to first byte of the answer:",
        "",
        "| app | keys | median | 95th percentile | slowest |",
        "|---|---|---|---|---|",
    ]
    for app, delays in results.echo.items():
        lines.append(
            f"| {app} | {len(delays)} | {statistics.median(delays) * 1000:.1f} ms"
            f" | {p95(delays) * 1000:.1f} ms | {max(delays) * 1000:.1f} ms |"
        )
    return "\n".join(lines)
