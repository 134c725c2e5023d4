"""The embedded server's warm process end to end: a real server, asyncssh clients."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

import asyncssh
import pytest

from hiw_tui.db.core.engine import Database
from hiw_tui.settings import Settings
from hiw_tui.ssh import merging
from hiw_tui.ssh.request import Request
from hiw_tui.ssh.server import start_server
from tests.helpers.processes import alive, children, command_line, exists, warm_processes
from tests.helpers.ssh_server import Server

DOWN = b"\x1b[B"
ENTER = b"\r"
FIRST_ROW = b"WIR-"
"""What the supervisor's list shows: Wirral's households."""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    running = Server(tmp_path_factory.mktemp("ssh-warm"), sessions_per_user=2)
    yield running
    running.stop()


class Screen(asyncssh.SSHClientSession[bytes]):
    """Everything the session's app has written."""

    def __init__(self) -> None:
        self.seen = b""
        self.arrived = asyncio.Event()

    def data_received(self, data: bytes, datatype: object) -> None:  # type: ignore[override]
        self.seen += data
        self.arrived.set()

    async def wait_for(self, text: bytes, timeout: float = 40) -> None:
        try:
            async with asyncio.timeout(timeout):
                while text not in self.seen:
                    self.arrived.clear()
                    await self.arrived.wait()
        except TimeoutError:
            raise AssertionError(f"{text!r} not shown; shown: {self.seen[-400:]!r}") from None


class Session:
    def __init__(
        self,
        connection: asyncssh.SSHClientConnection,
        channel: asyncssh.SSHClientChannel[bytes],
        screen: Screen,
    ) -> None:
        self.connection, self.channel, self.screen = connection, channel, screen

    @classmethod
    async def open(cls, server: Server) -> Session:
        """A session as the supervisor, once the first row of the list is on screen."""
        connection = await asyncssh.connect(
            "127.0.0.1",
            server.port,
            username="supervisor.wirral",
            client_keys=[asyncssh.read_private_key(server.key)],
            known_hosts=None,
            compression_algs=["zlib@openssh.com"],
        )
        channel, screen = await connection.create_session(
            Screen, term_type="xterm-256color", term_size=(80, 24), encoding=None
        )
        await screen.wait_for(FIRST_ROW)
        return cls(connection, channel, screen)

    async def opens_a_household(self) -> None:
        """Down, then Enter: the household's record (it answers keys)."""
        self.channel.write(DOWN)
        await asyncio.sleep(0.3)
        self.channel.write(ENTER)
        await self.screen.wait_for(b"Referred by")

    async def close(self) -> None:
        self.connection.close()
        await self.connection.wait_closed()


async def until(condition: Callable[[], bool], timeout: float = 20) -> bool:
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.1)
    return True


def the_warm_process(server: Server) -> int:
    found = warm_processes(server.process.pid)
    assert len(found) == 1, found
    return found[0]


def listening(path: str) -> bool:
    """Whether a process listens on the Unix socket at `path`."""
    lines = Path("/proc/net/unix").read_text(encoding="utf-8").splitlines()[1:]
    return any(line.split()[-1] == path and line.split()[3] == "00010000" for line in lines)


def socket_of(warm: int) -> str:
    return command_line(warm)[-1]


async def test_a_session_forked_warm_signs_in_answers_keys_and_ends_with_the_link(
    server: Server,
) -> None:
    warm = the_warm_process(server)
    session = await Session.open(server)
    try:
        (child,) = children(warm)
        assert os.getsid(child) == child  # a session of its own, as a cold start
        await session.screen.wait_for(b"Wirral Supervisor")  # the header may follow the rows
        assert b"LIV-" not in session.screen.seen
        await session.opens_a_household()
    finally:
        await session.close()
    assert await until(lambda: children(warm) == [])  # ended, and reaped: no zombie
    assert alive(warm) and the_warm_process(server) == warm


async def test_a_session_works_after_anothers_app_was_killed(server: Server) -> None:
    warm = the_warm_process(server)
    first = await Session.open(server)
    try:
        (child,) = children(warm)
        os.kill(child, signal.SIGKILL)
        await asyncio.wait_for(first.channel.wait_closed(), 20)
        assert first.channel.get_exit_status() == 1  # killed: it said no code
        second = await Session.open(server)
        try:
            await second.opens_a_household()
        finally:
            await second.close()
    finally:
        await first.close()
    assert await until(lambda: children(warm) == [])
    assert alive(warm)


async def test_a_warm_process_that_dies_is_started_again_and_sessions_go_on(
    server: Server,
) -> None:
    old = the_warm_process(server)
    running = await Session.open(server)
    try:
        os.kill(old, signal.SIGKILL)
        assert await until(lambda: warm_processes(server.process.pid) not in ([], [old]))
        new = the_warm_process(server)
        assert await until(lambda: listening(socket_of(new)), 60)
        await running.opens_a_household()  # the running session does not depend on it
        later = await Session.open(server)
        try:
            assert len(children(new)) == 1  # forked by the new warm process
            await later.opens_a_household()
        finally:
            await later.close()
    finally:
        await running.close()
    assert not exists(old)  # reaped by the server
    assert await until(lambda: children(new) == [])


async def test_the_warm_process_holds_no_database_and_forks_for_the_server_only(
    server: Server,
) -> None:
    warm = the_warm_process(server)
    session = await Session.open(server)  # a session has opened the database since
    await session.close()
    assert await until(lambda: children(warm) == [])
    path = socket_of(warm)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(Path(path).parent).st_mode) == 0o700
    unix = {line.split()[6] for line in Path("/proc/net/unix").read_text().splitlines()[1:]}
    for fd in Path(f"/proc/{warm}/fd").iterdir():
        target = os.readlink(fd)
        assert "hiw.db" not in target
        if target.startswith("socket:"):  # no socket but Unix ones: none to PostgreSQL
            assert target.removeprefix("socket:[").rstrip("]") in unix
    # Another process (this one, of the same user) is not the server: nothing is forked.
    import pty

    master, slave = pty.openpty()
    with socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET) as stranger:
        stranger.settimeout(10)
        stranger.connect(path)
        try:
            socket.send_fds(stranger, [Request("manager", dict(os.environ)).encode()], [slave])
            answer = stranger.recv(64)
        except (BrokenPipeError, ConnectionResetError):  # closed, the request unread
            answer = b""
        assert answer == b""
    os.close(master)
    os.close(slave)
    await asyncio.sleep(0.5)
    assert children(warm) == []


def heap_flags(pid: int) -> list[str]:
    """The VmFlags of process `pid`'s heap ("mg": mergeable)."""
    for block in re.split(r"\n(?=[0-9a-f]+-)", Path(f"/proc/{pid}/smaps").read_text()):
        lines = block.splitlines()
        if lines[0].endswith("[heap]"):
            return next(line for line in lines if line.startswith("VmFlags:")).split()[1:]
    raise AssertionError(f"no heap in process {pid}")


@pytest.mark.skipif(
    not merging.KSM.is_dir(), reason="this kernel has no samepage merging to offer pages to"
)
async def test_the_warm_process_and_its_sessions_offer_their_pages_for_merging(
    server: Server,
) -> None:
    warm = the_warm_process(server)
    assert "mg" in heap_flags(warm)
    session = await Session.open(server)
    try:
        [app] = children(warm)
        assert "mg" in heap_flags(app)
    finally:
        await session.close()


async def test_stopping_the_server_ends_the_warm_process_and_every_session(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    server = Server(tmp_path_factory.mktemp("ssh-warm-stop"), sessions_per_user=2)
    sessions = []
    try:
        warm = the_warm_process(server)
        assert await until(lambda: listening(socket_of(warm)), 60)
        sessions = [await Session.open(server), await Session.open(server)]
        apps = children(warm)
        assert len(apps) == 2
        folder = Path(socket_of(warm)).parent
        await asyncio.to_thread(server.stop)
        assert not exists(warm) and not any(alive(app) for app in apps)
        assert not folder.exists()
    finally:
        for session in sessions:
            await session.close()
        if server.process.poll() is None:
            server.stop()


async def test_a_server_closed_without_stopping_ends_its_warm_process_too(
    sqlite_database: Database, tmp_path: Path
) -> None:
    """A server closed by its caller (as an embedding program or a test would) leaves no
    warm process behind."""
    settings = Settings(ssh_host_key=tmp_path / "host_key")
    server = await start_server(sqlite_database, settings, host="127.0.0.1", port=0, colors="16")
    (warm,) = warm_processes(os.getpid())
    server.close()
    assert await until(lambda: not alive(warm))
