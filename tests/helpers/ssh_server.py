"""The embedded SSH server in its own process, on a small demo, with a key for a
supervisor and one that is nobody's; and the OpenSSH client's command line for it."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import text

from hiw_tui.cli import main
from hiw_tui.db.core.engine import Database


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _keygen(path: Path) -> Path:
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(path)], check=True)
    return path


class Server:
    def __init__(
        self,
        folder: Path,
        command: list[str] | None = None,
        *,
        hangup_ignored: bool = False,
        sessions_per_user: int = 1,
    ) -> None:
        """`hiw-tui serve-ssh`, or `command` (given the URL and port) in its place; with
        `hangup_ignored`, started as `nohup` would start it."""
        self.url = f"sqlite:///{folder / 'hiw.db'}"
        assert main(["demo", "--database", self.url, "--households", "30", "--no-open"]) == 0
        self.key = _keygen(folder / "id_supervisor")
        self.wrong = _keygen(folder / "id_stranger")
        assert (
            main(
                ["user", "add-key", "supervisor.wirral", f"{self.key}.pub", "--database", self.url]
            )
            == 0
        )
        self.port = _free_port()
        environment = {
            **os.environ,
            "XDG_DATA_HOME": str(folder / "data"),
            "HIW_SSH_SESSIONS_PER_USER": str(sessions_per_user),
            "HIW_SSH_FAILURES_PER_MINUTE": "4",
        }
        self.log = (folder / "server.log").open("w")
        serve = [sys.executable, "-m", "hiw_tui", "--database", self.url, "serve-ssh"]
        self.process = subprocess.Popen(
            [*(command or [*serve, "--host", "127.0.0.1", "--port"]), str(self.port)],
            stdout=self.log,
            stderr=subprocess.STDOUT,
            env=environment,
            preexec_fn=(lambda: signal.signal(signal.SIGHUP, signal.SIG_IGN))
            if hangup_ignored
            else None,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.2)
        raise AssertionError("the SSH server did not start")

    def ssh(self, key: Path, *extra: str, log: str = "ERROR") -> list[str]:
        options = {
            "BatchMode": "yes",
            "StrictHostKeyChecking": "no",
            "UserKnownHostsFile": "/dev/null",
            "IdentitiesOnly": "yes",
            "LogLevel": log,
        }
        settings = [part for name, value in options.items() for part in ("-o", f"{name}={value}")]
        return [
            "ssh", "-F", "/dev/null", *settings, "-p", str(self.port), "-i", str(key),
            *extra, "supervisor.wirral@127.0.0.1",
        ]  # fmt: skip

    def audited(self, action: str) -> list[dict[str, object]]:
        with Database(self.url).engine.connect() as connection:
            rows = connection.execute(
                text("SELECT changes FROM audit_event WHERE action = :action"), {"action": action}
            )
            return [json.loads(row[0]) for row in rows]

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)
        self.log.close()
