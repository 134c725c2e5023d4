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
- query times: the list page plus its count per role and filter, opening a household,
  and the performance report, on SQLite and PostgreSQL;
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
import shlex
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import func
from sqlalchemy import select as sql_select

from hiw_tui.db.access.users import get_user
from hiw_tui.db.core.engine import Database
from hiw_tui.db.core.models import Household
from hiw_tui.db.core.schema import ensure_current
from hiw_tui.db.households.households import HouseholdFilter, household_page, open_household
from hiw_tui.demo.generate import build_demo
from hiw_tui.domain.counting import Period
from hiw_tui.reports.queries.programme import performance

sys.path.insert(0, str(Path(__file__).parent))
import launch
import quiet
import ssh
import ssh_warm
import terminal
from terminal import BARE, Pty, app_command

HERE = Path(__file__).parent
DATA = HERE / ".data"
FIXED_TODAY = date(2026, 11, 1)
READING_WEEKS = 4
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
        build_demo(
            database,
            households=households,
            seed=1,
            today=FIXED_TODAY,
            reading_weeks=READING_WEEKS,
        )
        print(
            f"built {households:,} households in {time.perf_counter() - started:.1f}s",
            file=sys.stderr,
        )
    return database


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


def record_and_report(database: Database, runs: int) -> tuple[float, float]:
    """Medians, in ms, of opening a household (as the record screen reads it, audited)
    and of the performance report for the whole programme."""
    manager = database.read(get_user, username="manager")
    opened, reported = [], []
    for run in range(runs):
        started = time.perf_counter()
        database.write(open_household, actor=manager, household_id=1 + run * 997)
        opened.append(time.perf_counter() - started)
        started = time.perf_counter()
        database.read(performance, actor=manager, period=Period(as_of=FIXED_TODAY))
        reported.append(time.perf_counter() - started)
    return statistics.median(opened) * 1000, statistics.median(reported) * 1000


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
    # Both built before anything is timed, so the timings share one quiet stretch.
    postgres = build(args.postgres, args.households) if args.postgres else None
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
    if postgres is not None:
        notes.append(quiet.check("the PostgreSQL queries"))
        legs.append(("PostgreSQL", postgres, queries(postgres, args.runs)))
    notes.append(quiet.check("a household and the report"))
    timed = {name: record_and_report(db, args.runs) for name, db, _ in legs}

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
    print("\n### opening a household and the performance report\n")
    print("| database | open a household | performance report |\n|---|---|---|")
    for name, (opened, reported) in timed.items():
        print(f"| {name} | {opened:.1f} ms | {reported:.0f} ms |")
    for name, _db, results in legs:
        print(f"\n### list page + count, {name}\n")
        print("| user | filter | median | matches |\n|---|---|---|---|")
        for username, term, millis, total in results:
            print(f"| {username} | {term} | {millis:.1f} ms | {total:,} |")
    for note in filter(None, notes):
        print(f"\nMeasured while the machine was {note}.")
    print("\n### targets\n")
    print(
        targets(
            signing_in / signing_in_base, written, wire, [r for _, _, rs in legs for r in rs], timed
        )
    )


def targets(
    startup_ratio: float,
    written: list[tuple[tuple[int, int], str, terminal.Traffic, terminal.Traffic]],
    wire: ssh.Results,
    lists: list[tuple[str, str, float, int]],
    timed: dict[str, tuple[float, float]],
) -> str:
    """Each target beside the worst figure measured for it."""
    move = max(ours.cursor_move / bare.cursor_move for _, _, ours, bare in written)
    memory = max(ours.peak_kib / bare.peak_kib for _, _, ours, bare in written)
    on_wire = max(ours.cursor_move for _, _, ours, _ in wire.wire)
    rows = [
        (
            "launch to the sign-in screen, ratio to bare Textual",
            startup_ratio,
            launch.TARGET,
            "{:.2f}",
        ),
        ("bytes per cursor move, ratio (worst size and colours)", move, 1.2, "{:.2f}"),
        ("peak memory, ratio", memory, 2.0, "{:.2f}"),
        (
            "list page or filter (slowest, either database)",
            max(r[2] for r in lists),
            30,
            "{:.1f} ms",
        ),
        (
            "performance report (slower database)",
            max(r for _, r in timed.values()),
            1000,
            "{:.0f} ms",
        ),
        ("cursor move on the compressed wire (worst)", on_wire, 150, "{:.0f} bytes"),
        (
            f"{ssh.SESSIONS} sessions: 95th percentile key to echo",
            ssh.p95(wire.echo["hiw-tui"]) * 1000,
            100,
            "{:.1f} ms",
        ),
    ]
    lines = ["| target | at most | measured | met |", "|---|---|---|---|"]
    for label, value, limit, shape in rows:
        met = "yes" if value <= limit else "no"
        lines.append(f"| {label} | {shape.format(limit)} | {shape.format(value)} | {met} |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
