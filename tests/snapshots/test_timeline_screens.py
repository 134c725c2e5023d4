"""A household's timeline at 80x24: as its advocate opens it, and as an auditor reads
its readings in 16 colours."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

import pytest
from textual.pilot import Pilot

from hiw_tui.app import HiwApp
from hiw_tui.db.casework.timeline_models import TimelineKind
from tests.helpers.pilot import SIZE, settle
from tests.helpers.timeline import lived_household, recorded_on
from tests.helpers.world import World

Steps = Callable[[Pilot[None]], Coroutine[Any, Any, None]]


def _timeline(household_id: int, *keys: str) -> Steps:
    """Open the household, then its timeline (T), then press `keys`."""

    async def run_before(pilot: Pilot[None]) -> None:
        assert isinstance(pilot.app, HiwApp)
        await settle(pilot)
        pilot.app.open_household(household_id)
        await settle(pilot)
        for key in ("T", *keys):
            await pilot.press(key)
            await settle(pilot)

    return run_before


def test_timeline_as_the_advocate_opens_it(  # type: ignore[no-untyped-def]
    snap_compare, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    lived = lived_household(world.database, world.staff, recorded_on(monkeypatch), spending=False)
    app = world.app(world.staff.ada)
    assert snap_compare(app, terminal_size=SIZE, run_before=_timeline(lived.household_id))


def test_timeline_readings_for_an_auditor_in_16_colours(  # type: ignore[no-untyped-def]
    snap_compare, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    lived = lived_household(world.database, world.staff, recorded_on(monkeypatch), spending=False)
    monkeypatch.setenv("TERM", "xterm")
    monkeypatch.setenv("COLORTERM", "")
    readings = list(TimelineKind).index(TimelineKind.READING) + 1
    keys = ("slash", "enter", *["down"] * readings, "enter")
    app = world.app(world.staff.auditor)
    assert snap_compare(app, terminal_size=SIZE, run_before=_timeline(lived.household_id, *keys))
