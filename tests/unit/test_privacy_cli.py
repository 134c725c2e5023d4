"""The data-protection commands: subject-access, retention, erase, backup, restore and
erasure-log, as an office runs them."""

from __future__ import annotations

from pathlib import Path

import pytest

from hiw_tui.cli import main


@pytest.fixture
def url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'hiw.db'}"
    assert main(["demo", "--database", url, "--households", "30", "--seed", "2", "--no-open"]) == 0
    return url


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_subject_access_writes_the_file_for_a_user_allowed_to(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "sar.txt"
    code, said = _run(
        capsys, "subject-access", "#1", "--out", str(out), "--database", url, "--user", "manager"
    )
    assert code == 0 and out.read_text().startswith("Everything held about ")
    code, said = _run(
        capsys, "subject-access", "#1", "--out", str(out), "--database", url, "--user", "auditor"
    )
    assert code == 2 and "cannot produce a subject-access export" in said
    code, said = _run(
        capsys,
        "subject-access",
        "NOPE-1",
        "--out",
        str(out),
        "--database",
        url,
        "--user",
        "manager",
    )
    assert code == 2 and "No person NOPE-1 is held" in said


def test_retention_dry_run_then_run_then_nothing_left(
    url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("HIW_RETENTION_MONTHS", "1")
    code, said = _run(capsys, "retention", "--dry-run", "--database", url, "--user", "manager")
    due = int(said.split("Would erase ")[1].split()[0])
    assert code == 0 and due > 0
    code, said = _run(capsys, "retention", "--database", url, "--user", "manager")
    assert f"Erased {due} households" in said
    code, said = _run(capsys, "retention", "--database", url, "--user", "manager")
    assert "Erased 0 households" in said
    code, said = _run(capsys, "retention", "--database", url, "--user", "advocate.halton.1")
    assert code == 2 and "cannot run the retention erasure" in said


def test_retention_dry_run_lists_only_what_the_user_may_see(
    url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from sqlmodel import select

    from hiw_tui.db.access.users import get_user
    from hiw_tui.db.core.engine import Database
    from hiw_tui.db.core.models import Household

    monkeypatch.setenv("HIW_RETENTION_MONTHS", "1")
    database = Database(url)
    advocate = database.read(get_user, username="advocate.halton.1")
    caseload = set(
        database.read(
            lambda session: session.exec(
                select(Household.reference).where(Household.advocate_id == advocate.id)
            ).all()
        )
    )
    _code, everyone = _run(capsys, "retention", "--dry-run", "--database", url, "--user", "manager")
    code, said = _run(
        capsys, "retention", "--dry-run", "--database", url, "--user", "advocate.halton.1"
    )
    listed = {line.split()[0] for line in said.splitlines() if not line.startswith("Would")}
    assert code == 0 and listed and listed <= caseload
    assert len(everyone.splitlines()) > len(said.splitlines())


def test_erase_lists_the_files_that_may_hold_the_person(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from hiw_tui.db.access.users import get_user
    from hiw_tui.db.audit import trail
    from hiw_tui.db.core.engine import Database
    from hiw_tui.db.core.models import Person

    database = Database(url)
    manager = database.read(get_user, username="manager")
    household_id = database.read(lambda session: session.get_one(Person, 2).household_id)
    database.write(
        trail.record,
        actor=manager,
        action="file",
        entity="subject-access",
        entity_id=0,
        household_id=household_id,
        changes={"path": [None, "/exports/sar-2.txt"], "person_id": [None, 2]},
    )
    database.write(  # a report of many households, written after the demo was made
        trail.record,
        actor=manager,
        action="file",
        entity="report",
        entity_id=0,
        changes={"path": [None, "/exports/cohort.csv"]},
    )
    code, said = _run(capsys, "erase", "#2", "--database", url, "--user", "manager")
    assert code == 0 and "delete or amend each" in said
    assert "/exports/sar-2.txt" in said and "/exports/cohort.csv" in said


def test_backup_restore_and_the_erasure_log(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy, log = tmp_path / "copy.db", tmp_path / "erasures.jsonl"
    assert _run(capsys, "backup", str(copy), "--database", url)[0] == 0
    code, said = _run(capsys, "backup", str(copy), "--database", url)
    assert code == 2 and "exists already" in said
    assert _run(capsys, "erase", "#2", "--database", url, "--user", "manager")[0] == 0
    assert _run(capsys, "erasure-log", str(log), "--database", url)[0] == 0
    assert '"person_id": 2' in log.read_text()
    code, said = _run(capsys, "restore", str(copy), "--database", url)
    assert code == 0 and "erased again since the backup: 1" in said
    # Restored into a fresh database (the original lost): the kept log erases them again.
    fresh = f"sqlite:///{tmp_path / 'fresh.db'}"
    assert _run(capsys, "restore", str(copy), "--database", fresh)[0] == 0
    code, said = _run(capsys, "erasure-log", str(log), "--replay", "--database", fresh)
    assert code == 0 and "Erased again: 1 of 1" in said
    code, said = _run(capsys, "restore", str(log), "--database", url)
    assert code == 2 and "it is not a database" in said


def test_backup_on_postgresql_points_at_pg_dump(
    postgres_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, said = _run(capsys, "backup", str(tmp_path / "x.db"), "--database", postgres_url)
    assert code == 2 and "pg_dump" in said
