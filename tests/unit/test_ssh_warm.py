"""The warm process's messages and its promise to hold no database, without a server."""

from __future__ import annotations

import asyncio
import importlib
import json
import os
import pty
import socket
import subprocess
import sys

import pytest

from hiw_tui.db.core.engine import Database
from hiw_tui.settings import LOW_BANDWIDTH_ENVIRONMENT
from hiw_tui.ssh.children import WarmChild, WarmProcess, start_child
from hiw_tui.ssh.request import EXIT, MAX_MESSAGE, PID, Request, read_reply, reply
from hiw_tui.ssh.warm import database_objects, textual_environment, use_environment


def test_a_request_arrives_as_it_was_sent() -> None:
    sent = Request("ada.adv", {"SSH_CONNECTION": "192.0.2.7 5 192.0.2.1 22", "TERM": "x"})
    assert Request.decode(sent.encode()) == sent


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\xff\xfe",
        b"not json",
        b"[]",
        json.dumps({"username": "ada.adv"}).encode(),
        json.dumps({"username": "", "environment": {}}).encode(),
        json.dumps({"username": 7, "environment": {}}).encode(),
        json.dumps({"username": "ada.adv", "environment": {"TERM": 1}}).encode(),
        json.dumps({"username": "ada.adv", "environment": {"A=B": "c"}}).encode(),
        json.dumps({"username": "ada.adv", "environment": [], "extra": 1}).encode(),
    ],
)
def test_anything_but_a_whole_request_is_refused(data: bytes) -> None:
    with pytest.raises(ValueError):
        Request.decode(data)


def test_a_request_too_long_to_read_whole_is_not_sent() -> None:
    with pytest.raises(ValueError):
        Request("ada.adv", {"HIW_X": "x" * MAX_MESSAGE}).encode()


def test_replies_are_read_only_as_the_kind_expected() -> None:
    assert read_reply(reply(PID, 4242), PID) == 4242
    assert read_reply(reply(EXIT, 2), EXIT) == 2
    for wrong in (b"", reply(EXIT, 0), b"pid", b"pid x", b"pid 1 2"):
        with pytest.raises(ValueError):
            read_reply(wrong, PID)


async def _ended(said: bytes | None) -> int:
    """What a warm session's end is read as, when its child said `said` (None: nothing)."""
    server, child = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    server.setblocking(False)
    session = WarmChild(4242, server)
    if said is not None:
        child.send(said)
    child.close()
    code = await asyncio.wait_for(session.wait(), 5)
    assert session.returncode == code
    return code


async def test_a_warm_session_ends_with_the_code_its_child_said() -> None:
    assert await _ended(reply(EXIT, 0)) == 0
    assert await _ended(reply(EXIT, 2)) == 2


async def test_a_warm_session_whose_child_said_nothing_ended_with_1() -> None:
    """Killed or crashed: the connection ends without a code."""
    assert await _ended(None) == 1
    assert await _ended(b"garbage") == 1


def test_a_database_opened_is_found(database: Database) -> None:
    with database.engine.connect():
        assert "Engine" in database_objects()


@pytest.mark.parametrize(
    ("url", "driver", "unused"),
    [
        ("sqlite:////nowhere/hiw.db", "sqlite3", ["psycopg", "markdown_it"]),
        ("postgresql+psycopg://hiw@nowhere/hiw", "psycopg", ["markdown_it"]),
    ],
)
def test_loading_everything_a_session_needs_opens_no_database(
    url: str, driver: str, unused: list[str]
) -> None:
    """The warm process loads the app, its screens, the data layer and the database's
    driver before any fork: none of that may open (or make) an engine or a connection.
    What no session uses is left out, so that its objects do not lie among theirs:
    the other database's driver, and Textual's widgets the app never shows."""
    check = (
        "from hiw_tui.ssh.warm import preload, database_objects\n"
        f"preload({url!r})\n"
        "import sys\n"
        "assert 'textual.app' in sys.modules and 'sqlmodel' in sys.modules\n"
        f"assert {driver!r} in sys.modules\n"
        f"assert not [name for name in {unused!r} if name in sys.modules]\n"
        "print(database_objects())\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", check], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_a_session_reads_textuals_settings_again_only_when_they_differ(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Textual reads its settings when the warm process imports it; a session whose
    settings are the same (as the server makes them) keeps those, not a copy of its own."""
    reloaded: list[str] = []
    monkeypatch.setattr(importlib, "reload", lambda module: reloaded.append(module.__name__))
    monkeypatch.setattr(os, "environ", {})
    server = {"TERM": "xterm-256color", "TEXTUAL_COLOR_SYSTEM": "256", "HIW_X": "1"}
    loaded = textual_environment({**LOW_BANDWIDTH_ENVIRONMENT, **server})
    use_environment({**server, "SSH_CONNECTION": "192.0.2.7 5 192.0.2.1 22"}, loaded)
    assert reloaded == []
    assert os.environ["TEXTUAL_ANIMATIONS"] == "none"  # the low-bandwidth profile
    use_environment({**server, "TEXTUAL_COLOR_SYSTEM": "standard"}, loaded)
    assert reloaded == ["textual.constants"]
    assert os.environ["TEXTUAL_COLOR_SYSTEM"] == "standard"


async def test_the_warm_process_and_its_sessions_use_two_allocator_arenas() -> None:
    """Set in the warm process's environment, which the C allocator reads at start."""
    says_ready = (
        "import os, sys\n"
        "print('ready' if os.environ.get('MALLOC_ARENA_MAX') == '2' else 'no', flush=True)\n"
        "sys.stdin.read()\n"
    )
    warm = WarmProcess([sys.executable, "-c", says_ready], dict(os.environ))
    try:
        await warm.start()
        assert await warm.wait_ready()
    finally:
        await warm.stop()


async def test_a_session_starts_cold_when_the_warm_process_cannot_start() -> None:
    """A warm process that dies before it is ready refuses nobody: the session is
    started as a new process instead."""
    warm = WarmProcess([sys.executable, "-c", "raise SystemExit(3)"], dict(os.environ))
    cold = [sys.executable, "-c", "raise SystemExit(7)"]  # then `ssh-session USER`
    master, slave = pty.openpty()
    try:
        child = await start_child(cold, warm, Request("ada.adv", dict(os.environ)), slave)
        assert not isinstance(child, WarmChild)
        assert await asyncio.wait_for(child.wait(), 30) == 7
    finally:
        await warm.stop()
        os.close(master)
        os.close(slave)
