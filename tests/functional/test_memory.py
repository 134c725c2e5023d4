"""A day's work does not pile up in memory: the screens closed are let go, and their
garbage is collected while the user reads, not while a screen opens."""

from __future__ import annotations

import asyncio
import gc
import weakref

from textual._styles_cache import StylesCache
from textual.pilot import Pilot
from textual.widgets import Header

from hiw_tui.app import HiwApp
from hiw_tui.screens.base.garbage import IDLE_SECONDS
from hiw_tui.settings import Settings
from tests.helpers.clock import TODAY
from tests.helpers.pilot import SIZE, open_first_household, settle
from tests.helpers.world import PAGE, World


async def _visit(pilot: Pilot[None], times: int) -> None:
    """Open the first household and its readings, and go back to the list, `times`."""
    for _ in range(times):
        await open_first_household(pilot)
        for key in ("h", "escape", "escape"):
            await pilot.press(key)
            await settle(pilot)


def _alive(kind: type) -> int:
    gc.collect()
    return sum(1 for found in gc.get_objects() if isinstance(found, kind))


async def test_the_widgets_of_closed_screens_are_let_go(world: World) -> None:
    """Each screen's header stayed watching the app's title, and Textual's drawing
    cache kept the last lines of up to 1,024 closed widgets."""
    app = world.app()
    async with app.run_test(size=SIZE) as pilot:
        await _visit(pilot, 2)
        headers, caches = _alive(Header), _alive(StylesCache)
        await _visit(pilot, 5)
        assert _alive(Header) == headers
        assert _alive(StylesCache) <= caches


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class _Cycle:
    """Garbage only a collection frees: it refers to itself."""

    def __init__(self) -> None:
        self.me = self


async def test_garbage_is_collected_once_a_screen_has_closed_and_nothing_is_typed(
    world: World,
) -> None:
    clock = Clock()
    app = HiwApp(
        database=world.database,
        actor=world.staff.manager,
        settings=Settings(page_size=PAGE),
        today=lambda: TODAY,
        clock=clock,
    )
    gc.disable()  # only the app collects
    try:
        async with app.run_test(size=SIZE) as pilot:
            await open_first_household(pilot)
            garbage = weakref.ref(_Cycle())
            await pilot.press("escape")
            await settle(pilot)
            await asyncio.sleep(IDLE_SECONDS * 2.5)  # the key was pressed just now
            assert garbage() is not None
            clock.now += IDLE_SECONDS
            await asyncio.sleep(IDLE_SECONDS * 2.5)
            assert garbage() is None
    finally:
        gc.enable()
