"""Offering the warm process's memory to the kernel's samepage merging (Linux's KSM).

A session forked from the warm process gets its own copy of each page it writes to, and
on Python 3.11, which writes an object's reference count whenever code uses it, that is
most pages holding what a session runs. Many of those copies stay byte for byte the
same as the warm process's page (a count raised and lowered again) or as another
session's (the same screens drawn the same way). Where the kernel merges pages (KSM
running: `/sys/kernel/mm/ksm/run` is 1, an administrator's setting, see the README), it
finds the identical pages among those marked mergeable and shares them again, copy on
write. Measured with 100 sessions on 3.11: a session's proportional set size went from
36.5 to 14.5 MiB once the kernel had scanned them (see the README's benchmarks).

`madvise(MADV_MERGEABLE)` needs no privilege. It marks the process's private writable
mappings (the heap, Python's arenas, libraries' data), and a forked child inherits the
marks. Where the kernel has no KSM, or it is not running, nothing else changes.

Only the standard library here, like `hiw_tui.ssh.immortal`.
"""

from __future__ import annotations

import ctypes
from pathlib import Path

from hiw_tui.ssh import immortal

MADV_MERGEABLE = 12
KSM = Path("/sys/kernel/mm/ksm")
OFF = (
    "Note: the kernel's merging of identical pages (KSM) is off, so each SSH session"
    " takes about 36 MiB of memory rather than 15-19 MiB. To turn it on, as root:"
    " echo 1000 > /sys/kernel/mm/ksm/pages_to_scan; echo 1 > /sys/kernel/mm/ksm/run"
    " (README: Access over SSH, the embedded server)."
)
"""What the server says as it starts, where `advice` finds merging would help."""
SPECIAL = frozenset({"[vvar]", "[vvar_vclock]", "[vdso]", "[vsyscall]"})
"""Mappings the kernel itself provides: never mergeable."""


def mergeable_ranges(maps: str) -> list[tuple[int, int]]:
    """The start and end of each private writable mapping in `maps` (the text of
    /proc/PID/maps), but the kernel's own."""
    ranges = []
    for line in maps.splitlines():
        fields = line.split()
        if len(fields) < 5:
            continue
        permissions = fields[1]
        name = fields[5] if len(fields) > 5 else ""
        if "w" in permissions and permissions.endswith("p") and name not in SPECIAL:
            start, end = (int(address, 16) for address in fields[0].split("-"))
            ranges.append((start, end))
    return ranges


def offer() -> int:
    """Mark this process's private writable memory mergeable, and say how many mappings
    were marked (none where the kernel cannot merge pages, or this is not Linux)."""
    try:
        maps = Path("/proc/self/maps").read_text()
    except OSError:
        return 0
    libc = ctypes.CDLL(None, use_errno=True)  # the C library, loaded already
    libc.madvise.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
    libc.madvise.restype = ctypes.c_int
    return sum(
        libc.madvise(start, end - start, MADV_MERGEABLE) == 0
        for start, end in mergeable_ranges(maps)
    )


def advice() -> str | None:
    """What the server should tell whoever starts it about merging: `OFF` where the
    kernel could merge pages but does not, and this Python cannot share the warm
    process's objects without it (`immortal.supported`); else nothing (a kernel without
    merging cannot be told to merge)."""
    if KSM.is_dir() and not running() and not immortal.supported():
        return OFF
    return None


def running() -> bool:
    """Whether the kernel is merging pages now."""
    try:
        return (KSM / "run").read_text().strip() == "1"
    except OSError:
        return False
