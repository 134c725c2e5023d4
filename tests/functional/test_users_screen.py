"""The users screen (`U`), from the keyboard at 80x24: a supervisor deactivates a leaver,
moves chosen households with a reason and removes a key; the leaver's households wait
on My week until moved."""

from __future__ import annotations

import asyncssh

from hiw_tui.app import HiwApp
from hiw_tui.db.access.keys import add_key
from hiw_tui.db.access.leavers import deactivate_user
from hiw_tui.db.audit.trail import events_for_household
from hiw_tui.screens.access.user_dialogs import CaseloadMoveForm, ConfirmScreen, RemoveKeyScreen
from hiw_tui.screens.access.users import UsersScreen
from hiw_tui.screens.casework.my_week import MyWeekScreen
from hiw_tui.screens.dialogs.unsaved import UnsavedChangesScreen
from hiw_tui.screens.household.household_form import HouseholdForm
from hiw_tui.screens.household.household_list import HouseholdListScreen
from tests.helpers.pilot import SIZE, lines_with, screen_text, settle
from tests.helpers.world import World


async def _users(pilot) -> None:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await pilot.press("U")
    await settle(pilot)
    assert isinstance(pilot.app.screen, UsersScreen)


def _fits(app: HiwApp) -> None:
    assert all(len(line.rstrip()) <= SIZE[0] for line in screen_text(app).splitlines())


async def test_a_supervisor_deactivates_a_leaver_and_moves_chosen_households(
    world: World,
) -> None:
    app = world.app(world.staff.liverpool_supervisor)
    async with app.run_test(size=SIZE) as pilot:
        await _users(pilot)
        shown = screen_text(app)
        assert "Ada Adv" in shown and "Sam Super" in shown and "Cal Adv" not in shown
        _fits(app)
        await pilot.press("d")  # Ada, on the first row
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "The 15 households still" in screen_text(app)
        await pilot.press("y")
        await settle(pilot)
        [row] = [line for line in lines_with(app, "Ada Adv") if "Deactivated" not in line]
        assert row.split()[-3:] == ["deactivated", "0", "15"]
        assert "15 households of leavers wait to be moved" in screen_text(app)
        assert "Deactivated Ada Adv: they can no longer sign in" in screen_text(app)

        await pilot.press("w")  # the leaver's households wait on My week
        await settle(pilot)
        assert isinstance(app.screen, MyWeekScreen)
        waiting = lines_with(app, "Ada Adv left")
        assert waiting and all(" Move " in line for line in waiting)
        await pilot.press("escape")
        await settle(pilot)

        await pilot.press("m")
        await settle(pilot)
        assert isinstance(app.screen, CaseloadMoveForm)
        _fits(app)
        await pilot.press("enter", "down", "enter")  # move to: Ben, the one choice
        await pilot.press("tab", "a")  # untick them all...
        await pilot.press("j", "space")  # ...and tick the second (HH-001)
        await pilot.press("tab", *"Left", "space", *"in", "space", *"[b]March")
        await pilot.press("escape")  # typed work is not dropped without asking
        await settle(pilot)
        assert isinstance(app.screen, UnsavedChangesScreen)
        await pilot.press("escape")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, UsersScreen)
        assert "Moved 1 household from Ada Adv to Ben Adv." in screen_text(app)
        [row] = [line for line in lines_with(app, "Ben Adv") if "Moved" not in line]
        assert row.split()[-1] == "1"

    moved = world.households[1]
    assert world.stored(moved.id).advocate_id == world.staff.ben.id
    assert world.stored(world.households[2].id).advocate_id == world.staff.ada.id
    (row,) = [
        event
        for event in world.database.read(
            events_for_household, actor=world.staff.manager, household_id=moved.id
        )
        if event.action == "reassign"
    ]
    assert row.changes["reason"] == [None, "Left in [b]March"]


async def test_a_supervisor_removes_a_key(world: World) -> None:
    key = asyncssh.generate_private_key("ssh-ed25519", comment="ben-phone")
    world.database.write(
        add_key, username="ben.adv", text=key.export_public_key("openssh").decode()
    )
    app = world.app(world.staff.liverpool_supervisor)
    async with app.run_test(size=SIZE) as pilot:
        await _users(pilot)
        await pilot.press("j")  # Ben
        assert key.get_fingerprint("sha256") in screen_text(app)
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, RemoveKeyScreen)
        assert "ben-phone" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, UsersScreen)
        assert "Removed the key" in screen_text(app)
        assert "Keys: none" in screen_text(app)


async def test_a_manager_looks_after_everyone_and_an_advocate_nobody(world: World) -> None:
    app = world.app(world.staff.manager)
    async with app.run_test(size=SIZE) as pilot:
        await _users(pilot)
        shown = screen_text(app)
        assert "Cal Adv" in shown and "Ada Adv" in shown and "Aud Itor" in shown
        _fits(app)
        users = app.screen
        assert isinstance(users, UsersScreen)
        while users.current is not None and users.current.username != "cal.adv":
            await pilot.press("j")
        await pilot.press("d", "y")  # Wirral's advocate: a manager looks after every area
        await settle(pilot)
        [row] = [line for line in lines_with(app, "Cal Adv") if "Deactivated" not in line]
        assert row.split()[-3:] == ["deactivated", "0", "10"]
        await pilot.press("m")
        await settle(pilot)
        assert "No active advocate of their area to move them to" in screen_text(app)
        while users.current is not None and users.current.username != "ada.adv":
            await pilot.press("k")
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(app.screen, CaseloadMoveForm)
        await pilot.press("ctrl+s")  # no advocate chosen, no reason: said beside each
        await settle(pilot)
        shown = screen_text(app)
        assert shown.count("✗ This is required.") == 2
    app = world.app(world.staff.ada)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("U")
        await settle(pilot)
        assert isinstance(app.screen, HouseholdListScreen)


async def test_a_leavers_household_from_my_week_moves_with_r(world: World) -> None:
    world.database.write(deactivate_user, actor=world.staff.manager, username="ada.adv")
    app = world.app(world.staff.liverpool_supervisor)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        week = app.screen
        assert isinstance(week, MyWeekScreen)
        row = next(i for i, item in enumerate(week.items) if item.kind == "move")
        await pilot.press(*["j"] * row, "enter")
        await settle(pilot)
        moving = week.items[row]
        await pilot.press("r")  # the advocate is blank: nobody who left is offered
        await settle(pilot)
        assert isinstance(app.screen, HouseholdForm)
        await pilot.press("escape")  # nothing typed: it leaves without asking
        await settle(pilot)
        assert not isinstance(app.screen, (HouseholdForm, UnsavedChangesScreen))
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("enter", "down", "enter", "ctrl+s")  # Ben, the one choice
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MyWeekScreen)
        assert all(
            item.household_id != moving.household_id for item in week.items if item.kind == "move"
        )
    assert world.stored(moving.household_id).advocate_id == world.staff.ben.id
