"""A corrected final reading says why in the person's reading history, by keyboard at
80x24, for the advocate and their supervisor; the auditor reads its health areas hidden."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime

import pytest
from textual.app import App
from textual.widgets import Input

from hiw_tui.db.readings.readings import person_readings, update_reading
from hiw_tui.domain.framework import load_framework
from hiw_tui.screens.readings.reading_history import ReadingHistoryScreen
from tests.helpers.factories import add_reading, reading_input
from tests.helpers.pilot import SIZE, lines_with, open_first_household, screen_text, settle
from tests.helpers.world import World

REASON = "Certificate arrived after scoring"


@pytest.fixture(autouse=True)
def _fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """The correction's audit row, and so the history, is dated 16 March 2026 (UTC)."""
    monkeypatch.setattr(
        "hiw_tui.db.audit.trail.utcnow", lambda: datetime(2026, 3, 16, 9, 30, tzinfo=UTC)
    )
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()


async def test_the_advocate_corrects_a_reading_and_the_history_says_why(world: World) -> None:
    person = world.households[0].members[0]
    add_reading(world.database, world.staff.ada, person.id, reading_input(date(2026, 1, 5), 2))
    app = world.app(world.staff.ada)
    async with app.run_test(size=SIZE) as pilot:
        await open_first_household(pilot)
        await pilot.press("h")
        await settle(pilot)
        assert "✎" not in screen_text(app)
        await pilot.press("enter", "e", "5")
        await settle(pilot)
        app.screen.query_one("#reason", Input).value = REASON
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ReadingHistoryScreen)
        assert "Final ✎" in lines_with(app, "2026-01-05")[0]
        assert f"✎ Corrected 2026-03-16 by Ada Adv: {REASON}. Skills 2 → 5" in _flat(app)


async def test_the_supervisor_reads_the_reason_too(world: World) -> None:
    person = world.households[0].members[0]
    saved = add_reading(
        world.database, world.staff.ada, person.id, reading_input(date(2026, 1, 5), 2)
    )
    _correct(world, saved.reading.id, saved.reading.version, skills=3, money=4)
    _correct(world, saved.reading.id, saved.reading.version + 1, skills=4, money=4)
    app = world.app(world.staff.liverpool_supervisor)
    async with app.run_test(size=SIZE) as pilot:
        await open_first_household(pilot)
        await pilot.press("h")
        await settle(pilot)
        newer, older = _flat(app).split("✎ Corrected")[1:]  # newest first
        assert newer.strip().endswith("Skills 3 → 4") and "Money" not in newer
        assert "Skills 2 → 3; Money 3 → 4" in older


async def test_the_auditor_reads_the_reason_with_the_health_areas_hidden(world: World) -> None:
    person = world.households[0].members[0]
    saved = add_reading(
        world.database, world.staff.ada, person.id, reading_input(date(2026, 1, 5), 2)
    )
    _correct(world, saved.reading.id, saved.reading.version, physical_health=5, skills=4)
    history = world.database.write(person_readings, actor=world.staff.auditor, person_id=person.id)
    (correction,) = history.corrections[saved.reading.id]
    assert correction.reason == REASON
    assert correction.changes["score.physical_health"] == ["(hidden)", "(hidden)"]
    app = world.app(world.staff.auditor)
    async with app.run_test(size=SIZE) as pilot:
        await open_first_household(pilot)
        await pilot.press("h")
        await settle(pilot)
        (correction_text,) = _flat(app).split("✎ Corrected")[1:]
        assert f"{REASON}. Skills 2 → 4; Physical hidden" in correction_text
        assert "→ 5" not in correction_text


def _flat(app: App[None]) -> str:
    """The corrections under the table, their lines joined (a long one wraps)."""
    lines = screen_text(app).splitlines()
    start = next(i for i, line in enumerate(lines) if "✎ Corrected" in line)
    end = next(i for i, line in enumerate(lines) if "Space marks" in line)
    return " ".join(line.strip() for line in lines[start:end])


def _correct(world: World, reading_id: int, version: int, **scores: int) -> None:
    data = reading_input(date(2026, 1, 5), 2, reason=REASON)
    data = data.model_copy(update={"scores": {**data.scores, **scores}})
    world.database.write(
        update_reading,
        actor=world.staff.ada,
        reading_id=reading_id,
        version=version,
        framework=load_framework(),
        data=data,
    )
