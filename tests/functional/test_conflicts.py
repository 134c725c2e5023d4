"""Saving over someone else's change: their fields are kept, only clashes are asked about."""

from __future__ import annotations

from datetime import date

from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Input

from hiw_tui.db.casework.plans import household_plans
from hiw_tui.screens.base.form import FormScreen
from hiw_tui.screens.casework.plan import PlanScreen
from hiw_tui.screens.dialogs.conflict import ConflictScreen
from hiw_tui.screens.household.household_record import HouseholdRecordScreen
from tests.helpers.pilot import (
    SIZE,
    fill,
    open_first_household,
    open_household,
    save,
    screen_text,
    settle,
)
from tests.helpers.world import (
    World,
    change_behind_the_form,
    plan_goal,
    save_over_a_colleagues_change,
)

THEIR_NOTE = (
    "Work Programme 2019 to 2021, then Restart from March 2023: left after six months "
    "when the childcare fell through; keen to try again with a part-time role close to "
    "home and help with travel costs. Mentoring from the job club on Tuesdays."
)


def _dialog_text(app: App[None]) -> str:
    """The text inside the conflict dialog, without the form showing around it."""
    region = app.screen.query_one(".conflict-dialog").region
    lines = screen_text(app).splitlines()[region.y : region.bottom]
    return "\n".join(line[region.x + 1 : region.right - 1] for line in lines)


async def _open_first_step(pilot: Pilot[None]) -> None:
    """From the list, the first step ("Write a CV") of household 1's plan, in its form."""
    await open_household(pilot)
    await pilot.press("p")
    await settle(pilot)
    await pilot.press("j", "enter")
    await settle(pilot)


async def test_their_change_to_one_field_and_mine_to_another_are_both_saved(
    world: World,
) -> None:
    app = world.app()
    household = world.households[0]
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_first_household(pilot)
        await save_over_a_colleagues_change(pilot, world, 0)
        assert isinstance(app.screen, HouseholdRecordScreen)  # no dialog: nothing clashed
        toast = [
            line.split("▌")[1].strip() for line in screen_text(app).splitlines() if "▌" in line
        ]
        assert "Saved; their change to Referral route was kept." in " ".join(toast)
    stored = world.stored(household.id)
    assert (stored.referral_route, stored.previous_programmes) == ("council", "Talent Match")


async def test_a_field_both_changed_is_shown_alone_and_in_full(world: World) -> None:
    app = world.app()
    async with app.run_test(size=SIZE) as pilot:
        await open_first_household(pilot)
        await save_over_a_colleagues_change(pilot, world, 0, previous_programmes=THEIR_NOTE)
        assert isinstance(app.screen, ConflictScreen)
        shown = _dialog_text(app)
        assert "Before HiW, other" in shown
        assert "Referral route" not in shown  # only they changed it: not asked about
        words = " ".join(shown.split())
        assert THEIR_NOTE in words  # wrapped over lines, every word of it there
        assert "Talent Match" in words


async def test_keeping_mine_for_a_clash_keeps_their_other_change(world: World) -> None:
    app = world.app()
    household = world.households[0]
    async with app.run_test(size=SIZE) as pilot:
        await open_first_household(pilot)
        await save_over_a_colleagues_change(pilot, world, 0, previous_programmes=THEIR_NOTE)
        await pilot.press("m", "ctrl+s")  # mine for the focused (only) clash, then save
        await settle(pilot)
        assert isinstance(app.screen, HouseholdRecordScreen)
    stored = world.stored(household.id)
    assert (stored.referral_route, stored.previous_programmes) == ("council", "Talent Match")


async def test_taking_theirs_for_a_clash_keeps_my_other_change(world: World) -> None:
    app = world.app()
    household = world.households[0]
    async with app.run_test(size=SIZE) as pilot:
        await open_first_household(pilot)
        await pilot.press("e")
        await settle(pilot)
        change_behind_the_form(world, 0, previous_programmes=THEIR_NOTE)
        fill(pilot, start_date="2025-12-01", previous_programmes="Talent Match")
        await save(pilot)
        assert isinstance(app.screen, ConflictScreen)
        await pilot.press("t", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, HouseholdRecordScreen)
    stored = world.stored(household.id)
    assert (stored.referral_route, stored.previous_programmes) == ("council", THEIR_NOTE)
    assert stored.start_date == date(2025, 12, 1)


async def test_going_back_from_a_clash_saves_nothing_and_keeps_the_form(world: World) -> None:
    app = world.app()
    household = world.households[0]
    async with app.run_test(size=SIZE) as pilot:
        await open_first_household(pilot)
        await save_over_a_colleagues_change(pilot, world, 0, previous_programmes=THEIR_NOTE)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, FormScreen)
        assert app.screen.query_one("#previous-programmes", Input).value == "Talent Match"
        await save(pilot)  # saving again meets the same clash: asked again, never overwritten
        assert isinstance(app.screen, ConflictScreen)
    assert world.stored(household.id).previous_programmes == THEIR_NOTE


async def test_two_people_editing_one_step_both_keep_their_changes(world: World) -> None:
    """Two app instances on one database: Ada and her supervisor open the same step."""
    plan_goal(world)
    first, second = world.app(world.staff.ada), world.app(world.staff.liverpool_supervisor)
    async with first.run_test(size=SIZE) as ada, second.run_test(size=SIZE) as sam:
        for pilot in (ada, sam):
            await _open_first_step(pilot)
        fill(sam, description="Write a CV with the library")
        await save(sam)
        fill(ada, status="in_progress")
        await save(ada)
        assert isinstance(first.screen, PlanScreen)  # saved at once: no clash
    plans = world.database.read(
        household_plans, actor=world.staff.ada, household_id=world.households[1].id
    )
    step = plans[1].goals[0].steps[0]
    assert (step.description, step.status) == ("Write a CV with the library", "in_progress")


async def test_two_people_changing_one_steps_description_choose_between_them(
    world: World,
) -> None:
    plan_goal(world)
    first, second = world.app(world.staff.ada), world.app(world.staff.liverpool_supervisor)
    async with first.run_test(size=SIZE) as ada, second.run_test(size=SIZE) as sam:
        for pilot in (ada, sam):
            await _open_first_step(pilot)
        fill(sam, description="Write a CV with the library", status="in_progress")
        await save(sam)
        fill(ada, description="Write a CV at the job club")
        await save(ada)
        assert isinstance(first.screen, ConflictScreen)
        shown = _dialog_text(first)
        assert "Write a CV with the library" in shown and "Write a CV at the job club" in shown
        assert "Status" not in shown
        await ada.press("T", "ctrl+s")  # theirs for every clash
        await settle(ada)
        assert isinstance(first.screen, PlanScreen)
    plans = world.database.read(
        household_plans, actor=world.staff.ada, household_id=world.households[1].id
    )
    step = plans[1].goals[0].steps[0]
    assert (step.description, step.status) == ("Write a CV with the library", "in_progress")
