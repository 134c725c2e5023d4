"""The embedded SSH server: public keys only, each session the app as the key's user.

- **Keys** are the app users' own (`hiw-tui user add-key`). A key offered for a name is
  only checked; the session's user is bound in `auth_completed`, after the client has
  proved it holds the private key.
- **Refused**: passwords and keyboard-interactive, remote commands, sftp and scp, port,
  agent and X11 forwarding. Compression (`zlib@openssh.com`) is the only one offered,
  so a client that will not compress (`ssh` without `-C`) cannot connect.
- **Limits**: `ssh_sessions_per_user` sessions per user at once; an address with more
  than `ssh_failures_per_minute` refused keys in a minute is cut off. Every refused key
  and every sign-in is audited.
- **Dead links**: a client silent for `ssh_keepalive_seconds` is asked whether it is
  there; after `ssh_keepalive_count` unanswered asks the connection is closed, which
  ends its app and frees its session's slot.
- **Host key**: generated once at `ssh_host_key` (mode 600) and kept.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import os
import signal
import time
from collections import Counter, deque
from pathlib import Path
from typing import Any

import asyncssh

from hiw_tui.db.access.keys import user_for_key
from hiw_tui.db.audit import trail
from hiw_tui.db.core.engine import Database
from hiw_tui.db.core.models import UserPublic
from hiw_tui.settings import Settings
from hiw_tui.ssh import merging
from hiw_tui.ssh.children import WarmProcess
from hiw_tui.ssh.session import AppSession, Launch, child_command, end_all

COMPRESSION = ["zlib@openssh.com"]
_ENVIRONMENT = ("PATH", "HOME", "LANG", "LC_ALL", "XDG_DATA_HOME", "VIRTUAL_ENV")


def host_key(path: Path) -> asyncssh.SSHKey:
    """The server's host key, generated at `path` the first time."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        key = asyncssh.generate_private_key("ssh-ed25519")
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(key.export_private_key())
    return asyncssh.read_private_key(path)


class Gate:
    """What all connections share: sessions open per user, refusals per address."""

    def __init__(self, database: Database, settings: Settings, launch: Launch) -> None:
        self.database = database
        self.settings = settings
        self.launch = launch
        self.sessions: Counter[str] = Counter()
        self._refusals: dict[str, deque[float]] = {}

    def refused(self, address: str) -> None:
        self._refusals.setdefault(address, deque()).append(time.monotonic())

    def cut_off(self, address: str) -> bool:
        recent = self._refusals.get(address, deque())
        while recent and recent[0] < time.monotonic() - 60:
            recent.popleft()
        return len(recent) >= self.settings.ssh_failures_per_minute

    async def db(self, fn: Any, /, **kwargs: Any) -> Any:
        return await asyncio.to_thread(self.database.write, fn, **kwargs)


def _audit_refusal(session: Any, *, username: str, user: UserPublic | None, address: str) -> None:
    trail.record(
        session,
        actor=user,
        action="ssh_refused",
        entity="user",
        entity_id=user.id if user else 0,
        changes={"from": [None, address]} | ({} if user else {"name tried": [None, username]}),
    )


class HiwServer(asyncssh.SSHServer):
    def __init__(self, gate: Gate) -> None:
        self._gate = gate
        self._conn: asyncssh.SSHServerConnection | None = None
        self._address = "?"
        self._user: UserPublic | None = None
        self._bound: asyncio.Task[None] | None = None

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        self._conn = conn
        peer = conn.get_extra_info("peername")
        self._address = str(peer[0]) if peer else "?"

    def begin_auth(self, username: str) -> bool:
        if self._gate.cut_off(self._address) and self._conn is not None:
            self._conn.disconnect(
                asyncssh.DISC_NO_MORE_AUTH_METHODS_AVAILABLE,
                "Too many refused keys from this address; try again in a minute.",
            )
        return True

    def public_key_auth_supported(self) -> bool:
        return True

    def password_auth_supported(self) -> bool:
        return False

    def kbdint_auth_supported(self) -> bool:
        return False

    async def validate_public_key(self, username: str, key: asyncssh.SSHKey) -> bool:
        """Whether `key` is one of `username`'s: a check only; nobody is signed in yet."""
        user = await asyncio.to_thread(
            self._gate.database.read, user_for_key, username=username, key=key
        )
        if user is not None:
            return True
        self._gate.refused(self._address)
        known = await asyncio.to_thread(self._gate.database.read, _known_user, username=username)
        await self._gate.db(_audit_refusal, username=username, user=known, address=self._address)
        return False

    def auth_completed(self) -> None:
        """The client proved it holds a key of the name it gave: bind the user now."""
        assert self._conn is not None
        username = self._conn.get_extra_info("username")
        self._bound = asyncio.get_running_loop().create_task(self._bind(username))

    async def _bind(self, username: str) -> None:
        user = await asyncio.to_thread(self._gate.database.read, _known_user, username=username)
        if user is None or not user.active:
            assert self._conn is not None
            self._conn.close()
            return
        self._user = user

    def session_requested(self) -> AppSession | bool:
        assert self._conn is not None
        peer = self._conn.get_extra_info("peername") or ("?", 0)
        local = self._conn.get_extra_info("sockname") or ("?", 0)
        return AppSession(
            str(self._conn.get_extra_info("username")),
            self._gate.launch,
            f"{peer[0]} {peer[1]} {local[0]} {local[1]}",
            self._admit,
            self._leave,
        )

    async def _admit(self) -> bool:
        """Whether the bound user may open one more session (and count it if so)."""
        if self._bound is not None:
            await self._bound
        if self._user is None:
            return False
        if self._gate.sessions[self._user.username] >= self._gate.settings.ssh_sessions_per_user:
            return False
        self._gate.sessions[self._user.username] += 1
        return True

    def _leave(self) -> None:
        if self._user is not None:
            self._gate.sessions[self._user.username] -= 1

    def server_requested(self, listen_host: str, listen_port: int) -> bool:
        return False

    def connection_requested(
        self, dest_host: str, dest_port: int, orig_host: str, orig_port: int
    ) -> bool:
        return False


def _known_user(session: Any, *, username: str) -> UserPublic | None:
    from hiw_tui.db.access.users import get_user
    from hiw_tui.db.core.errors import NotFound

    try:
        return get_user(session, username=username)
    except NotFound:
        return None


async def start_server(
    database: Database,
    settings: Settings,
    *,
    host: str,
    port: int,
    colors: str,
    command: list[str] | None = None,
    warm: bool | None = None,
) -> asyncssh.SSHAcceptor:
    """Listen for sessions, each running `command` (the app on `database` unless given:
    the benchmarks run a bare Textual app through the same server), forked by a warm
    process when `warm` (by default, for the app) or else started cold."""
    environment = {name: os.environ[name] for name in _ENVIRONMENT if name in os.environ}
    environment |= {name: value for name, value in os.environ.items() if name.startswith("HIW_")}
    launch = Launch(command or child_command(database.url), colors, environment)
    if command is None if warm is None else warm:
        process = WarmProcess(launch.command, launch.terminal_environment())
        launch = dataclasses.replace(launch, warm=process)
        await process.start()
        await process.wait_ready()  # listen once sessions can be forked (or it timed out)
    gate = Gate(database, settings, launch)
    try:
        acceptor = await _listen(gate, host, port)
    except BaseException:
        if launch.warm is not None:
            launch.warm.close()
        raise
    if launch.warm is not None:
        launch.warm.end_with(acceptor.wait_closed())
    return acceptor


async def _listen(gate: Gate, host: str, port: int) -> asyncssh.SSHAcceptor:
    settings = gate.settings
    return await asyncssh.create_server(
        lambda: HiwServer(gate),
        host,
        port,
        server_host_keys=[host_key(settings.ssh_host_key)],
        compression_algs=COMPRESSION,
        encoding=None,
        line_editor=False,
        allow_scp=False,
        sftp_factory=None,
        agent_forwarding=False,
        x11_forwarding=False,
        allow_pty=True,
        keepalive_interval=settings.ssh_keepalive_seconds,
        keepalive_count_max=settings.ssh_keepalive_count,
    )


async def serve_until_stopped(server: asyncssh.SSHAcceptor) -> None:
    """Serve until SIGTERM or SIGINT, then stop listening and end the warm process and
    every session's app: a stopped server leaves nothing running."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for number in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(number, stop.set)
    await stop.wait()
    server.close()
    await end_all()


def serve(database: Database, settings: Settings, *, host: str, port: int, colors: str) -> int:
    async def run() -> None:
        server = await start_server(database, settings, host=host, port=port, colors=colors)
        bound = server.sockets[0].getsockname()
        print(f"hiw-tui SSH server on {bound[0]}:{bound[1]}", flush=True)
        advice = merging.advice()
        if advice:
            print(advice, flush=True)
        await serve_until_stopped(server)

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run())
    return 0
