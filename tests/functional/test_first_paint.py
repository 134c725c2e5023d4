"""Launching the app draws the sign-in screen before the data layer is imported.

The app runs in a fresh Python process in a pseudo-terminal, with an import hook that
writes a marker to the terminal the first time SQLAlchemy, SQLModel or `hiw_tui.db` is
in `sys.modules` (or being imported): the sign-in screen must be on the terminal first.
"""

from __future__ import annotations

import os
import pty
import select
import signal
import sys
import time
from pathlib import Path

MARKER = b"<data layer imported>"
FIRST_STAGE = f"""
import os
import sys

DATA_LAYER = ("sqlalchemy", "sqlmodel", "hiw_tui.db")


def data_layer_seen(event, args):
    if event != "import" or data_layer_seen.done:
        return
    names = [str(args[0]), *sys.modules]
    if any(name == top or name.startswith(top + ".") for name in names for top in DATA_LAYER):
        data_layer_seen.done = True
        os.write(1, {MARKER!r})


data_layer_seen.done = False
sys.addaudithook(data_layer_seen)
from hiw_tui.cli import main

sys.exit(main(sys.argv[1:]))
"""


def test_the_sign_in_screen_is_drawn_before_the_data_layer_is_imported(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    command = [sys.executable, "-c", FIRST_STAGE, "--database", url, "--user", "manager"]
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["TERM"] = "xterm-256color"
        os.execv(sys.executable, command)
    seen = b""
    try:
        deadline = time.monotonic() + 30
        while MARKER not in seen and time.monotonic() < deadline:
            if select.select([fd], [], [], 0.1)[0]:
                seen += os.read(fd, 65536)
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)
    assert MARKER in seen, "the data layer was never loaded"
    drawn = seen.find(b"Enter signs in")  # the dialog's last line
    assert drawn != -1 and b"Password" in seen[:drawn], "the sign-in screen was not drawn"
    assert drawn < seen.index(MARKER), "the data layer was imported before the screen"
