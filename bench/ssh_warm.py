"""The embedded SSH server's sessions forked by its warm process against sessions started
cold (a new process importing everything first, as before the warm process), in the
same run, on the same database. Only hiw-tui: the bare app is not measured here.

    python bench/ssh_warm.py DATABASE_URL [--runs 7] [--sessions 100]

- **Connect to the first row**: from an asyncssh client's connect (key exchange and
  sign-in included) to the manager's first household on screen, one session at a
  time; the median of `runs`. Target: at most 0.5 s, warm.
- **PSS per session**: with `sessions` sessions open and settled, each session's app's
  proportional set size (`Pss:` of /proc/PID/smaps_rollup: its own pages, and its share
  of pages shared with others, such as the warm process's); the median, read again
  after every session has pressed its keys, and the larger kept. Target: at most 25
  MiB, warm. Where the kernel merges identical pages (KSM, an administrator's setting:
  see the README), the sessions have settled once it has scanned them twice over; the
  report says whether it ran and how fast it scanned.
- **Key to echo**: the same sessions each press Down or Up every second (bench/ssh.py),
  from the key to the first bytes of the answer; the 95th percentile, and how many
  sessions could not open (none may be refused). Target: at most 50 ms, warm.

The sessions open one every `OPEN_EVERY` seconds, as staff arriving in the morning
would: a hundred opening in the same instant each write their sign-in to the audit
trail at once, and on SQLite some wait past the busy timeout and fail (warm or cold).
Cold sessions each take about 90 MiB, so no more are opened than half the memory
available holds (the report says how many).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import quiet
import ssh
import targets

from hiw_tui.ssh import merging

SESSIONS = 100
OPEN_EVERY = 0.25
COLD_SESSION_MIB = 90
FIRST_ROW_TARGET = 0.5
PSS_TARGET_MIB = 25.0
ECHO_TARGET = 0.050
SETTLE = 2.0
"""Seconds for every app to settle, without the kernel's page merging."""
SCANS = 3
"""Whole scans of the kernel's page merging waited for: the one under way, then two
(a page is merged once it reads the same on two scans)."""
SCANS_LIMIT = 600.0


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        try:
            status = (entry / "status").read_text() if entry.name.isdigit() else ""
        except OSError:
            continue
        if f"\nPPid:\t{pid}\n" in status:
            found.append(int(entry.name))
    return found


def _is_warm(pid: int) -> bool:
    try:
        return b"ssh-warm" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def session_apps(server: int) -> list[int]:
    """The sessions' apps of the server `server`: its children started cold, or its warm
    process's children."""
    apps = []
    for child in _children(server):
        apps += _children(child) if _is_warm(child) else [child]
    return apps


def affordable() -> int:
    """How many cold sessions half the memory available holds."""
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemAvailable:"):
            return int(int(line.split()[1]) / 1024 / 2 / COLD_SESSION_MIB)
    return 0


def pss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1]) / 1024
    raise ValueError(f"no Pss for {pid}")


@dataclass
class Start:
    """One way of starting sessions, measured."""

    sessions: int
    """How many were opened at once."""
    first_row: list[float]
    """Seconds from connect to the first row, a session at a time."""
    pss: list[float]
    """MiB, each session's app with every session open and settled."""
    pss_after_keys: list[float]
    """MiB, the same once every session has pressed its keys."""
    delays: list[float]
    """Seconds from key to echo, every key of every session."""
    failed: int
    """Sessions that did not open (refused or failed)."""
    warm_pss: float | None
    """MiB, the warm process's own."""


async def first_row(port: int, keys: ssh.Keys) -> float:
    started = time.perf_counter()
    connection, _, screen = await ssh.open_session(port, keys, (80, 24))
    try:
        await screen.wait_for(ssh.MARKERS[False])
        return time.perf_counter() - started
    finally:
        connection.close()


async def measure_start(
    url: str, folder: Path, keys: ssh.Keys, *, cold: bool, runs: int, sessions: int
) -> Start:
    async with ssh.server(
        url, folder, bare=False, colors="16", cold=cold, sessions=sessions
    ) as running:
        await first_row(running.port, keys)  # the first connection's own costs aside
        times = []
        for _ in range(runs):
            times.append(await first_row(running.port, keys))
            await asyncio.sleep(1)  # its app gone before the next
        opened, failed = await ssh.open_many(
            running.port, keys, sessions, bare=False, every=OPEN_EVERY
        )
        try:
            await settled(merged=not cold)
            pss = [pss_mib(pid) for pid in session_apps(running.pid)]
            warm = [pid for pid in _children(running.pid) if _is_warm(pid)]
            warm_pss = pss_mib(warm[0]) if warm else None
            delays = await ssh.press_keys(opened)
            after_keys = [pss_mib(pid) for pid in session_apps(running.pid)]
        finally:
            for connection, _, _ in opened:
                connection.close()
    return Start(sessions, times, pss, after_keys, delays, failed, warm_pss)


def _ksm(name: str) -> int:
    return int((merging.KSM / name).read_text())


def merging_state() -> str:
    """The kernel's page merging as set now, in words."""
    if not merging.running():
        return "off"
    return f"on, {_ksm('pages_to_scan')} pages every {_ksm('sleep_millisecs')} ms"


async def settled(*, merged: bool) -> None:
    """Wait for every app to settle and, where the kernel merges pages and the apps
    offered theirs (`merged`: forked warm), for `SCANS` of its whole scans (at most
    `SCANS_LIMIT` seconds; it scans only while some process offers pages)."""
    await asyncio.sleep(SETTLE)
    if not (merged and merging.running()):
        return
    until = _ksm("full_scans") + SCANS
    deadline = time.monotonic() + SCANS_LIMIT
    while _ksm("full_scans") < until and time.monotonic() < deadline:
        await asyncio.sleep(1)


@dataclass
class Results:
    starts: dict[str, Start]
    """By "warm" and "cold"."""
    sessions: int
    notes: list[str]
    load: list[float]
    """The load average (one minute) before each start's figures."""
    merging: str = ""
    """The kernel's page merging, as `merging_state` says."""


async def measure(url: str, runs: int, sessions: int) -> Results:
    results = Results({}, sessions, [], [], merging_state())
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        keys = ssh.Keys.for_manager(url, folder)
        for start in ("warm", "cold"):
            results.notes.append(quiet.check(f"the {start} sessions"))
            results.load.append(os.getloadavg()[0])
            count = min(sessions, affordable()) if start == "cold" else sessions
            results.starts[start] = await measure_start(
                url, folder, keys, cold=start == "cold", runs=runs, sessions=count
            )
    return results


def target_rows(results: Results) -> list[targets.Target]:
    """The warm sessions' figures against their targets."""
    warm = results.starts["warm"]
    sessions = results.sessions
    return [
        targets.Target(
            "SSH connect to first row, warm",
            statistics.median(warm.first_row) * 1000,
            FIRST_ROW_TARGET * 1000,
            "{:.0f} ms",
        ),
        targets.Target(
            f"SSH PSS per session, warm (kernel page merging {results.merging})",
            max(statistics.median(warm.pss), statistics.median(warm.pss_after_keys)),
            PSS_TARGET_MIB,
            "{:.1f} MiB",
        ),
        targets.Target(
            f"{sessions} SSH sessions: 95th percentile key to echo, warm",
            ssh.p95(warm.delays) * 1000,
            ECHO_TARGET * 1000,
            "{:.1f} ms",
        ),
        targets.Target(f"{sessions} SSH sessions: not opened, warm", warm.failed, 0, "{:.0f}"),
    ]


def report(results: Results) -> str:
    lines = [
        "| start | connect to first row | sessions open | PSS per session | after keys "
        "| warm process PSS | keys | key to echo, median | 95th percentile | not opened |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, start in results.starts.items():
        warm = f"{start.warm_pss:.1f} MiB" if start.warm_pss is not None else ""
        lines.append(
            f"| {name} | {statistics.median(start.first_row) * 1000:.0f} ms | {start.sessions}"
            f" | {statistics.median(start.pss):.1f} MiB"
            f" | {statistics.median(start.pss_after_keys):.1f} MiB | {warm} | {len(start.delays)}"
            f" | {statistics.median(start.delays) * 1000:.1f} ms"
            f" | {ssh.p95(start.delays) * 1000:.1f} ms | {start.failed} |"
        )
    lines += [
        "",
        f"The kernel's merging of identical pages (KSM): {results.merging}.",
        "",
        targets.table(target_rows(results)),
    ]
    for note in filter(None, results.notes):
        lines.append(f"\nMeasured while the machine was {note}.")
    loads = ", ".join(
        f"{start} {load:.1f}" for start, load in zip(results.starts, results.load, strict=True)
    )
    lines.append(f"\nLoad average (1 min) before each: {loads} (on {os.cpu_count()} cores).")
    return "\n".join(lines)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--sessions", type=int, default=SESSIONS)
    args = parser.parse_args()
    print(report(asyncio.run(measure(args.url, args.runs, args.sessions))))
