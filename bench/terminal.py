"""What a terminal receives: bytes written for each interaction, and peak memory.

A command runs in a real pseudo-terminal of the size asked for; everything it writes
is read and counted. An interaction's bytes are those written from its keys until
the screen has been quiet for a while. hiw-tui is launched as an SSH session opens
it (signed in already, in the low-bandwidth profile except for the colour system,
which each measurement sets for both apps alike).
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import statistics
import struct
import sys
import termios
import time
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TypeVar

HERE = Path(__file__).parent
COLOUR_SYSTEMS = {"truecolor": "truecolor", "256": "256", "16": "standard"}
SIZES = ((80, 24), (120, 40))
DOWN, PAGE_DOWN, ENTER, ESCAPE = b"\x1b[B", b"\x1b[6~", b"\r", b"\x1b"
Measured = TypeVar("Measured")


class Pty:
    """A command running in a pseudo-terminal, read as it writes."""

    def __init__(
        self,
        command: list[str],
        *,
        size: tuple[int, int] = (80, 24),
        env: dict[str, str] | None = None,
    ) -> None:
        self.started = time.perf_counter()
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.environ["TERM"] = "xterm-256color"
            os.environ.update(env or {})
            os.execvp(command[0], command)
        columns, rows = size
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        self.seen = b""

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if ready:
            self.seen += os.read(self.fd, 65536)
        return bool(ready)

    def wait_for(self, marker: bytes, timeout: float = 30) -> float:
        """Seconds from launch until `marker` is written."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if self._read(0.01) and marker in self.seen:
                return time.perf_counter() - self.started
        raise RuntimeError(f"{marker!r} not seen in {timeout}s")

    def settle(self, quiet: float = 0.6, timeout: float = 15) -> None:
        """Read until nothing has been written for `quiet` seconds."""
        deadline = time.perf_counter() + timeout
        last = time.perf_counter()
        while time.perf_counter() < deadline and time.perf_counter() - last < quiet:
            if self._read(0.02):
                last = time.perf_counter()

    def interact(self, keys: bytes, *, marker: bytes | None = None, quiet: float = 0.6) -> int:
        """Bytes written in answer to `keys` (after `marker`, if given, and quiet)."""
        before = len(self.seen)
        os.write(self.fd, keys)
        if marker is not None:
            self.wait_for(marker)
        self.settle(quiet)
        return len(self.seen) - before

    def peak_memory_kib(self) -> int:
        """The app's peak resident memory so far (VmHWM): the largest of the process
        started and its descendants' (a session's app runs under a shell, as under an
        SSH server)."""
        return max(_peak_kib(pid) for pid in _process_tree(self.pid))

    def close(self) -> None:
        os.kill(self.pid, 9)
        os.waitpid(self.pid, 0)
        os.close(self.fd)


def _process_tree(pid: int) -> list[int]:
    """`pid` and every process descended from it."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                status = (entry / "status").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(status.split("\nPPid:\t")[1].split()[0])
    tree = [pid]
    for each in tree:
        tree += [child for child, parent in parents.items() if parent == each]
    return tree


def _peak_kib(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    return int(status.split("\nVmHWM:")[1].split()[0]) if "\nVmHWM:" in status else 0


SSH_CONNECTION = "SSH_CONNECTION=127.0.0.1 50000 127.0.0.1 22"
"""What sshd sets for a session: `ssh-session` runs only under an SSH server."""
AS_SERVER = 'export HIW_SSH_SERVER_PID=$$; "$@"; exit $?'
"""A shell that names itself as the SSH server above the app, as serve-ssh does."""


def app_command(url: str) -> list[str]:
    """The app signed in as `manager` without a password, as an SSH session starts it."""
    session = [sys.executable, "-m", "hiw_tui", "--database", url, "ssh-session", "manager"]
    return ["env", SSH_CONNECTION, "sh", "-c", AS_SERVER, "sh", *session]


BARE = [sys.executable, str(HERE / "bare_app.py")]


@dataclass(frozen=True)
class Traffic:
    """Bytes written for each interaction, and the peak memory, of one run."""

    first_paint: int
    cursor_move: int
    page_down: int
    open_and_back: int | None
    peak_kib: int


def traffic(command: list[str], marker: bytes, size: tuple[int, int], colours: str) -> Traffic:
    env = {"TEXTUAL_COLOR_SYSTEM": COLOUR_SYSTEMS[colours], "COLORTERM": "truecolor"}
    terminal = Pty(command, size=size, env=env)
    try:
        terminal.wait_for(marker)
        terminal.settle()
        first = len(terminal.seen)
        move = terminal.interact(DOWN)
        page = terminal.interact(PAGE_DOWN)
        opened = None
        if command is not BARE:
            opened = terminal.interact(ENTER, marker=b"Referred by")
            # Esc alone waits out the escape delay (400 ms in the SSH profile).
            opened += terminal.interact(ESCAPE, quiet=1.0)
        return Traffic(first, move, page, opened, terminal.peak_memory_kib())
    finally:
        terminal.close()


def measure(url: str, runs: int) -> list[tuple[tuple[int, int], str, Traffic, Traffic]]:
    """(size, colours, hiw-tui's medians, the bare app's medians) for each combination."""
    results = []
    for size in SIZES:
        for colours in COLOUR_SYSTEMS:
            ours, bare = [], []
            for _ in range(runs):
                bare.append(traffic(BARE, b"R00000", size, colours))
                ours.append(traffic(app_command(url), b"HAL-00001", size, colours))
            results.append((size, colours, medians(ours), medians(bare)))
    return results


def medians(runs: list[Measured]) -> Measured:
    """One run of the same kind whose every field is the runs' median (None if none knew)."""

    def middle(values: list[int | None]) -> int | None:
        known = [value for value in values if value is not None]
        return int(statistics.median(known)) if known else None

    names = [field.name for field in fields(runs[0])]  # type: ignore[arg-type]
    return type(runs[0])(*(middle([getattr(run, name) for run in runs]) for name in names))


def ratio(ours: int | None, base: int | None) -> str:
    return f"{ours / base:.2f}" if ours is not None and base else ""


def pair(ours: int, bare: int) -> str:
    return f"{ours:,} / {bare:,} ({ratio(ours, bare)})"


def report(results: list[tuple[tuple[int, int], str, Traffic, Traffic]]) -> str:
    lines = [
        "| size | colours | first paint | cursor move | page down | open + back | peak memory |",
        "|---|---|---|---|---|---|---|",
    ]
    for (columns, rows), colours, ours, bare in results:
        cells = [
            pair(ours.first_paint, bare.first_paint),
            pair(ours.cursor_move, bare.cursor_move),
            pair(ours.page_down, bare.page_down),
            f"{ours.open_and_back:,}" if ours.open_and_back is not None else "",
            f"{ours.peak_kib / 1024:.0f} / {bare.peak_kib / 1024:.0f} MiB"
            f" ({ratio(ours.peak_kib, bare.peak_kib)})",
        ]
        lines.append(f"| {columns}x{rows} | {colours} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(report(measure(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 1)))
