"""A live SSH session of a user who is deactivated meanwhile ends, saying why, and the
user's key opens no new one."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import asyncssh

from hiw_tui.db.access.keys import add_key
from hiw_tui.db.access.leavers import deactivate_user
from hiw_tui.db.core.engine import Database
from hiw_tui.settings import Settings
from hiw_tui.ssh.server import COMPRESSION, start_server
from tests.helpers.staff import add_staff

ENDED = "Your account was deactivated, so this session has ended"


async def _until(process: asyncssh.SSHClientProcess[str], text: str, timeout: float) -> str:
    """What the session writes until `text` (without the screen's escape codes between
    its words, as a terminal shows it) or its end; fails after `timeout` seconds."""
    written = ""
    deadline = time.monotonic() + timeout
    while text not in _plain(written):
        left = deadline - time.monotonic()
        assert left > 0, f"{text!r} never came; the session wrote {_plain(written)[-400:]!r}"
        chunk = await asyncio.wait_for(process.stdout.read(65536), left)
        if not chunk:
            break
        written += chunk
    return _plain(written)


def _plain(written: str) -> str:
    """The text of what an app wrote to its terminal, escape sequences left out."""
    import re

    return re.sub(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|.)", "", written)


async def test_a_live_session_of_a_user_deactivated_meanwhile_ends(
    sqlite_database: Database, tmp_path: Path
) -> None:
    database = sqlite_database
    staff = add_staff(database)
    key = asyncssh.generate_private_key("ssh-ed25519")
    database.write(add_key, username="ada.adv", text=key.export_public_key("openssh").decode())
    settings = Settings(ssh_host_key=tmp_path / "host_key")
    server = await start_server(database, settings, host="127.0.0.1", port=0, colors="16")
    port = server.sockets[0].getsockname()[1]

    async def connect() -> asyncssh.SSHClientConnection:
        return await asyncssh.connect(
            "127.0.0.1",
            port,
            username="ada.adv",
            client_keys=[key],
            known_hosts=None,
            compression_algs=COMPRESSION,
        )

    connection = await connect()
    try:
        process = await connection.create_process(term_type="xterm", term_size=(80, 24))
        await _until(process, "Ada Adv (Advocate, Liverpool)", timeout=40)
        database.write(deactivate_user, actor=staff.liverpool_supervisor, username="ada.adv")
        shown = await _until(process, ENDED, timeout=40)  # idle: the session's own check
        assert ENDED in shown
        await asyncio.wait_for(process.wait(), 20)  # the channel closes with the app
        try:
            await connect()
        except asyncssh.PermissionDenied:
            pass
        else:
            raise AssertionError("a deactivated user's key opened a connection")
    finally:
        connection.close()
        server.close()
