"""Every module of the transfer (whose parts import each other most) imports on its own,
first, in a fresh interpreter: an import cycle that the test suite's order hides (one
module imported before another) fails here."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

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


def test_a_households_record_is_loaded_behind_sign_in_without_the_ssh_library(
    tmp_path: Path,
) -> None:
    """Opening the first household imported its screens then, half a second, the SSH
    library (for reading keys, through the caseloads' modules) a third of it."""
    script = (
        "import argparse, sys\n"
        "from hiw_tui.cli.launch import load_behind_sign_in\n"
        "load_behind_sign_in(argparse.Namespace(database=sys.argv[1], low_bandwidth=False))\n"
        "print('hiw_tui.screens.household.household_record' in sys.modules)\n"
        "print('asyncssh' in sys.modules)\n"
    )
    url = f"sqlite:///{tmp_path / 'hiw.db'}"
    result = subprocess.run(
        [sys.executable, "-c", script, url], capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["True", "False"]
