"""Encryption at rest (SQLCipher): nothing planted is readable in the file, its WAL or
its backup; a wrong or missing key is a clear message; the key never comes from argv."""

from __future__ import annotations

from pathlib import Path

import pytest

from hiw_tui.cli import main
from hiw_tui.db.access.users import list_users
from hiw_tui.db.core.backup import backup
from hiw_tui.db.core.engine import Database, DatabaseKeyError
from hiw_tui.db.core.schema import ensure_current
from tests.helpers.factories import person_input, register
from tests.helpers.staff import add_staff

KEY = "correct horse battery staple"


def _encrypted(path: Path, key: str | None = KEY) -> Database:
    database = Database(f"sqlite:///{path}", key=key)
    ensure_current(database.engine)
    return database


def test_the_file_its_wal_and_its_backup_read_as_noise(tmp_path: Path) -> None:
    database = _encrypted(tmp_path / "hiw.db")
    staff = add_staff(database)
    register(
        database,
        staff.manager,
        staff.ada,
        person_input(given_name="Wilhelmina", family_name="Quarrington", postcode="L9 9ZZ"),
    )
    backup(database, tmp_path / "copy.db")
    planted = [b"Wilhelmina", b"Quarrington", b"L9 9ZZ", b"SQLite format 3"]
    for name in ("hiw.db", "hiw.db-wal", "copy.db"):
        path = tmp_path / name
        if path.exists():
            raw = path.read_bytes()
            assert [value for value in planted if value in raw] == [], name
    database.dispose()
    copy = Database(f"sqlite:///{tmp_path / 'copy.db'}", key=KEY)
    assert "ada.adv" in [user.username for user in copy.read(list_users)]


def test_a_wrong_or_missing_key_says_so(tmp_path: Path) -> None:
    _encrypted(tmp_path / "hiw.db").dispose()
    with pytest.raises(DatabaseKeyError, match="the database key is wrong"):
        _encrypted(tmp_path / "hiw.db", key="not the key")
    with pytest.raises(DatabaseKeyError, match="it is encrypted"):
        _encrypted(tmp_path / "hiw.db", key=None)


def test_the_command_reads_the_key_from_the_environment_or_a_file_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'hiw.db'}"
    monkeypatch.setenv("HIW_DATABASE_KEY", KEY)
    assert (
        main(
            [
                "user",
                "add",
                "--database",
                url,
                "pat",
                "--name",
                "Pat",
                "--role",
                "programme_manager",
            ]
        )
        == 0
    )
    assert b"pat" not in (tmp_path / "hiw.db").read_bytes()
    monkeypatch.delenv("HIW_DATABASE_KEY")
    key_file = tmp_path / "key"
    key_file.write_text("wrong key\n")
    monkeypatch.setenv("HIW_DATABASE_KEY_FILE", str(key_file))
    assert main(["user", "list", "--database", url]) == 2
    assert "the database key is wrong" in capsys.readouterr().err
    key_file.write_text(f"{KEY}\n")
    assert main(["user", "list", "--database", url]) == 0
    assert "pat" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["--key", KEY, "user", "list", "--database", url])
