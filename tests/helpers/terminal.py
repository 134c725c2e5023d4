"""The installed command in a tmux session at 80x24: read the screen and send keys."""

from __future__ import annotations

import subprocess
import time
import uuid

from hiw_tui.demo.generate import DEMO_PASSWORD


class Terminal:
    def __init__(self, command: list[str], env: dict[str, str]) -> None:
        self.name = f"hiw-{uuid.uuid4().hex[:8]}"
        exports = " ".join(f"{key}={value}" for key, value in env.items())
        shell_command = f"env {exports} {' '.join(command)}; echo EXITED-$?; sleep 30"
        subprocess.run(
            ["tmux", "new-session", "-d", "-s", self.name, "-x", "80", "-y", "24", shell_command],
            check=True,
        )

    def screen(self) -> str:
        return subprocess.run(
            ["tmux", "capture-pane", "-p", "-t", self.name],
            check=True,
            capture_output=True,
            text=True,
        ).stdout

    def keys(self, *keys: str) -> None:
        for key in keys:
            subprocess.run(["tmux", "send-keys", "-t", self.name, key], check=True)
            time.sleep(0.05)

    def wait_for(self, text: str, timeout: float = 20) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            shown = self.screen()
            if text in shown:
                return shown
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never appeared; the screen shows:\n{self.screen()}")

    def wait_until_gone(self, text: str, timeout: float = 20) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            shown = self.screen()
            if text not in shown:
                return shown
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never went; the screen shows:\n{self.screen()}")

    def sign_in(self, password: str = DEMO_PASSWORD) -> str:
        """At the sign-in screen (username filled in from --user): type the password."""
        self.wait_for("Password")
        self.keys(*password, "Enter")
        return self.wait_for("of 120 households")

    def colours_and_mouse(self) -> tuple[str, str]:
        """The screen with its colour codes, and whether the app asked for mouse reports."""
        coloured = subprocess.run(
            ["tmux", "capture-pane", "-e", "-p", "-t", self.name],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        mouse = subprocess.run(
            ["tmux", "display-message", "-p", "-t", self.name, "#{mouse_any_flag}"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        return coloured, mouse

    def close(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.name], check=False)
