"""`hiw-tui ssh-session USER` opens the app as USER without a password, so it runs only
as an SSH server starts it: typed at a terminal it refuses."""

from __future__ import annotations

import shlex
import shutil
import sys
from pathlib import Path

import pytest

from hiw_tui.cli import main
from tests.helpers.terminal import Terminal

pytestmark = pytest.mark.skipif(
    shutil.which("tmux") is None, reason="tmux is not installed (.ci/run installs it)"
)
# What sshd sets (client address and port, server address and port).
CONNECTION = {"SSH_CONNECTION": shlex.quote("192.0.2.7 50000 192.0.2.1 22")}
REFUSED = "started by serve-ssh or sshd"


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    url = f"sqlite:///{tmp_path_factory.mktemp('origin') / 'demo.db'}"
    assert main(["demo", "--database", url, "--households", "5", "--no-open"]) == 0
    return [sys.executable, "-m", "hiw_tui", "--database", url, "ssh-session", "manager"]


def test_typed_at_a_terminal_it_refuses(session: list[str]) -> None:
    terminal = Terminal(session, {})
    try:
        shown = terminal.wait_for("EXITED-")
        assert REFUSED in shown and "EXITED-2" in shown
    finally:
        terminal.close()


def test_typed_at_a_shell_of_an_ssh_login_it_refuses(session: list[str]) -> None:
    """SSH_CONNECTION is set in any SSH login's shell: a command typed there is a job of
    the shell, not the command sshd ran for the connection."""
    terminal = Terminal(["bash", "--norc", "--noprofile", "-i"], {})
    try:
        terminal.wait_for("bash-")
        line = f"SSH_CONNECTION={CONNECTION['SSH_CONNECTION']} {shlex.join(session)}; echo X-$?"
        terminal.keys("-l", line)  # literally: no key names
        terminal.keys("Enter")
        shown = terminal.wait_until(lambda shown: "X-2" in shown or "X-0" in shown, "an end")
        assert REFUSED in shown and "X-2" in shown
    finally:
        terminal.close()


def test_started_with_exec_or_a_multiplexer_outside_ssh_it_refuses(session: list[str]) -> None:
    """SSH_CONNECTION set by hand, in a session of its own (as `exec` at a terminal or a
    new tmux window gives): no SSH server above it."""
    terminal = Terminal(session, CONNECTION)
    try:
        shown = terminal.wait_for("EXITED-")
        assert REFUSED in shown and "EXITED-2" in shown
    finally:
        terminal.close()


def test_started_as_sshd_starts_a_forced_command_it_opens_the_app(
    session: list[str], tmp_path: Path
) -> None:
    """sshd runs the forced command through the user's shell (`sh -c COMMAND`): a shell
    whose process is named sshd stands in for it."""
    sshd = tmp_path / "sshd"
    sshd.symlink_to(shutil.which("bash") or "/bin/bash")
    forced = [str(sshd), "-c", shlex.quote(f"{shlex.join(session)}; exit $?")]
    terminal = Terminal(forced, CONNECTION)
    try:
        shown = terminal.wait_for("households · sorted", timeout=40)
        assert "Programme" in shown and REFUSED not in shown
    finally:
        terminal.close()
