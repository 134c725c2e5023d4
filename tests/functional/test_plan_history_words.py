"""A plan's history in words, as the plan and its forms say them, at 80x24 for the
advocate who changes a step and for their supervisor."""

from __future__ import annotations

from textual.app import App

from hiw_tui.db.casework.plans import household_plans, update_step
from hiw_tui.screens.casework.plan import PlanScreen
from hiw_tui.screens.casework.plan_forms import StepForm
from hiw_tui.screens.casework.plan_history import PlanHistoryScreen
from hiw_tui.widgets.detail_table import DetailTable
from tests.helpers.clock import TODAY
from tests.helpers.factories import add_partner, step_input
from tests.helpers.pilot import (
    SIZE,
    fill,
    open_household,
    open_plan_history,
    save,
    screen_text,
    settle,
)
from tests.helpers.world import World, plan_goal

PARTNER = "Citizens Advice Liverpool"


async def test_a_step_handed_to_a_partner_reads_as_who_does_it(world: World) -> None:
    plan_goal(world)
    partner = add_partner(world.database, world.staff.ada, PARTNER, kind="citizens_advice")
    app = world.app(world.staff.ada)
    async with app.run_test(size=SIZE) as pilot:
        await open_household(pilot)
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen)
        await pilot.press("j", "j", "enter")  # the goal's first step
        await settle(pilot)
        assert isinstance(app.screen, StepForm)
        fill(pilot, owner="partner", partner_id=partner, status="in_progress")
        await save(pilot)
        await pilot.press("h")
        await settle(pilot)
        assert isinstance(app.screen, PlanHistoryScreen)
        words = _changes(app)
        assert words[:2] == [
            f"Who does it: Householder → {PARTNER}",
            "Status: Planned → In progress",
        ]
        assert "Star area: Skills" in words and "Goal: Back into work" in words
        assert "Who does it: Householder" in words  # as each step was added
        assert not [line for line in words if "owner" in line or "partner_id" in line]


async def test_the_supervisor_reads_a_partner_handing_back_in_words(world: World) -> None:
    plan_goal(world)
    partner = add_partner(world.database, world.staff.ada, PARTNER, kind="citizens_advice")
    household = world.households[1]
    step = (
        world.database.read(household_plans, actor=world.staff.ada, household_id=household.id)[1]
        .goals[0]
        .steps[0]
    )
    for version, owner in ((step.version, "partner"), (step.version + 1, "advocate")):
        world.database.write(
            update_step,
            actor=world.staff.ada,
            step_id=step.id,
            version=version,
            data=step_input(step.description, owner=owner, partner_id=partner),
            today=TODAY,
        )
    app = world.app(world.staff.liverpool_supervisor)
    async with app.run_test(size=SIZE) as pilot:
        await open_plan_history(pilot)
        words = _changes(app)
        assert words[:2] == [
            f"Who does it: {PARTNER} → Advocate",
            f"Who does it: Householder → {PARTNER}",
        ]


def _changes(app: App[None]) -> list[str]:
    """The history's "Field: old → new" column, one change a line, in full (the table
    shortens it to fit 80 columns: the full text is in each row's item)."""
    screen = app.screen
    assert isinstance(screen, PlanHistoryScreen)
    assert "Every change to the plan of Alex01 Barker" in screen_text(app)
    assert "Plan history — HH-001" in screen_text(app)  # whose, as the record's header says
    table = screen.query_one("#plan-history")
    return [row.item.change for row in table.rows]  # type: ignore[attr-defined]


async def test_j_and_k_move_through_a_plans_history_as_on_every_list(world: World) -> None:
    plan_goal(world)
    app = world.app(world.staff.liverpool_supervisor)
    async with app.run_test(size=SIZE) as pilot:
        await open_plan_history(pilot)
        table = app.screen.query_one("#plan-history", DetailTable)
        first = table.current
        await pilot.press("j")
        assert table.current is not first
        await pilot.press("k")
        assert table.current is first
