"""`P` on the record: the highlighted member's hand-over pack, as a PDF or plain text, in
the export folder, from the keyboard at 80x24."""

from __future__ import annotations

import json
import stat
from datetime import date
from pathlib import Path

from sqlalchemy import text

from hiw_tui.screens.dialogs.file_format import FileFormatScreen
from hiw_tui.screens.household.household_record import HouseholdRecordScreen
from tests.helpers.factories import add_reading, reading_input
from tests.helpers.pdf import pdf_text
from tests.helpers.pilot import SIZE, lines_with, open_household, settle
from tests.helpers.world import World, plan_goal


def _file_rows(world: World) -> list[tuple[str, int, int, dict[str, list[object]]]]:
    with world.database.engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT entity, entity_id, actor_id, changes FROM audit_event"
                " WHERE action = 'file' ORDER BY id"
            )
        ).all()
    return [(e, i, a, json.loads(c) if isinstance(c, str) else c) for e, i, a, c in rows]


async def test_an_advocate_writes_the_pack_as_a_pdf(world: World, tmp_path: Path) -> None:
    alex = world.households[1].members[0]  # HH-001, Ada's: the second row of the list
    for day, scores in ((date(2026, 1, 5), (2, 3)), (date(2026, 3, 2), (4, 2))):
        add_reading(world.database, world.staff.ada, alex.id, reading_input(day, *scores))
    plan_goal(world, 1, description="Back into work")
    exports = tmp_path / "exports"
    app = world.app(world.staff.ada, export_dir=exports)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_household(pilot)
        await pilot.press("P")
        await settle(pilot)
        assert isinstance(app.screen, FileFormatScreen)
        assert lines_with(app, "Hand-over pack: as a PDF or plain text?")
        assert lines_with(app, "For Alex01 Barker")
        assert lines_with(app, "p  PDF, in large type") and lines_with(app, "t  Plain text")
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, HouseholdRecordScreen)
        [pack] = exports.iterdir()
        assert lines_with(app, f"Hand-over pack {pack.name}")  # where it went, whole
    assert pack.name.startswith(f"handover-{alex.id}-ada.adv-") and pack.suffix == ".pdf"
    assert stat.S_IMODE(pack.stat().st_mode) == 0o600
    read = pdf_text(pack)
    for words in (
        "Alex01 Barker: your progress and your plan",
        "Skills 5 January 2026 2 of 5 2 March 2026 4 of 5",
        "Up 2 points since 5 January 2026.",
        "Goal: Back into work",
        "1. Write a CV Who: you By: 20 March 2026",
    ):
        assert words in read, words
    assert "Sam01" not in read
    assert _file_rows(world) == [
        (
            "handover",
            alex.id,
            world.staff.ada.id,
            {"path": [None, str(pack.resolve())], "person_id": [None, alex.id]},
        )
    ]


async def test_a_supervisor_writes_another_members_pack_as_text(
    world: World, tmp_path: Path
) -> None:
    exports = tmp_path / "exports"
    app = world.app(world.staff.liverpool_supervisor, export_dir=exports)
    async with app.run_test(size=SIZE) as pilot:
        await open_household(pilot)
        await pilot.press("j", "P", "j", "enter")  # the second member; the second choice
        await settle(pilot)
    [pack] = exports.iterdir()
    written = pack.read_text(encoding="utf-8")
    assert pack.suffix == ".txt" and written.startswith("Sam01 Barker: your progress and your plan")
    assert "No Star readings yet" in written and "No plan written down yet" in written
    assert "Alex01" not in written


async def test_escape_writes_nothing_and_an_auditor_has_no_pack(
    world: World, tmp_path: Path
) -> None:
    exports = tmp_path / "exports"
    app = world.app(world.staff.ada, export_dir=exports)
    async with app.run_test(size=SIZE) as pilot:
        await open_household(pilot)
        await pilot.press("P", "escape")
        await settle(pilot)
        assert isinstance(app.screen, HouseholdRecordScreen)
    auditor = world.app(world.staff.auditor, export_dir=exports)
    async with auditor.run_test(size=SIZE) as pilot:
        await open_household(pilot)
        await pilot.press("P")
        await settle(pilot)
        assert isinstance(auditor.screen, HouseholdRecordScreen)
    assert not exports.exists() and _file_rows(world) == []
