"""Benchmarks: opening and filtering the household list at 100,000 households.

    python bench/run.py [--households N] [--runs R] [--postgres URL]

Everything a person feels is measured in a real 80x24 pseudo-terminal: from launching
the process to the first household on screen, beside a bare Textual app (Header, a
200-row DataTable, Footer) measured in the same run, and from typing a search and
Enter to the new count on screen. Query times are the list page plus its count, as
the list screen asks for them, per role and search. All figures are medians.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import select
import statistics
import struct
import subprocess
import sys
import termios
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import func
from sqlalchemy import select as sql_select

from hiw_tui.db.engine import Database
from hiw_tui.db.households import HouseholdFilter, household_page
from hiw_tui.db.models import Household
from hiw_tui.db.schema import ensure_current
from hiw_tui.db.users import get_user
from hiw_tui.demo.generate import build_demo

HERE = Path(__file__).parent
DATA = HERE / ".data"
FIXED_TODAY = date(2026, 11, 1)
SEARCHES = ["", "smi", "l4", "liv-0001", "o'b", "sarah"]
FILTERS = [
    *((term or "(none)", HouseholdFilter(search=term)) for term in SEARCHES),
    ("reading due", HouseholdFilter(due_if_scored_before=FIXED_TODAY - timedelta(weeks=12))),
]
"""What the list is narrowed to in the query timings: each search, and the due filter."""


def build(url: str, households: int) -> Database:
    database = Database(url)
    ensure_current(database.engine)
    with database.engine.connect() as connection:
        present = connection.scalar(sql_select(func.count()).select_from(Household))
    if not present:
        started = time.perf_counter()
        build_demo(database, households=households, seed=1, today=FIXED_TODAY)
        print(
            f"built {households:,} households in {time.perf_counter() - started:.1f}s",
            file=sys.stderr,
        )
    return database


class Pty:
    """A command running in an 80x24 pseudo-terminal, read as it writes."""

    def __init__(self, command: list[str]) -> None:
        self.started = time.perf_counter()
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.environ["TERM"] = "xterm-256color"
            os.execvp(command[0], command)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        self.seen = b""

    def wait_for(self, marker: bytes, timeout: float = 30) -> float:
        """Seconds from launch until `marker` is written."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            ready, _, _ = select.select([self.fd], [], [], 0.01)
            if ready:
                self.seen += os.read(self.fd, 65536)
                if marker in self.seen:
                    return time.perf_counter() - self.started
        raise RuntimeError(f"{marker!r} not seen in {timeout}s")

    def close(self) -> None:
        os.kill(self.pid, 9)
        os.waitpid(self.pid, 0)
        os.close(self.fd)


def startup(url: str, runs: int) -> tuple[float, float]:
    """Medians of launch to first row on screen: hiw-tui, and the bare Textual app."""
    app = [sys.executable, "-m", "hiw_tui", "--database", url, "--user", "manager"]
    bare = [sys.executable, str(HERE / "bare_app.py")]
    ours, base = [], []
    for _ in range(runs):  # interleaved, so machine noise hits both alike
        for command, marker, into in ((bare, b"R00000", base), (app, b"HAL-00001", ours)):
            terminal = Pty(command)
            into.append(terminal.wait_for(marker))
            terminal.close()
    return statistics.median(ours), statistics.median(base)


def searches(url: str, runs: int, counts: dict[str, int]) -> float:
    """Median from a search's Enter to its count on the screen, read from tmux's own screen.

    Textual redraws only the cells that change, so the screen, not the byte stream, is
    where a new count can be seen.
    """
    name = f"hiw-bench-{os.getpid()}"
    command = f"{sys.executable} -m hiw_tui --database {url} --user manager"
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", name, "-x", "80", "-y", "24", command], check=True
    )
    timings = []
    try:
        _screen_shows(name, "households", time.perf_counter())
        for _ in range(runs):
            for term in [*SEARCHES[1:], ""]:
                for keys in (["/"], ["C-u"], ["-l", term]):
                    subprocess.run(["tmux", "send-keys", "-t", name, *keys], check=True)
                    time.sleep(0.2)  # typing; the timing starts at Enter
                started = time.perf_counter()
                subprocess.run(["tmux", "send-keys", "-t", name, "Enter"], check=True)
                timings.append(_screen_shows(name, f"of {counts[term]:,} households", started))
    finally:
        subprocess.run(["tmux", "kill-session", "-t", name], check=False)
    return statistics.median(timings)


def _screen_shows(session: str, text: str, started: float, timeout: float = 30) -> float:
    while time.perf_counter() - started < timeout:
        screen = subprocess.run(
            ["tmux", "capture-pane", "-p", "-t", session],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        if text in screen:
            return time.perf_counter() - started
    raise RuntimeError(f"{text!r} not on screen in {timeout}s")


def queries(database: Database, runs: int) -> list[tuple[str, str, float, int]]:
    results = []
    for username in ("manager", "supervisor.liverpool", "advocate.liverpool.1"):
        actor = database.read(get_user, username=username)
        for label, where in FILTERS:
            timings, total = [], 0
            for _ in range(runs):
                started = time.perf_counter()
                page = database.read(
                    household_page,
                    actor=actor,
                    where=where,
                    sort="reference",
                    descending=False,
                    limit=100,
                    offset=0,
                )
                timings.append(time.perf_counter() - started)
                total = page.total
            results.append((username, label, statistics.median(timings) * 1000, total))
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--postgres", help="also measure queries on this PostgreSQL URL (an empty database)"
    )
    args = parser.parse_args()
    DATA.mkdir(exist_ok=True)
    url = f"sqlite:///{DATA / f'demo-{args.households}.db'}"
    database = build(url, args.households)
    sqlite_queries = queries(database, args.runs)
    counts = {
        ("" if t == "(none)" else t): n for user, t, _, n in sqlite_queries if user == "manager"
    }
    ours, base = startup(url, args.runs)
    search = searches(url, args.runs, counts)
    print(f"## {args.households:,} households, median of {args.runs} runs\n")
    print("| measure | hiw-tui | bare Textual | ratio |\n|---|---|---|---|")
    row = f"{ours * 1000:.0f} ms | {base * 1000:.0f} ms | {ours / base:.2f}"
    print(f"| launch to first row on screen | {row} |")
    print(f"| search: Enter to the new count on screen | {search * 1000:.0f} ms | | |")
    legs = [("SQLite", sqlite_queries)]
    if args.postgres:
        legs.append(("PostgreSQL", queries(build(args.postgres, args.households), args.runs)))
    for name, results in legs:
        print(f"\n### list page + count, {name}\n")
        print("| user | filter | median | matches |\n|---|---|---|---|")
        for username, term, millis, total in results:
            print(f"| {username} | {term} | {millis:.1f} ms | {total:,} |")


if __name__ == "__main__":
    main()
