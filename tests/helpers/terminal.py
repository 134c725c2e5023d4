"""The installed command in a tmux session at 80x24: read the screen and send keys."""

from __future__ import annotations

import subprocess
import time
import uuid
from collections.abc import Callable

from hiw_tui.demo.generate import DEMO_PASSWORD


class Terminal:
    def __init__(self, command: list[str], env: dict[str, str], *, server: str = "") -> None:
        """`server` names a tmux server of the test's own (the default is shared)."""
        self.name = f"hiw-{uuid.uuid4().hex[:8]}"
        self.tmux = ["tmux", "-L", server, "-f", "/dev/null"] if server else ["tmux"]
        exports = " ".join(f"{key}={value}" for key, value in env.items())
        shell_command = f"env {exports} {' '.join(command)}; echo EXITED-$?; sleep 30"
        new_session = [*self.tmux, "new-session", "-d", "-s", self.name, "-x", "80", "-y", "24"]
        # Tests running side by side share one tmux server, which exits when its last
        # session closes: a session started just then fails, and is started again.
        for _ in range(5):
            started = subprocess.run([*new_session, shell_command], capture_output=True)
            if started.returncode == 0:
                return
            time.sleep(0.2)
        raise AssertionError(f"tmux did not start: {started.stderr.decode()}")

    def screen(self) -> str:
        return subprocess.run(
            [*self.tmux, "capture-pane", "-p", "-t", self.name],
            check=True,
            capture_output=True,
            text=True,
        ).stdout

    def keys(self, *keys: str) -> None:
        for key in keys:
            subprocess.run([*self.tmux, "send-keys", "-t", self.name, key], check=True)
            time.sleep(0.05)

    def burst(self, *keys: str) -> None:
        """Type `keys` all at once, as they arrive over SSH or on a busy machine: tmux
        writes the keys of one send-keys command to the terminal in a single write, so
        the app reads them together."""
        subprocess.run([*self.tmux, "send-keys", "-t", self.name, *keys], check=True)

    def wait_until(self, shows: Callable[[str], bool], what: str, timeout: float = 20) -> str:
        """The screen, once `shows(screen)` is true; `what` says what was awaited."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            shown = self.screen()
            if shows(shown):
                return shown
            time.sleep(0.1)
        raise AssertionError(f"{what} never happened; the screen shows:\n{self.screen()}")

    def wait_for(self, text: str, timeout: float = 20) -> str:
        return self.wait_until(lambda shown: text in shown, f"{text!r} appearing", timeout)

    def wait_until_gone(self, text: str, timeout: float = 20) -> str:
        return self.wait_until(lambda shown: text not in shown, f"{text!r} going", timeout)

    def wait_for_field(self, label: str, value: str) -> str:
        """The screen, once the form field labelled `label` holds `value` (and only it)."""
        return self.wait_until(
            lambda shown: field_value(shown, label) == value, f"{label} holding {value!r}"
        )

    def sign_in(self, password: str = DEMO_PASSWORD) -> str:
        """At the sign-in screen (username filled in from --user): type the password."""
        self.wait_for("Password")
        self.keys(*password, "Enter")
        return self.wait_for("of 120 households")

    def colours_and_mouse(self) -> tuple[str, str]:
        """The screen with its colour codes, and whether the app asked for mouse reports."""
        coloured = subprocess.run(
            [*self.tmux, "capture-pane", "-e", "-p", "-t", self.name],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        mouse = subprocess.run(
            [*self.tmux, "display-message", "-p", "-t", self.name, "#{mouse_any_flag}"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        return coloured, mouse

    def cursor(self) -> tuple[int, int]:
        """Where the terminal's cursor is: column and line, from 0."""
        x, y = self.tmux_command(
            "display-message", "-p", "-t", self.name, "#{cursor_x} #{cursor_y}"
        ).split()
        return int(x), int(y)

    def cursor_shown(self) -> bool:
        """Whether the terminal shows its cursor."""
        shown = self.tmux_command("display-message", "-p", "-t", self.name, "#{cursor_flag}")
        return shown.strip() == "1"

    def line_at_cursor(self) -> str:
        """The screen's line the cursor is on, from the cursor onwards."""
        x, y = self.cursor()
        return self.screen().splitlines()[y][x:]

    def tmux_command(self, *args: str) -> str:
        """A tmux command's output, on this terminal's server."""
        return subprocess.run(
            [*self.tmux, *args], check=True, capture_output=True, text=True
        ).stdout

    def close(self) -> None:
        subprocess.run([*self.tmux, "kill-session", "-t", self.name], check=False)


def field_value(shown: str, label: str) -> str | None:
    """What the form field labelled `label` shows on the screen `shown` (None if absent):
    the rest of its line inside the dialog's border, without a select's arrow."""
    for line in shown.splitlines():
        if label in line:
            return line.split(label, 1)[1].split("█")[0].strip(" ▼")
    return None
