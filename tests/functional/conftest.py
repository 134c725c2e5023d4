"""Every app a functional test starts (in tmux, over SSH) has ended when the run ends:
an app that outlives its terminal is a session nobody can see, still holding its
database connection."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest


def _apps_under(folder: Path) -> list[str]:
    """The command lines of the apps still running with a database under `folder`."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            argv = cmdline.read_bytes().split(b"\0")
        except OSError:
            continue  # ended meanwhile
        words = [word.decode(errors="replace") for word in argv if word]
        ours = any(str(folder) in word for word in words)
        if ours and Path(words[0]).name.startswith("python") and "hiw_tui" in words:
            found.append(" ".join(words))
    return found


@pytest.fixture(scope="session", autouse=True)
def _no_app_left_running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    yield
    folder = tmp_path_factory.getbasetemp()
    deadline = time.monotonic() + 15  # the longest an app is given once its terminal goes
    while _apps_under(folder) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert _apps_under(folder) == []
