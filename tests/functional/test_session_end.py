"""A signed-in session whose user is deactivated meanwhile ends, saying why: at its
next check, idle, or at its next database call, which then saves nothing."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress

from textual.widgets import Input
from textual.worker import WorkerCancelled, WorkerFailed

from hiw_tui.app import HiwApp
from hiw_tui.db.access.leavers import deactivate_user
from hiw_tui.db.access.users import get_user
from hiw_tui.screens.household.household_form import HouseholdForm
from tests.helpers.pilot import SIZE, settle
from tests.helpers.world import World


async def _ended(pilot) -> None:  # type: ignore[no-untyped-def]
    """Wait for the check that ends the session (its worker fails with why)."""
    with suppress(WorkerFailed, WorkerCancelled):
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def _recording_exits(app: HiwApp) -> list[str]:
    said: list[str] = []
    exit: Callable[..., None] = app.exit

    def recording(*args: object, **kwargs: object) -> None:
        said.append(str(kwargs.get("message", "")))
        exit(*args, **kwargs)

    app.exit = recording  # type: ignore[method-assign]
    return said


async def test_a_session_whose_user_is_deactivated_ends_at_its_next_check(world: World) -> None:
    app = world.app(world.staff.ada)
    said = _recording_exits(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        world.database.write(
            deactivate_user, actor=world.staff.liverpool_supervisor, username="ada.adv"
        )
        app.check_account()  # as the timer does, with nothing typed
        await _ended(pilot)
    assert not app.is_running
    assert said == [
        "Your account was deactivated, so this session has ended; work not saved by then "
        "was not saved."
    ]


async def test_a_session_whose_user_is_deactivated_saves_nothing_more(world: World) -> None:
    household = world.households[1]
    app = world.app(world.staff.ada)
    said = _recording_exits(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("j", "enter")
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, HouseholdForm)
        app.screen.query_one("#previous-programmes", Input).value = "Work Programme"
        world.database.write(deactivate_user, actor=world.staff.manager, username="ada.adv")
        await pilot.press("ctrl+s")  # the next database call ends the session
        await _ended(pilot)
    assert not app.is_running and "deactivated" in said[0]
    assert world.stored(household.id).previous_programmes == household.previous_programmes
    assert not world.database.read(get_user, username="ada.adv").active
