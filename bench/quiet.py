"""Whether the machine is quiet enough to time on: the benchmarks check before each
timing and say so beside the figure when it is not (other work on a shared machine
made PostgreSQL figures 10-50x worse than on a quiet one)."""

from __future__ import annotations

import os
import sys
import time

BUSY = 0.25
"""More than this share of one core busy with other work: not quiet."""


def _cpu_times() -> tuple[int, int]:
    with open("/proc/stat") as stat:
        fields = [int(value) for value in stat.readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle and waiting for I/O
    return sum(fields) - idle, sum(fields)


def busy_cores(seconds: float = 1.0) -> float:
    """How many cores' worth of work ran over the next `seconds` (this process sleeps)."""
    busy_before, total_before = _cpu_times()
    time.sleep(seconds)
    busy_after, total_after = _cpu_times()
    cores = os.cpu_count() or 1
    return cores * (busy_after - busy_before) / max(total_after - total_before, 1)


def check(what: str) -> str:
    """'' when the machine is quiet; else a note naming what the load may have slowed."""
    busy = busy_cores()
    if busy <= BUSY:
        return ""
    note = f"not quiet before {what}: {busy:.1f} cores busy, load {os.getloadavg()[0]:.1f}"
    print(f"  ({note})", file=sys.stderr, flush=True)
    return note
