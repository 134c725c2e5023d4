"""The warm process's objects made immortal: under each Python found here (the suite's
own, and CPython 3.12 and 3.13 where installed, as on the CI machine), in a process of
its own, since the objects of the process that calls it stay for good."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from hiw_tui.ssh import immortal

MODULE = Path(immortal.__file__)
PROBE = """
import gc, importlib.util, os, sys
spec = importlib.util.spec_from_file_location("immortal", sys.argv[1])
immortal = importlib.util.module_from_spec(spec)
spec.loader.exec_module(immortal)

class Kept:
    def method(self):
        return "a constant"

kept = {"a key made here " + str(len(sys.argv)): [Kept()]}
made = immortal.immortalize()
gc.freeze()
[key] = kept
counts = [sys.getrefcount(x) for x in (Kept, Kept.method, kept, key, kept[key])]
# Work goes on as before, in this process and in a child forked from it.
for _ in range(3):
    churn = [Kept() for _ in range(10_000)]
    del churn
    gc.collect()
pid = os.fork()
if pid == 0:
    rows = [[Kept().method() for _ in range(100)] for _ in range(100)]
    os._exit(0 if rows[-1][-1] == "a constant" else 1)
_, status = os.waitpid(pid, 0)
print(made, os.waitstatus_to_exitcode(status), *counts)
"""


def pythons() -> list[str]:
    """This Python, and CPython 3.12 and 3.13 from the PATH or pyenv's versions."""
    found = [sys.executable]
    root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    for version in ("3.12", "3.13"):
        on_path = shutil.which(f"python{version}")
        candidates = [on_path] if on_path else []
        candidates += [str(path) for path in sorted(root.glob(f"{version}.*/bin/python3"))]
        for candidate in candidates:
            if subprocess.run([candidate, "-c", ""], capture_output=True).returncode == 0:
                found.append(candidate)
                break
    return found


def probe(python: str) -> tuple[str, list[int]]:
    version = subprocess.run(
        [python, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    done = subprocess.run(
        [python, "-c", PROBE, str(MODULE)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return version, [int(word) for word in done.stdout.split()]


def test_objects_are_made_immortal_where_python_can_and_work_goes_on() -> None:
    tried = {}
    for python in pythons():
        version, (made, child, *counts) = probe(python)
        tried[version] = made
        assert child == 0  # a forked child used them and ended well
        if version in ("3.12", "3.13"):
            assert made > 1_000  # the interpreter's modules, classes, functions
            assert counts == [immortal.IMMORTAL] * len(counts)  # a class, a function, ...
        else:
            assert made == 0 and all(count < immortal.IMMORTAL_BIT for count in counts)
    if not {"3.12", "3.13"} & tried.keys():
        pytest.skip(f"no CPython 3.12 or 3.13 here to make objects immortal: tried {tried}")
