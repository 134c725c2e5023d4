"""The command line: users, and the database chosen by flag or environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from hiw_tui.cli import main
from hiw_tui.db.engine import Database
from hiw_tui.db.users import get_user
from hiw_tui.domain.codes import UserRole


def test_user_add_and_list(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'users.db'}"
    assert (
        main(
            [
                "user",
                "add",
                "kim.adv",
                "--role",
                "advocate",
                "--local-authority",
                "sefton",
                "--name",
                "Kim Ng",
                "--database",
                url,
            ]
        )
        == 0
    )
    assert main(["user", "add", "pm", "--role", "programme_manager", "--database", url]) == 0
    assert main(["user", "list", "--database", url]) == 0
    out = capsys.readouterr().out
    assert "kim.adv" in out and "sefton" in out and "all areas" in out
    kim = Database(url).read(get_user, username="KIM.ADV")
    assert (kim.role, kim.local_authority, kim.display_name) == (
        UserRole.ADVOCATE,
        "sefton",
        "Kim Ng",
    )


def test_user_add_explains_what_is_wrong(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'users.db'}"
    assert main(["user", "add", "lee", "--role", "supervisor", "--database", url]) == 2
    assert "needs a local authority" in capsys.readouterr().err
    assert (
        main(
            [
                "user",
                "add",
                "lee",
                "--role",
                "supervisor",
                "--local-authority",
                "wirral",
                "--database",
                url,
            ]
        )
        == 0
    )
    assert (
        main(
            [
                "user",
                "add",
                "Lee",
                "--role",
                "advocate",
                "--local-authority",
                "wirral",
                "--database",
                url,
            ]
        )
        == 2
    )
    assert "already a user called lee" in capsys.readouterr().err


def test_the_database_comes_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("HIW_DATABASE_URL", f"sqlite:///{tmp_path / 'env.db'}")
    assert main(["user", "add", "env.user", "--role", "programme_manager"]) == 0
    assert (tmp_path / "env.db").exists()


def test_the_default_database_lives_in_the_users_data_folder(tmp_path: Path) -> None:
    assert main(["user", "add", "first", "--role", "programme_manager"]) == 0
    assert list((tmp_path / "xdg-data").rglob("hiw.db"))
