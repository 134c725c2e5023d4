"""The themes at 80x24: high contrast, and the terminal's own palette (update with:
pytest --snapshot-update)."""

from __future__ import annotations

from textual.pilot import Pilot

from tests.helpers.pilot import SIZE, settle
from tests.helpers.world import World


async def _open_record(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await pilot.press("j", "enter")
    await settle(pilot)


def test_household_record_in_high_contrast(snap_compare, world: World) -> None:  # type: ignore[no-untyped-def]
    app = world.app(theme="high-contrast")
    assert snap_compare(app, terminal_size=SIZE, run_before=_open_record)


def test_household_list_in_the_terminals_palette(snap_compare, world: World) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(world.app(theme="terminal"), terminal_size=SIZE, run_before=settle)
