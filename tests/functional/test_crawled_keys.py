"""Keys the crawler (tests/functional/test_crawler.py) found failing, each driven directly."""

from __future__ import annotations

from hiw_tui.screens.household.household_record import HouseholdRecordScreen
from tests.helpers.pilot import SIZE, open_first_household, settle
from tests.helpers.world import World


async def test_enter_on_a_member_opens_no_form_for_an_auditor(world: World) -> None:
    app = world.app(world.staff.auditor)
    async with app.run_test(size=SIZE) as pilot:
        await open_first_household(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HouseholdRecordScreen)
