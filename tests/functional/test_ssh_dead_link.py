"""A client whose link goes dead without a word (a laptop closed, a cable pulled) has
its session ended by the server's keepalives, and its slot freed."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import asyncssh

from hiw_tui.db.access.keys import add_key
from hiw_tui.db.access.users import add_user
from hiw_tui.db.core.engine import Database
from hiw_tui.domain.codes import UserRole
from hiw_tui.settings import Settings
from hiw_tui.ssh.server import start_server


class Proxy:
    """A TCP relay to the server that can go silent: it stops passing bytes either way
    but keeps both connections open, as a dead link does."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.flowing = asyncio.Event()
        self.flowing.set()
        self.writers: list[asyncio.StreamWriter] = []

    async def start(self) -> int:
        self.server = await asyncio.start_server(self._relay, "127.0.0.1", 0)
        return int(self.server.sockets[0].getsockname()[1])

    async def _relay(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        upstream_reader, upstream = await asyncio.open_connection("127.0.0.1", self.port)
        self.writers += [writer, upstream]
        await asyncio.gather(self._pump(reader, upstream), self._pump(upstream_reader, writer))

    async def _pump(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while data := await reader.read(65536):
            await self.flowing.wait()
            writer.write(data)
            await writer.drain()

    def close(self) -> None:
        for writer in self.writers:
            writer.close()
        self.server.close()


async def _session(port: int, key: asyncssh.SSHKey) -> tuple[asyncssh.SSHClientConnection, str]:
    """Open a session as Ada through `port`; what the app first writes."""
    connection = await asyncssh.connect(
        "127.0.0.1",
        port,
        username="ada.adv",
        client_keys=[key],
        known_hosts=None,
        compression_algs=["zlib@openssh.com"],
    )
    process = await connection.create_process(term_type="xterm")
    first = await asyncio.wait_for(process.stdout.read(200), 20)
    return connection, first


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


async def test_a_silently_dead_link_ends_its_session_and_frees_its_slot(
    sqlite_database: Database, tmp_path: Path
) -> None:
    database = sqlite_database
    database.write(
        add_user, username="ada.adv", display_name="Ada", role=UserRole.PROGRAMME_MANAGER
    )
    key = asyncssh.generate_private_key("ssh-ed25519")
    database.write(add_key, username="ada.adv", text=key.export_public_key("openssh").decode())
    settings = Settings(
        ssh_host_key=tmp_path / "host_key",
        ssh_sessions_per_user=1,
        ssh_keepalive_seconds=0.5,
        ssh_keepalive_count=2,
    )
    pids = tmp_path / "pids"
    app = f"import os, time; open({str(pids)!r}, 'a').write(f'{{os.getpid()}}\\n'); "
    app += "print('app running', flush=True); time.sleep(600)"
    server = await start_server(
        database,
        settings,
        host="127.0.0.1",
        port=0,
        colors="16",
        command=[sys.executable, "-c", app],
    )
    proxy = Proxy(server.sockets[0].getsockname()[1])
    through = await proxy.start()
    try:
        connection, first = await _session(through, key)
        assert "app running" in first
        [pid] = [int(line) for line in pids.read_text().split()]
        proxy.flowing.clear()  # the link goes dead: no FIN, no RST, nothing
        for _ in range(200):
            await asyncio.sleep(0.1)
            if not _alive(pid):
                break
        assert not _alive(pid), "the app of a dead link still runs"
        direct, again = await _session(server.sockets[0].getsockname()[1], key)
        assert "app running" in again  # the slot (one per user here) is free again
        direct.close()
        connection.abort()
    finally:
        proxy.close()
        server.close()
        for line in pids.read_text().split() if pids.exists() else []:
            if _alive(int(line)):
                os.kill(int(line), 9)
