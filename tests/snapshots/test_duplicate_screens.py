"""The possible-duplicate warning at 80x24, in 16 colours and without colour (update with:
pytest --snapshot-update)."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from tests.helpers.pilot import SIZE, open_household, settle
from tests.helpers.world import World


@pytest.mark.parametrize(
    "env",
    [{"TERM": "xterm", "COLORTERM": ""}, {"NO_COLOR": "1"}],
    ids=["16-colours", "no-colour"],
)
def test_possible_duplicates_in_and_out_of_scope(
    snap_compare, world: World, monkeypatch: pytest.MonkeyPatch, env: dict[str, str]
) -> None:  # type: ignore[no-untyped-def]
    """Ada adds an Alex Doyle born on the day all the world was: three of her caseload are
    listed, and two of Cal's are one line saying whom to ask."""
    for name, value in env.items():
        monkeypatch.setenv(name, value)

    async def run_before(pilot: Pilot[None]) -> None:
        await open_household(pilot, row=1)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("enter", "down", "down", "down", "enter")
        for text in ("Alex", "Doyle", "1988-05-17"):
            await pilot.press("tab", *text)
        await pilot.press("ctrl+s")
        await settle(pilot)

    assert snap_compare(world.app(world.staff.ada), terminal_size=SIZE, run_before=run_before)
