"""`hiw-tui user password`, `user add-key`, `authorized-keys`, `ssh-session` and `audit verify`."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import text

from hiw_tui.cli import main
from hiw_tui.db.access.auth import check_password
from hiw_tui.db.core.append_only import allow_changes
from hiw_tui.db.core.engine import Database
from hiw_tui.db.households.households import open_household
from tests.helpers.clock import NOW
from tests.helpers.factories import person_input, register
from tests.helpers.staff import Staff, add_staff


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'hiw.db'}"


def test_a_password_is_read_from_standard_input_never_the_command_line(
    url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["user", "add", "kim", "--role", "programme_manager", "--database", url]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("a secret long enough\n"))
    assert main(["user", "password", "kim", "--database", url]) == 0
    result = Database(url).write(
        check_password,
        username="kim",
        password="a secret long enough",
        now=NOW,
        attempts=5,
        lock_minutes=1,
    )
    assert result.user is not None
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert main(["user", "password", "kim", "--database", url]) == 2
    assert "at least 10 characters" in capsys.readouterr().err


def test_authorized_keys_lines_force_the_launcher_for_each_key(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["user", "add", "kim", "--role", "programme_manager", "--database", url]) == 0
    key = tmp_path / "id"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
    assert main(["user", "add-key", "kim", f"{key}.pub", "--database", url]) == 0
    assert main(["user", "add-key", "kim", f"{key}.pub", "--database", url]) == 2  # once only
    (tmp_path / "junk.pub").write_text("not a key\n")
    assert main(["user", "add-key", "kim", str(tmp_path / "junk.pub"), "--database", url]) == 2
    capsys.readouterr()
    assert main(["--database", url, "authorized-keys", "kim"]) == 0
    [line] = capsys.readouterr().out.splitlines()
    public = (tmp_path / "id.pub").read_text().split()[1]
    assert line.startswith('restrict,pty,command="')
    assert f"--database {url} ssh-session kim" in line and public in line
    assert main(["--database", url, "authorized-keys", "nobody"]) == 2


def test_the_launcher_refuses_a_remote_command_and_a_missing_terminal(
    url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["user", "add", "kim", "--role", "programme_manager", "--database", url]) == 0
    monkeypatch.setenv("SSH_ORIGINAL_COMMAND", "cat /etc/passwd")
    assert main(["--database", url, "ssh-session", "kim"]) == 2
    assert "remote commands are not allowed" in capsys.readouterr().err
    monkeypatch.delenv("SSH_ORIGINAL_COMMAND")
    assert main(["--database", url, "ssh-session", "kim"]) == 2  # pytest's stdin is no terminal
    assert "needs a terminal" in capsys.readouterr().err


def test_audit_verify_reports_a_tampered_row(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["db", "upgrade", "--database", url]) == 0
    database = Database(url)
    staff: Staff = add_staff(database)
    record = register(database, staff.manager, staff.ada, person_input())
    database.write(open_household, actor=staff.ada, household_id=record.id)
    capsys.readouterr()
    assert main(["audit", "verify", "--database", url]) == 0
    assert "The audit trail is intact" in capsys.readouterr().out
    with database.engine.begin() as connection:  # what someone with the file could do
        for statement in allow_changes("sqlite", "audit_event"):
            connection.execute(text(statement))
        connection.execute(text("UPDATE audit_event SET action = 'nothing' WHERE seq = 2"))
    assert main(["audit", "verify", "--database", url]) == 1
    out = capsys.readouterr().out
    assert "row 2: changed since it was written" in out and "1 problem(s)" in out
