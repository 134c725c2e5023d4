"""`hiw-tui user lock`, `user unlock` and `user show`."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest

from hiw_tui.cli import main
from hiw_tui.db.access.auth import WRONG, SignIn, check_password
from hiw_tui.db.core.engine import Database

PASSWORD = "a secret long enough"


def _sign_in(url: str, password: str = PASSWORD) -> SignIn:
    return Database(url).write(
        check_password,
        username="kim",
        password=password,
        now=datetime.now(UTC),
        attempts=2,
        lock_minutes=60,
    )


def _show(url: str, capsys: pytest.CaptureFixture[str]) -> str:
    capsys.readouterr()
    assert main(["user", "show", "kim", "--database", url]) == 0
    return capsys.readouterr().out


def test_an_account_is_locked_unlocked_and_shown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'hiw.db'}"
    assert main(["user", "add", "kim", "--role", "programme_manager", "--database", url]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{PASSWORD}\n"))
    assert main(["user", "password", "kim", "--database", url]) == 0
    assert _sign_in(url).user is not None
    shown = _show(url, capsys)
    assert "Account:         open" in shown and "Password:        set" in shown
    assert "Last sign-in:    never" not in shown

    assert main(["user", "lock", "kim", "--database", url]) == 0
    assert _sign_in(url).message == WRONG  # the right password, and nothing said of the lock
    assert "locked by an administrator" in _show(url, capsys)

    assert main(["user", "unlock", "kim", "--database", url]) == 0
    assert _sign_in(url).user is not None
    for _ in range(2):
        _sign_in(url, "a wrong guess")  # locks it for an hour
    shown = _show(url, capsys)
    assert "Account:         open" not in shown and "Wrong in a row:  0" in shown
    assert _sign_in(url).user is None
    assert main(["user", "unlock", "kim", "--database", url]) == 0
    assert _sign_in(url).user is not None

    assert main(["user", "lock", "nobody", "--database", url]) == 2
    assert "No user called 'nobody'" in capsys.readouterr().err
