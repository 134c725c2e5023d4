"""Processes as /proc shows them: the SSH tests' view of the server's warm process and
the sessions' apps."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path


def _status(pid: int) -> dict[str, str]:
    try:
        text = Path(f"/proc/{pid}/status").read_text(encoding="utf-8")
    except OSError:
        return {}
    return {
        name: value.strip()
        for name, _, value in (line.partition(":") for line in text.splitlines())
    }


def command_line(pid: int) -> list[str]:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return []
    return [part.decode() for part in raw.split(b"\0") if part]


def alive(pid: int) -> bool:
    """Whether `pid` runs (a zombie, ended but not reaped, does not)."""
    return _status(pid).get("State", "Z").split()[0] not in ("Z", "X")


def exists(pid: int) -> bool:
    """Whether `pid` is in the process table at all (a zombie is)."""
    return bool(_status(pid))


def children(pid: int) -> list[int]:
    """Every process whose parent is `pid`, zombies included."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and _status(int(entry.name)).get("PPid") == str(pid):
            found.append(int(entry.name))
    return found


def warm_processes(server: int) -> list[int]:
    """The SSH server's warm processes (one, unless it is being started again)."""
    return [pid for pid in children(server) if "ssh-warm" in command_line(pid) and alive(pid)]


def sessions(pattern: str) -> list[int]:
    """The sessions' apps: forked by a warm process, or started cold as `pattern`."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        pid = int(entry.name)
        line = " ".join(command_line(pid))
        parent = int(_status(pid).get("PPid", "0") or 0)
        if pattern in line or ("ssh-warm" in command_line(parent) and "ssh-warm" in line):
            found.append(pid)
    return found


def wait_until(condition: Callable[[], bool], timeout: float = 20) -> bool:
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.1)
    return condition()
