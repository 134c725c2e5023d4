"""Every screen that shows one household's data audits its reading as a view."""

from __future__ import annotations

from sqlmodel import col, select

from hiw_tui.db.core.models import AuditEvent, UserPublic
from hiw_tui.screens.casework.plan_history import PlanHistoryScreen
from hiw_tui.screens.ledger.approvals import ApprovalsScreen
from tests.helpers.factories import CAP, spend
from tests.helpers.pilot import SIZE, lines_with, open_plan_history, settle
from tests.helpers.world import World, plan_goal


def _views(world: World, actor: UserPublic) -> list[tuple[str, int | None]]:
    return world.database.read(
        lambda session: [
            (event.entity, event.household_id)
            for event in session.exec(
                select(AuditEvent)
                .where(AuditEvent.action == "view", AuditEvent.actor_id == actor.id)
                .order_by(col(AuditEvent.seq))
            )
        ]
    )


async def test_reading_a_plans_history_is_audited(world: World) -> None:
    plan_goal(world)
    app = world.app(world.staff.ada)
    async with app.run_test(size=SIZE) as pilot:
        await open_plan_history(pilot)
        assert isinstance(app.screen, PlanHistoryScreen)
    views = _views(world, world.staff.ada)
    [household] = {household for entity, household in views if entity == "plans"}
    assert views[-1] == ("plan_history", household)


async def test_reading_the_approvals_queue_is_audited_for_each_household_on_it(
    world: World,
) -> None:
    """The queue shows each waiting spend's payee and purpose: its household's data."""
    first, second = world.households[1], world.households[2]
    for household, payee in ((first, "Dreams Beds"), (second, "Currys")):
        spend(world.database, world.staff.ada, household.id, "300", payee=payee)
    settings = {"budget_cap_pence": CAP, "approval_threshold_pence": 25_000}
    app = world.app(world.staff.liverpool_supervisor, **settings)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("A")
        await settle(pilot)
        assert isinstance(app.screen, ApprovalsScreen)
        assert lines_with(app, "Dreams Beds") and lines_with(app, "Currys")
    views = _views(world, world.staff.liverpool_supervisor)
    assert sorted(views) == sorted([("approvals", first.id), ("approvals", second.id)])


async def test_a_palette_search_is_audited_once_with_its_last_term(world: World) -> None:
    """The palette searches again at each key; each search was audited, so one look-up
    left "HH", "HH-", "HH-0"... in the trail."""
    app = world.app(world.staff.ada)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        for key in "HH-013":
            await pilot.press(key)
            await pilot.pause(0.3)  # each key searches again
        await settle(pilot)
        assert lines_with(app, "HH-013")
        await pilot.press("escape")
        await settle(pilot)
        searches = world.database.read(
            lambda session: [
                (event.entity, event.changes)
                for event in session.exec(
                    select(AuditEvent).where(
                        AuditEvent.action == "search", AuditEvent.actor_id == world.staff.ada.id
                    )
                )
            ]
        )
    assert searches == [("palette", {"term": [None, "HH-013"]})]
