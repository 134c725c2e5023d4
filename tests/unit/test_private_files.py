"""Every file the app writes is mode 600 in a folder of mode 700, and each file that may
hold a person's data is in the audit trail; a file that fails is neither left nor
audited."""

from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from hiw_tui.cli import main
from hiw_tui.db.audit.key import AuditKey
from hiw_tui.db.core.engine import Database
from hiw_tui.db.core.private import private_folder, private_text
from hiw_tui.db.core.schema import upgrade
from hiw_tui.db.privacy.files import record_file
from hiw_tui.transfer.casework import CASEWORK_FILES
from hiw_tui.transfer.files import FILES
from tests.helpers.dataset import DATASET
from tests.helpers.pdf import pdf_text
from tests.helpers.staff import Staff, add_staff


@pytest.fixture
def staffed(sqlite_database: Database) -> tuple[Database, Staff]:
    staff = add_staff(sqlite_database)
    url = sqlite_database.url
    assert main(["import", str(DATASET), "--user", "pat.manager", "--database", url]) == 0
    return sqlite_database, staff


def run(database: Database, *args: str, user: str = "pat.manager") -> int:
    return main([*args, "--user", user, "--database", database.url])


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def assert_private(path: Path, *, folders: int = 1) -> None:
    """`path` is 600, and the `folders` levels above it that the app made are 700."""
    assert mode(path) == 0o600, path
    for folder in list(path.parents)[:folders]:
        assert mode(folder) == 0o700, folder


def file_rows(database: Database) -> list[dict[str, Any]]:
    with database.engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT entity, entity_id, household_id, changes FROM audit_event "
                "WHERE action = 'file' ORDER BY id"
            )
        )
        return [
            {
                "entity": entity,
                "entity_id": entity_id,
                "household_id": household_id,
                "changes": json.loads(changes) if isinstance(changes, str) else changes,
            }
            for entity, entity_id, household_id, changes in rows
        ]


@pytest.mark.parametrize("fmt", ["table", "csv", "json", "xlsx"])
def test_a_report_written_to_a_file_is_private_and_audited(
    staffed: tuple[Database, Staff], tmp_path: Path, fmt: str
) -> None:
    database, _ = staffed
    out = tmp_path / "made" / "here" / f"performance.{fmt}"
    assert run(database, "report", "performance", "--format", fmt, "--out", str(out)) == 0
    assert_private(out, folders=2)
    assert out.read_bytes().startswith(b"\xef\xbb\xbf") == (fmt == "csv")
    assert file_rows(database) == [
        {
            "entity": "report",
            "entity_id": 0,
            "household_id": None,
            "changes": {"path": [None, str(out.resolve())]},
        }
    ]


def test_a_report_that_cannot_be_written_is_not_audited(
    staffed: tuple[Database, Staff], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database, _ = staffed
    taken = tmp_path / "taken"
    taken.write_text("a file where a folder should be", encoding="utf-8")
    out = taken / "performance.csv"
    assert run(database, "report", "performance", "--format", "csv", "--out", str(out)) == 2
    assert "cannot write" in capsys.readouterr().err
    assert file_rows(database) == []
    with database.engine.connect() as connection:
        exports = connection.execute(
            text("SELECT count(*) FROM audit_event WHERE action = 'export'")
        ).scalar_one()
    assert exports == 0


def test_the_export_files_are_private_and_each_audited(
    staffed: tuple[Database, Staff], tmp_path: Path
) -> None:
    database, _ = staffed
    folder = tmp_path / "new" / "export"
    assert run(database, "export", str(folder)) == 0
    files = sorted(folder.iterdir())
    assert len(files) == len(FILES) + len(CASEWORK_FILES) + 1  # and the manifest
    for path in files:
        assert_private(path, folders=2)
    rows = file_rows(database)
    assert {row["entity"] for row in rows} == {"export"}
    assert sorted(row["changes"]["path"][1] for row in rows) == [
        str(path.resolve()) for path in files
    ]


@pytest.mark.parametrize(
    ("name", "options", "pdf"),
    [("p7.txt", (), False), ("p7.pdf", (), True), ("p7.out", ("--format", "pdf"), True)],
)
def test_subject_access_from_the_command_line_is_private_and_audited(
    staffed: tuple[Database, Staff], tmp_path: Path, name: str, options: tuple[str, ...], pdf: bool
) -> None:
    """Plain text, or a PDF when the file's name or `--format` says so."""
    database, _ = staffed
    out = tmp_path / "requests" / name
    assert run(database, "subject-access", "P7", "--out", str(out), *options) == 0
    assert_private(out)
    written = pdf_text(out) if pdf else out.read_text(encoding="utf-8")
    assert written.startswith("Everything held about ")
    with database.engine.connect() as connection:
        person, household = connection.execute(
            text("SELECT id, household_id FROM person WHERE reference = 'P7'")
        ).one()
    assert file_rows(database) == [
        {
            "entity": "subject-access",
            "entity_id": person,
            "household_id": household,
            "changes": {"path": [None, str(out.resolve())], "person_id": [None, person]},
        }
    ]


def test_the_erasure_log_and_a_backup_are_private(
    staffed: tuple[Database, Staff], tmp_path: Path
) -> None:
    database, _ = staffed
    log, copy = tmp_path / "logs" / "erasures.jsonl", tmp_path / "backups" / "copy.db"
    assert main(["erasure-log", str(log), "--database", database.url]) == 0
    assert main(["backup", str(copy), "--database", database.url]) == 0
    assert_private(log)
    assert_private(copy)


def test_a_looser_folder_is_tightened_only_when_it_is_the_apps_own(tmp_path: Path) -> None:
    own, named = tmp_path / "own", tmp_path / "named"
    for folder in (own, named):
        folder.mkdir(mode=0o755)
        folder.chmod(0o755)
    private_folder(own, own=True)
    private_folder(named)
    assert (mode(own), mode(named)) == (0o700, 0o755)
    old = named / "old.txt"
    old.write_text("before", encoding="utf-8")
    old.chmod(0o644)
    with private_text(old) as file:
        file.write("after")
    assert mode(old) == 0o600 and old.read_text(encoding="utf-8") == "after"


def test_a_file_half_written_is_removed(tmp_path: Path) -> None:
    path = tmp_path / "half.txt"
    with pytest.raises(RuntimeError), private_text(path) as file:
        file.write("half")
        raise RuntimeError("disk full")
    assert not path.exists()


def test_a_file_whose_audit_row_is_lost_is_removed(
    staffed: tuple[Database, Staff], tmp_path: Path
) -> None:
    database, staff = staffed
    kept, lost = tmp_path / "kept.txt", tmp_path / "lost.txt"

    def write(session: Any, path: Path, fail: bool) -> None:
        with private_text(path) as file:
            file.write("someone's data")
        record_file(session, actor=staff.manager, kind="report", path=path)
        if fail:
            raise RuntimeError("the transaction fails after the file is written")

    database.write(write, kept, False)
    with pytest.raises(RuntimeError):
        database.write(write, lost, True)
    assert kept.exists() and not lost.exists()
    assert [row["changes"]["path"][1] for row in file_rows(database)] == [str(kept.resolve())]


def test_the_database_its_journal_and_the_audit_key_are_private(tmp_path: Path) -> None:
    key = tmp_path / "keys" / "audit.key"
    AuditKey(file=key).get(create=True)
    database = Database(f"sqlite:///{tmp_path / 'office' / 'hiw.db'}")
    upgrade(database.engine)
    add_staff(database)
    for path in (tmp_path / "office" / "hiw.db", tmp_path / "office" / "hiw.db-wal", key):
        assert_private(path)
    database.dispose()


def test_audit_verify_keeps_its_checkpoint_private_in_a_new_folder(
    sqlite_database: Database, tmp_path: Path
) -> None:
    add_staff(sqlite_database)
    checkpoint = tmp_path / "heads" / "audit-heads"
    url = sqlite_database.url
    assert main(["audit", "verify", "--database", url, "--checkpoint", str(checkpoint)]) == 0
    assert_private(checkpoint)
