"""The warm process's memory offered to the kernel's samepage merging: which mappings are
marked, and that the marks reach a forked child. Marked in a process of its own: the
marks stay for that process's life."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from hiw_tui.ssh import immortal, merging

MAPS = """\
55d0c0a00000-55d0c0a21000 r--p 00000000 fe:01 1234  /usr/bin/python3.11
55d0c0e00000-55d0c0e02000 rw-p 00400000 fe:01 1234  /usr/bin/python3.11
55d0c1000000-55d0c1400000 rw-p 00000000 00:00 0     [heap]
7f0000000000-7f0000040000 rw-p 00000000 00:00 0
7f0000100000-7f0000200000 rw-s 00000000 00:01 99    /dev/zero (deleted)
7f0000300000-7f0000301000 r-xp 00000000 fe:01 77    /usr/lib/libc.so.6
7ffd00000000-7ffd00021000 rw-p 00000000 00:00 0     [stack]
7ffd00100000-7ffd00104000 r--p 00000000 00:00 0     [vvar]
7ffd00104000-7ffd00106000 r-xp 00000000 00:00 0     [vdso]
"""

PROBE = """
import os, re, sys
from hiw_tui.ssh import immortal, merging

def heap_flags(pid):
    smaps = open(f"/proc/{pid}/smaps").read()
    for block in re.split(r"\\n(?=[0-9a-f]+-)", smaps):
        if block.splitlines()[0].endswith("[heap]"):
            return next(l for l in block.splitlines() if l.startswith("VmFlags:")).split()[1:]

before = heap_flags("self")
marked = merging.offer()
pid = os.fork()
if pid == 0:
    os._exit(0 if "mg" in heap_flags("self") else 1)
_, status = os.waitpid(pid, 0)
after = heap_flags("self")
print(int("mg" in before), marked, int("mg" in after), os.waitstatus_to_exitcode(status))
"""


def test_private_writable_mappings_are_marked_but_the_kernels_own() -> None:
    assert merging.mergeable_ranges(MAPS) == [
        (0x55D0C0E00000, 0x55D0C0E02000),  # the program's data
        (0x55D0C1000000, 0x55D0C1400000),  # the heap
        (0x7F0000000000, 0x7F0000040000),  # an arena
        (0x7FFD00000000, 0x7FFD00021000),  # the stack
    ]


@pytest.mark.skipif(
    not merging.KSM.is_dir(), reason="this kernel has no samepage merging to offer pages to"
)
def test_the_heap_is_marked_mergeable_and_a_forked_child_keeps_the_mark() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(merging.__file__).parents[2],
    )
    assert done.returncode == 0, done.stderr
    before, marked, after, child = (int(word) for word in done.stdout.split())
    assert (before, after, child) == (0, 1, 0)
    assert marked > 5  # the heap, arenas, libraries' data, the stack


def test_the_server_is_told_to_turn_merging_on_only_where_it_would_help(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(merging, "KSM", tmp_path / "ksm")
    monkeypatch.setattr(immortal, "supported", lambda: False)  # Python 3.11
    assert merging.advice() is None  # a kernel without merging: nothing to turn on
    merging.KSM.mkdir()
    (merging.KSM / "run").write_text("0\n")
    assert not merging.running()
    assert merging.advice() == merging.OFF
    assert "echo 1 > /sys/kernel/mm/ksm/run" in merging.OFF
    monkeypatch.setattr(immortal, "supported", lambda: True)  # 3.12 and 3.13
    assert merging.advice() is None
    monkeypatch.setattr(immortal, "supported", lambda: False)
    (merging.KSM / "run").write_text("1\n")
    assert merging.running()
    assert merging.advice() is None
