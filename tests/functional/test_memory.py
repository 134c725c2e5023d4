"""A day's work does not pile up in memory: the screens closed are let go."""

from __future__ import annotations

import gc

from textual._styles_cache import StylesCache
from textual.pilot import Pilot
from textual.widgets import Header

from tests.helpers.pilot import SIZE, open_first_household, settle
from tests.helpers.world import World


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
