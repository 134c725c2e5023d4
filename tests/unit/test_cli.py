"""The command line: users, and the database chosen by flag or environment."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from hiw_tui.cli import main
from hiw_tui.db.access.users import get_user
from hiw_tui.db.core.engine import Database
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


def test_database_before_the_subcommand_is_the_one_used(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`hiw-tui --database URL user ...` (the SSH launcher's form) must not fall back to the
    default database because the subcommand also accepts --database."""
    url = f"sqlite:///{tmp_path / 'chosen.db'}"
    assert main(["--database", url, "user", "add", "pm", "--role", "programme_manager"]) == 0
    assert Database(url).read(get_user, username="pm").role is UserRole.PROGRAMME_MANAGER
    assert not (tmp_path / "xdg-data" / "hiw-tui" / "hiw.db").exists()


@pytest.mark.parametrize("flag", [True, False], ids=["low-bandwidth", "full"])
def test_the_low_bandwidth_profile_sets_colours_animation_escape_delay_and_mouse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, flag: bool
) -> None:
    from hiw_tui.app import HiwApp

    for name in ("TEXTUAL_COLOR_SYSTEM", "TEXTUAL_ANIMATIONS", "ESCDELAY"):
        monkeypatch.setenv(name, "")  # so that what the command sets is undone after
        monkeypatch.delenv(name)
    ran: dict[str, object] = {}
    monkeypatch.setattr(HiwApp, "run", lambda self, mouse=True: ran.update(mouse=mouse))
    url = f"sqlite:///{tmp_path / 'hiw.db'}"
    assert main(["--database", url, *(["--low-bandwidth"] if flag else [])]) == 0
    profile = {name: os.environ.get(name) for name in ("TEXTUAL_COLOR_SYSTEM", "ESCDELAY")}
    if flag:
        assert profile == {"TEXTUAL_COLOR_SYSTEM": "standard", "ESCDELAY": "400"}
        assert os.environ["TEXTUAL_ANIMATIONS"] == "none" and ran == {"mouse": False}
    else:
        assert profile == {"TEXTUAL_COLOR_SYSTEM": None, "ESCDELAY": None}
        assert ran == {"mouse": True}


def test_an_ssh_servers_colour_choice_survives_the_profile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hiw_tui.app import HiwApp

    monkeypatch.setenv("TEXTUAL_COLOR_SYSTEM", "256")
    monkeypatch.setenv("ESCDELAY", "")  # so that what the command sets is undone after
    monkeypatch.delenv("ESCDELAY")
    monkeypatch.setattr(HiwApp, "run", lambda self, mouse=True: None)
    assert main(["--low-bandwidth", "--database", f"sqlite:///{tmp_path / 'hiw.db'}"]) == 0
    assert os.environ["TEXTUAL_COLOR_SYSTEM"] == "256" and os.environ["ESCDELAY"] == "400"


def test_the_app_starts_where_posix_only_signals_are_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Windows has no SIGHUP: the app opens at the sign-in screen all the same."""
    import signal

    from textual.pilot import Pilot

    from hiw_tui.app import HiwApp

    monkeypatch.delattr(signal, "SIGHUP")
    start = HiwApp.run
    shown: list[str] = []

    async def look(pilot: Pilot[None]) -> None:
        await pilot.pause()
        shown.append(type(pilot.app.screen).__name__)
        pilot.app.exit()

    def run_headless(app: HiwApp, mouse: bool = True) -> None:
        start(app, headless=True, auto_pilot=look)

    monkeypatch.setattr(HiwApp, "run", run_headless)
    assert main(["--database", f"sqlite:///{tmp_path / 'hiw.db'}"]) == 0
    assert shown == ["SignInScreen"]


def test_a_refusal_is_one_line_whatever_the_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'hiw.db'}"
    assert main(["user", "add", "aud", "--role", "auditor", "--database", url]) == 0
    capsys.readouterr()
    assert main(["export", str(tmp_path / "out"), "--user", "aud", "--database", url]) == 2
    err = capsys.readouterr().err
    assert err == (
        "hiw-tui: Your role (auditor) cannot export people's records "
        "(they hold sensitive fields).\n"
    )


def test_output_cut_short_by_its_reader_ends_without_a_traceback(tmp_path: Path) -> None:
    """`hiw-tui report ... | head -5`: the reader goes before the report is written."""
    import subprocess
    import sys

    url = f"sqlite:///{tmp_path / 'demo.db'}"
    assert main(["demo", "--no-open", "--households", "20", "--database", url]) == 0
    command = [sys.executable, "-m", "hiw_tui", "--database", url, "report", "cohort"]
    with subprocess.Popen(
        [*command, "--user", "manager", "--format", "csv"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as report:
        assert report.stdout is not None and report.stderr is not None
        report.stdout.close()  # the reader has gone
        errors = report.stderr.read().decode()
    assert report.returncode == 1 and errors == ""
