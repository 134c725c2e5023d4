"""The programmes a household took part in before HiW: ticked by code in the household
form, with any other typed beside them, by keyboard at 80x24, and shown on the record,
for the advocate and their supervisor."""

from __future__ import annotations

from textual.app import App
from textual.widgets import Input

from hiw_tui.db.households.households import update_household
from hiw_tui.domain.validation import HouseholdInput
from hiw_tui.screens.household.household_form import HouseholdForm
from hiw_tui.screens.household.household_record import HouseholdRecordScreen
from tests.helpers.pilot import SIZE, lines_with, open_household, save, screen_text, settle
from tests.helpers.world import World


async def test_the_advocate_ticks_programmes_and_types_another(world: World) -> None:
    household = world.households[1]
    app = world.app(world.staff.ada)
    async with app.run_test(size=SIZE) as pilot:
        await open_household(pilot)
        assert "none recorded" in lines_with(app, "Before HiW")[0]
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, HouseholdForm)
        await pilot.press(*["tab"] * 5)  # from the status to the programmes
        await pilot.press("down", "space", "down", "down", "space")
        await pilot.press("tab", *"Sure Start parenting course")
        await settle(pilot)
        shown = screen_text(app)
        assert "[x] Work Programme" in shown and "[x] Troubled Families" in shown
        assert "[ ] None before HiW" in shown
        await save(pilot)
        await settle(pilot)
        assert isinstance(app.screen, HouseholdRecordScreen)
        assert "Work Programme, Troubled Families; Sure" in _fact(app)
    stored = world.stored(household.id)
    assert stored.previous_programme_codes == ("troubled_families", "work_programme")
    assert stored.previous_programmes == "Sure Start parenting course"


async def test_the_supervisor_says_none_only_without_a_programme_named(world: World) -> None:
    household = world.households[1]
    data = HouseholdInput.model_validate(
        {
            **world.stored(household.id).model_dump(include=set(HouseholdInput.model_fields)),
            "previous_programmes": "Talent Match (2016)",
        }
    )
    world.database.write(
        update_household,
        actor=world.staff.ada,
        household_id=household.id,
        version=household.version,
        data=data,
    )
    app = world.app(world.staff.liverpool_supervisor)
    async with app.run_test(size=SIZE) as pilot:
        await open_household(pilot)
        assert "Talent Match (2016)" in _fact(app)
        await pilot.press("e")
        await settle(pilot)
        await pilot.press(*["tab"] * 5, "space")  # None before HiW
        await save(pilot)
        await settle(pilot)
        assert isinstance(app.screen, HouseholdForm)
        assert lines_with(app, "✗ None before HiW with a programme named.")
        app.screen.query_one("#previous-programmes", Input).value = ""
        await save(pilot)
        await settle(pilot)
        assert isinstance(app.screen, HouseholdRecordScreen)
        assert "None before HiW" in _fact(app)
    assert world.stored(household.id).previous_programme_codes == ("none",)


def _fact(app: App[None]) -> str:
    """The record's "Before HiW" fact, its lines joined (a long one wraps)."""
    lines = screen_text(app).splitlines()
    start = next(i for i, line in enumerate(lines) if "Before HiW" in line)
    return " ".join(line.strip() for line in lines[start : start + 2])
