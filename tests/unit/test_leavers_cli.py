"""`hiw-tui user deactivate`, `reactivate`, `remove-key` and `reassign-caseload`, and
the keys `user show` lists."""

from __future__ import annotations

from pathlib import Path

import asyncssh
import pytest

from hiw_tui.cli import main
from hiw_tui.db.access.users import get_user
from hiw_tui.db.core.engine import Database
from hiw_tui.db.households.households import HouseholdFilter, list_households
from tests.helpers.factories import person_input, register
from tests.helpers.staff import Staff, add_staff


@pytest.fixture
def url(sqlite_database: Database) -> str:
    return sqlite_database.url


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main([*argv])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


@pytest.fixture
def staff_db(sqlite_database: Database) -> Staff:
    return add_staff(sqlite_database)


def test_a_supervisor_deactivates_and_reactivates_at_the_command_line(
    sqlite_database: Database, staff_db: Staff, url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    register(sqlite_database, staff_db.manager, staff_db.ada, person_input())
    code, said = _run(capsys, "user", "deactivate", "ada.adv", "--database", url)
    assert code == 2 and "--user USERNAME" in said
    code, said = _run(
        capsys, "--user", "sam.super", "user", "deactivate", "ada.adv", "--database", url
    )
    assert code == 0 and "Deactivated ada.adv" in said
    assert "1 household(s) are still on their caseload" in said
    assert "reassign-caseload ada.adv TO --reason TEXT --user sam.super" in said
    assert not sqlite_database.read(get_user, username="ada.adv").active
    code, said = _run(capsys, "user", "show", "ada.adv", "--database", url)
    assert "Account:         deactivated" in said
    code, said = _run(capsys, "user", "list", "--database", url)
    assert "Ada Adv (inactive)" in said and "Ben Adv (inactive)" not in said
    code, said = _run(capsys, "user", "unlock", "ada.adv", "--database", url)
    assert code == 2 and "hiw-tui user reactivate ada.adv" in said
    code, said = _run(
        capsys, "user", "reactivate", "ada.adv", "--user", "wyn.super", "--database", url
    )
    assert code == 2 and "No user called 'ada.adv' in your area." in said
    code, said = _run(
        capsys, "user", "reactivate", "ada.adv", "--user", "sam.super", "--database", url
    )
    assert code == 0 and sqlite_database.read(get_user, username="ada.adv").active


def test_an_advocate_cannot_deactivate_anyone(
    staff_db: Staff, url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, said = _run(
        capsys, "user", "deactivate", "ben.adv", "--user", "ada.adv", "--database", url
    )
    assert code == 2 and "Your role (advocate) cannot deactivate a user." in said


def test_keys_are_listed_and_removed(
    staff_db: Staff, url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    key = asyncssh.generate_private_key("ssh-ed25519", comment="ada-laptop")
    public = tmp_path / "id_ed25519.pub"
    public.write_bytes(key.export_public_key("openssh"))
    assert _run(capsys, "user", "add-key", "ada.adv", str(public), "--database", url)[0] == 0
    fingerprint = key.get_fingerprint("sha256")
    code, said = _run(capsys, "user", "show", "ada.adv", "--database", url)
    assert "SSH keys:        1" in said and f"{fingerprint} ada-laptop" in said
    code, said = _run(
        capsys, "user", "remove-key", "ada.adv", fingerprint, "--user", "pat.manager",
        "--database", url,
    )  # fmt: skip
    assert code == 0 and "Removed the key" in said
    code, said = _run(capsys, "user", "show", "ada.adv", "--database", url)
    assert "SSH keys:        0" in said and fingerprint not in said


def test_a_caseload_is_moved_with_a_reason(
    sqlite_database: Database, staff_db: Staff, url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    for reference in ("LIV-1", "LIV-2", "LIV-3"):
        register(
            sqlite_database, staff_db.manager, staff_db.ada, person_input(), reference=reference
        )
    move = ["user", "reassign-caseload", "ada.adv", "ben.adv", "--database", url]
    code, said = _run(capsys, *move, "--user", "sam.super", "--reason", " ")
    assert code == 2 and "reason: This is required." in said
    code, said = _run(capsys, *move, "--user", "wyn.super", "--reason", "Left")
    assert code == 2 and "No user called 'ada.adv' in your area." in said
    code, said = _run(
        capsys, *move, "--user", "sam.super", "--reason", "Left", "--household", "LIV-2"
    )
    assert code == 0 and "Moved 1 household(s) from ada.adv to ben.adv: LIV-2" in said
    code, said = _run(capsys, *move, "--user", "sam.super", "--reason", "Left")
    assert code == 0 and "Moved 2 household(s) from ada.adv to ben.adv: LIV-1, LIV-3" in said
    bens = sqlite_database.read(
        list_households, actor=staff_db.ben, where=HouseholdFilter(), limit=10
    )
    assert sorted(row.reference for row in bens) == ["LIV-1", "LIV-2", "LIV-3"]
    code, said = _run(capsys, *move, "--user", "sam.super", "--reason", "Left")
    assert code == 2 and "no households on their caseload" in said
