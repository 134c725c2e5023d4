"""The SSH server's decisions, without a network: a key merely offered signs nobody in."""

from __future__ import annotations

from typing import Any

import asyncssh

from hiw_tui.db.access.keys import add_key
from hiw_tui.db.core.engine import Database
from hiw_tui.settings import Settings
from hiw_tui.ssh.server import Gate, HiwServer
from hiw_tui.ssh.session import Launch
from tests.helpers.staff import Staff


class Connection:
    """What the server asks of its connection: who is at the other end."""

    def __init__(self, username: str) -> None:
        self.extra = {"username": username, "peername": ("192.0.2.7", 50000)}

    def get_extra_info(self, name: str) -> Any:
        return self.extra.get(name)


async def test_a_key_offered_binds_nobody_until_authentication_completes(
    database: Database, staff: Staff
) -> None:
    key = asyncssh.generate_private_key("ssh-ed25519")
    database.write(add_key, username="ada.adv", text=key.export_public_key("openssh").decode())
    stranger = asyncssh.generate_private_key("ssh-ed25519")
    gate = Gate(database, Settings(ssh_sessions_per_user=1), Launch([], "256", {}))
    server = HiwServer(gate)
    server.connection_made(Connection("ada.adv"))  # type: ignore[arg-type]
    assert await server.validate_public_key("ada.adv", key) is True
    assert await server.validate_public_key("ben.adv", key) is False  # not Ben's key
    assert await server.validate_public_key("ada.adv", stranger) is False
    assert await server._admit() is False  # offered and accepted, but not yet proved
    server.auth_completed()
    assert await server._admit() is True
    assert await server._admit() is False  # the cap: one session each here
    server._leave()
    assert await server._admit() is True
    assert gate.cut_off("192.0.2.7") is False


class GoneChannel:
    """A channel whose client has disconnected: nothing more can be sent."""

    def write(self, data: bytes) -> None:
        raise BrokenPipeError("Channel not open for sending")


async def test_what_the_app_writes_after_the_client_went_is_dropped_quietly() -> None:
    """The app can still be drawing when the client disconnects; its last output is
    dropped and no more is read, rather than an error for every write."""
    import asyncio
    import os
    import pty

    from hiw_tui.ssh.session import AppSession

    async def admit() -> bool:
        return True

    session = AppSession("ada.adv", Launch([], "16", {}), "192.0.2.7", admit, lambda: None)
    session.connection_made(GoneChannel())  # type: ignore[arg-type]
    master, slave = pty.openpty()
    session._master = master
    asyncio.get_running_loop().add_reader(master, session._from_app)
    os.write(slave, b"a last frame")
    try:
        for _ in range(100):
            await asyncio.sleep(0.01)
            if session._master == -1:
                break
        assert session._master == -1  # no longer read
    finally:
        os.close(slave)
        if session._master >= 0:
            session._close_master()


class RecordingChannel:
    """A channel that keeps what is written to the client and the exit status."""

    def __init__(self) -> None:
        self.written = b""
        self.status: int | None = None

    def write(self, data: bytes) -> None:
        self.written += data

    def exit(self, status: int) -> None:
        self.status = status


async def test_an_app_that_cannot_start_ends_its_session_with_a_word() -> None:
    """The client is told and the session ends, rather than waiting on nothing."""
    from hiw_tui.ssh.session import AppSession

    async def admit() -> bool:
        return True

    launch = Launch(["/nonexistent/hiw-tui"], "16", {})
    session = AppSession("ada.adv", launch, "192.0.2.7", admit, lambda: None)
    channel = RecordingChannel()
    session.connection_made(channel)  # type: ignore[arg-type]
    session.pty_requested("xterm", (80, 24, 0, 0), None)
    await session._start()
    assert channel.status == 1
    assert b"could not be started" in channel.written
