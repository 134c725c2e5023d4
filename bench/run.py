"""Benchmarks at 100,000 households, beside a bare Textual app measured in the same run.

    python bench/run.py [--households N] [--runs R] [--postgres URL]

The database (built once, under bench/.data/; on PostgreSQL into the empty database
named) is the demo's, with each person's Star read every `READING_WEEKS` weeks for
the volume of a long-running service. Measured:

- in a real pseudo-terminal, beside the bare app (Header, a 200-row DataTable,
  Footer): launch to the sign-in screen (bench/launch.py, the start-up target) and,
  as an SSH session opens it, to the first household on screen; the bytes written for the first
  paint, a cursor move, a page down, and opening a household and coming back, at two
  sizes and three colour systems (bench/terminal.py); peak resident memory;
- typing a search and Enter to the new count on screen (tmux);
- query times: the list page plus its count per role and filter, and opening a
  household, on SQLite and PostgreSQL;
- every report as each user (bench/reports.py) and opening each screen of a household
  beside a bare Textual push (bench/screens.py), on a copy with casework added;
- through the embedded SSH server: bytes on the compressed wire, and 40 sessions
  pressing keys at once (bench/ssh.py); its sessions forked warm against started
  cold: connect to the first row, memory per session, and 100 sessions pressing keys
  (bench/ssh_warm.py).

All figures are medians unless said; the last table checks each against its target.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shlex
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

from hiw_tui.db.access.users import get_user
from hiw_tui.db.core.engine import Database
from hiw_tui.db.households.households import HouseholdFilter, household_page, open_household

sys.path.insert(0, str(Path(__file__).parent))
import launch
import quiet
import reports
import screens
import ssh
import ssh_warm
import targets
import terminal
from demo_db import DATA, FIXED_TODAY, build
from terminal import BARE, Pty, app_command

SEARCHES = ["", "smi", "l4", "liv-0001", "o'b", "sarah"]
FILTERS = [
    *((term or "(none)", HouseholdFilter(search=term)) for term in SEARCHES),
    ("reading due", HouseholdFilter(due_if_scored_before=FIXED_TODAY - timedelta(weeks=12))),
]
"""What the list is narrowed to in the query timings: each search, and the due filter."""


def startup(url: str, runs: int) -> tuple[float, float]:
    """Medians of launch to first row on screen: hiw-tui, and the bare Textual app."""
    # As an SSH session opens it (signed in already), so no password typing is timed.
    ours: list[float] = []
    base: list[float] = []
    for _ in range(runs):  # interleaved, so machine noise hits both alike
        for command, marker, into in (
            (BARE, b"R00000", base),
            (app_command(url), b"HAL-00001", ours),
        ):
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
    command = shlex.join(app_command(url))
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
                # "1-50 of 1,234 households", or "10 households" when one page holds all
                count = rf"(?<![\d,]){counts[term]:,} households"
                timings.append(_screen_shows(name, count, started))
    finally:
        subprocess.run(["tmux", "kill-session", "-t", name], check=False)
    return statistics.median(timings)


def _screen_shows(session: str, pattern: str, started: float, timeout: float = 30) -> float:
    """Seconds from `started` until the screen holds a match of `pattern` (a regex)."""
    while time.perf_counter() - started < timeout:
        screen = subprocess.run(
            ["tmux", "capture-pane", "-p", "-t", session],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        if re.search(pattern, screen):
            return time.perf_counter() - started
    raise RuntimeError(f"{pattern!r} not on screen in {timeout}s")


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


def opening(database: Database, runs: int) -> float:
    """Median, in ms, of opening a household (as the record screen reads it, audited)."""
    manager = database.read(get_user, username="manager")
    opened = []
    for run in range(runs):
        started = time.perf_counter()
        database.write(open_household, actor=manager, household_id=1 + run * 997)
        opened.append(time.perf_counter() - started)
    return statistics.median(opened) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--postgres", help="also measure queries on this PostgreSQL URL (an empty database)"
    )
    args = parser.parse_args()
    DATA.mkdir(exist_ok=True)
    url = f"sqlite:///{DATA / f'bench-{args.households}.db'}"
    database = build(url, args.households)
    # All built before anything is timed, so the timings share one quiet stretch. The
    # reports and screens read a copy with casework added (bench/reports.py), as does
    # PostgreSQL's leg throughout.
    casework = reports.databases(args.households, args.postgres)
    notes = [quiet.check("the SQLite queries")]
    sqlite_queries = queries(database, args.runs)
    counts = {
        ("" if t == "(none)" else t): n for user, t, _, n in sqlite_queries if user == "manager"
    }
    notes.append(quiet.check("the launch"))
    signing_in, signing_in_base = launch.launch_times(url, args.runs)
    ours, base = startup(url, args.runs)
    notes.append(quiet.check("the search"))
    search = searches(url, args.runs, counts)
    notes.append(quiet.check("the bytes written"))
    written = terminal.measure(url, max(1, args.runs // 2))
    notes.append(quiet.check("the SSH sessions"))
    wire = asyncio.run(ssh.measure(url, max(1, args.runs // 2), terminal.SIZES))
    warm = asyncio.run(ssh_warm.measure(url, args.runs, ssh_warm.SESSIONS))
    legs = [("SQLite", database, sqlite_queries)]
    if args.postgres:
        notes.append(quiet.check("the PostgreSQL queries"))
        legs.append(("PostgreSQL", casework[1][1], queries(casework[1][1], args.runs)))
    notes.append(quiet.check("opening a household"))
    opened = {name: opening(db, args.runs) for name, db, _ in legs}
    timed_reports = [reports.time_reports(db, args.runs) for _, db in casework]
    notes.append(quiet.check("the household's screens"))
    pushes = {name: screens.measure(db, args.runs) for name, db in casework}

    print(f"## {args.households:,} households, median of {args.runs} runs\n")
    print("| measure | hiw-tui | bare Textual | ratio |\n|---|---|---|---|")
    row = f"{signing_in * 1000:.0f} ms | {signing_in_base * 1000:.0f} ms"
    print(f"| launch to the sign-in screen | {row} | {signing_in / signing_in_base:.2f} |")
    row = f"{ours * 1000:.0f} ms | {base * 1000:.0f} ms | {ours / base:.2f}"
    print(f"| launch to first row on screen (SSH, signed in) | {row} |")
    print(f"| search: Enter to the new count on screen | {search * 1000:.0f} ms | | |")
    print("\n### bytes written to the terminal (hiw-tui / bare Textual, ratio)\n")
    print(terminal.report(written))
    print("\n### through the SSH server, compressed (bytes on the wire: hiw-tui / bare)\n")
    print(ssh.report(wire))
    print("\n### SSH sessions forked warm and started cold\n")
    print(ssh_warm.report(warm))
    print("\n### opening a household (its queries)\n")
    print("| database | open a household |\n|---|---|")
    for name, millis in opened.items():
        print(f"| {name} | {millis:.1f} ms |")
    for name, _db, results in legs:
        print(f"\n### list page + count, {name}\n")
        print("| user | filter | median | matches |\n|---|---|---|---|")
        for username, term, millis, total in results:
            print(f"| {username} | {term} | {millis:.1f} ms | {total:,} |")
    print("\n### every report, as each user\n")
    print(reports.report([name for name, _ in casework], timed_reports))
    for name, (bare, pushed) in pushes.items():
        print(f"\n### a household's screens, {name}, beside a bare Textual push\n")
        print(screens.report(bare, pushed, args.runs))
    for note in filter(None, notes):
        print(f"\nMeasured while the machine was {note}.")
    print("\n### targets\n")
    print(
        targets.table(
            [
                *target_rows(
                    signing_in / signing_in_base,
                    written,
                    wire,
                    [r for _, _, rs in legs for r in rs],
                ),
                reports.target_row(timed_reports),
                screens.target_row(pushes),
                *ssh_warm.target_rows(warm),
            ]
        )
    )


def target_rows(
    startup_ratio: float,
    written: list[tuple[tuple[int, int], str, terminal.Traffic, terminal.Traffic]],
    wire: ssh.Results,
    lists: list[tuple[str, str, float, int]],
) -> list[targets.Target]:
    """The terminal's and the list's targets, each beside the worst figure measured."""
    move = max(ours.cursor_move / bare.cursor_move for _, _, ours, bare in written)
    memory = max(ours.peak_kib / bare.peak_kib for _, _, ours, bare in written)
    on_wire = max(ours.cursor_move for _, _, ours, _ in wire.wire)
    return [
        targets.Target(
            "launch to the sign-in screen, ratio to bare Textual",
            startup_ratio,
            launch.TARGET,
            "{:.2f}",
        ),
        targets.Target(
            "bytes per cursor move, ratio (worst size and colours)", move, 1.2, "{:.2f}"
        ),
        targets.Target("peak memory, ratio", memory, 2.0, "{:.2f}"),
        targets.Target(
            "list page or filter (slowest, either database)",
            max(r[2] for r in lists),
            30,
            "{:.1f} ms",
        ),
        targets.Target("cursor move on the compressed wire (worst)", on_wire, 150, "{:.0f} bytes"),
        targets.Target(
            f"{ssh.SESSIONS} sessions: 95th percentile key to echo",
            ssh.p95(wire.echo["hiw-tui"]) * 1000,
            100,
            "{:.1f} ms",
        ),
    ]


if __name__ == "__main__":
    main()
