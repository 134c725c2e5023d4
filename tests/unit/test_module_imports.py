"""Every module of the transfer (whose parts import each other most) imports on its own,
first, in a fresh interpreter: an import cycle that the test suite's order hides (one
module imported before another) fails here."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import hiw_tui.transfer


def test_every_transfer_module_imports_first_on_its_own() -> None:
    package = hiw_tui.transfer
    names = [module.name for module in pkgutil.walk_packages(package.__path__, "hiw_tui.transfer.")]
    script = (
        "import importlib, subprocess, sys\n"
        "failed = [n for n in sys.argv[1:] if subprocess.run("
        "[sys.executable, '-c', f'import {n}'], capture_output=True).returncode]\n"
        "print('\\n'.join(failed))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, *names], capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == []
