"""What the screens write (a report exported, a subject-access file, a hand-over pack) is
mode 600 in the export folder, kept mode 700 (tightened if found looser), and audited as
a file."""

from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import Any

from sqlalchemy import text

from hiw_tui.db.core.engine import Database
from tests.helpers.dataset import load_dataset, reports_app
from tests.helpers.pilot import SIZE, open_household, settle
from tests.helpers.staff import add_staff
from tests.helpers.world import World


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def looser_folder(tmp_path: Path) -> Path:
    """An export folder as an older version left it: readable by everyone."""
    folder = tmp_path / "exports"
    folder.mkdir()
    folder.chmod(0o755)
    return folder


def file_rows(database: Database) -> list[tuple[str, int, int | None, dict[str, Any]]]:
    with database.engine.connect() as connection:
        statement = text(
            "SELECT entity, entity_id, household_id, changes FROM audit_event "
            "WHERE action = 'file' ORDER BY id"
        )
        return [
            (entity, entity_id, household_id, json.loads(changes))
            for entity, entity_id, household_id, changes in connection.execute(statement)
        ]


async def test_a_report_exported_from_the_screen_is_private_and_audited(
    sqlite_database: Database, tmp_path: Path
) -> None:
    staff = add_staff(sqlite_database)
    load_dataset(sqlite_database, staff.manager)
    exports = looser_folder(tmp_path)
    app = reports_app(sqlite_database, staff, export_dir=exports)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("R")
        await settle(pilot)
        await pilot.press("e", "x")
        await settle(pilot)
    files = sorted(exports.iterdir())
    assert [path.suffix for path in files] == [".csv", ".xlsx"]
    assert mode(exports) == 0o700 and [mode(path) for path in files] == [0o600, 0o600]
    rows = file_rows(sqlite_database)
    assert sorted(entity for entity, *_ in rows) == ["report", "report"]
    assert {str(path.resolve()) for path in files} == {changes["path"][1] for *_, changes in rows}


async def test_subject_access_from_the_record_is_private_and_audited(
    world: World, tmp_path: Path
) -> None:
    exports = looser_folder(tmp_path)
    app = world.app(world.staff.manager, export_dir=exports)
    async with app.run_test(size=SIZE) as pilot:
        await open_household(pilot)
        await pilot.press("j", "D", "t")
        await settle(pilot)
    [export] = exports.iterdir()
    assert mode(exports) == 0o700 and mode(export) == 0o600
    [(entity, person_id, household_id, changes)] = file_rows(world.database)
    assert entity == "subject-access" and f"-{person_id}-" in export.name
    assert household_id is not None
    assert changes == {"path": [None, str(export.resolve())], "person_id": [None, person_id]}
