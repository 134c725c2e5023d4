"""Keys the crawler (tests/functional/test_crawler.py) found failing, each driven directly."""

from __future__ import annotations

from datetime import date

from hiw_tui.domain.case_inputs import ContactInput
from hiw_tui.screens.household.household_record import HouseholdRecordScreen
from hiw_tui.screens.ledger.ledger_forms import DecisionForm
from tests.helpers.factories import spend
from tests.helpers.pilot import SIZE, open_first_household, open_household, screen_text, settle
from tests.helpers.world import World, log_contacts, plan_goal, solo_case


async def test_enter_on_a_member_opens_no_form_for_an_auditor(world: World) -> None:
    app = world.app(world.staff.auditor)
    async with app.run_test(size=SIZE) as pilot:
        await open_first_household(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HouseholdRecordScreen)


async def test_a_short_term_case_past_twelve_weeks_asks_no_auditor_to_convert_or_exit(
    world: World,
) -> None:
    solo_case(world, "short_term", date(2025, 12, 1))
    app = world.app(world.staff.auditor)
    async with app.run_test(size=SIZE) as pilot:
        await open_household(pilot, row=0)
        assert isinstance(app.screen, HouseholdRecordScreen)


async def test_enter_on_a_waiting_spend_opens_the_decision(world: World) -> None:
    spend(world.database, world.staff.ada, world.households[1].id, "260.00")
    app = world.app(world.staff.liverpool_supervisor)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("A")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DecisionForm)


async def test_enter_on_a_contact_opens_no_form_for_an_auditor(world: World) -> None:
    """Enter (or a click) chose the row, and choosing opened the edit form without asking
    whether the role may edit: an auditor, who reads only, got the contact's form. (The
    contact log, referrals, outcomes and consent share the choosing.)"""
    log_contacts(world, ContactInput(contacted_on=date(2026, 3, 2), mode="phone", purpose="Call"))
    app = world.app(world.staff.auditor)
    async with app.run_test(size=SIZE) as pilot:
        await open_household(pilot)
        await pilot.press("c")
        await settle(pilot)
        listed = app.screen
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is listed


async def test_enter_on_a_plans_step_opens_no_form_for_an_auditor(world: World) -> None:
    plan_goal(world)
    app = world.app(world.staff.auditor)
    async with app.run_test(size=SIZE) as pilot:
        await open_household(pilot)
        await pilot.press("p")
        await settle(pilot)
        plan = app.screen
        await pilot.press("j", "enter")
        await settle(pilot)
        assert app.screen is plan


async def test_an_auditor_is_told_of_no_keys_that_would_change_anything(world: World) -> None:
    """An empty list said "n logs one", and the plan "a records agreement" and "n adds
    one": keys that do nothing for an auditor, who reads only. An advocate still sees
    them."""
    plan_goal(world)
    for who, hinted in ((world.staff.auditor, False), (world.staff.ada, True)):
        app = world.app(who)
        async with app.run_test(size=SIZE) as pilot:
            await open_household(pilot)
            await pilot.press("c")
            await settle(pilot)
            shown = screen_text(app)
            assert "No contacts logged yet" in shown
            assert ("n logs one" in shown) is hinted
            await pilot.press("escape", "p")
            await settle(pilot)
            shown = screen_text(app)
            assert "not yet agreed" in shown and "2 steps." in shown
            assert ("a records agreement" in shown) is hinted
            assert ("n adds one" in shown) is hinted
