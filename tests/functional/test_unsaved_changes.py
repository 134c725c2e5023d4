"""Leaving a form: at once when nothing changed, else only after saying what to do with
the changes (save, discard, or keep editing)."""

from __future__ import annotations

from datetime import date

from textual.widgets import Input

from hiw_tui.screens.casework.my_week import MyWeekScreen
from hiw_tui.screens.dialogs.ledger_filter import LedgerFilterScreen
from hiw_tui.screens.dialogs.unsaved import UnsavedChangesScreen
from hiw_tui.screens.household.household_form import HouseholdForm
from hiw_tui.screens.household.household_record import HouseholdRecordScreen
from hiw_tui.screens.household.person_form import PersonForm
from hiw_tui.screens.ledger.ledger import LedgerScreen
from tests.helpers.pilot import open_first_household, open_household, screen_text, settle
from tests.helpers.world import World


async def _edit_household(pilot, world: World) -> HouseholdForm:  # type: ignore[no-untyped-def]
    await open_first_household(pilot)
    await pilot.press("e")
    await settle(pilot)
    form = pilot.app.screen
    assert isinstance(form, HouseholdForm)
    return form


async def test_esc_on_an_unchanged_form_closes_it_at_once(world: World) -> None:
    app = world.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await _edit_household(pilot, world)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HouseholdRecordScreen)
        await pilot.press("a")  # a new member's form, its selects set as it opens
        await settle(pilot)
        assert isinstance(app.screen, PersonForm)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HouseholdRecordScreen)


async def test_a_new_households_suggested_reference_is_not_a_change(world: World) -> None:
    app = world.app(world.staff.ada)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, HouseholdForm)
        assert form.query_one("#reference", Input).value  # the suggestion arrived
        form.post_message(HouseholdForm.ReferenceSuggested("LIV-00099"))  # one arriving late
        await settle(pilot)
        assert form.query_one("#reference", Input).value == "LIV-00099"
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, (HouseholdForm, UnsavedChangesScreen))


async def test_keep_editing_leaves_everything_typed_in_place(world: World) -> None:
    app = world.app()
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _edit_household(pilot, world)
        form.query_one("#previous-programmes", Input).focus()
        await pilot.press(*"Work Programme")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, UnsavedChangesScreen)
        assert "You have unsaved changes" in screen_text(app)
        await pilot.press("k")
        await settle(pilot)
        assert app.screen is form
        assert form.query_one("#previous-programmes", Input).value == "Work Programme"
        await pilot.press("escape", "escape")  # Esc in the question keeps editing too
        await settle(pilot)
        assert app.screen is form
        assert form.query_one("#previous-programmes", Input).value == "Work Programme"


async def test_discard_leaves_without_saving(world: World) -> None:
    app = world.app()
    household = world.households[0]
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _edit_household(pilot, world)
        form.query_one("#previous-programmes", Input).value = "Work Programme"
        await pilot.click("#cancel")  # the Cancel button asks as Esc does
        await settle(pilot)
        assert isinstance(app.screen, UnsavedChangesScreen)
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, HouseholdRecordScreen)
    stored = world.stored(household.id)
    assert (stored.previous_programmes, stored.version) == ("", household.version)


async def test_save_in_the_question_saves_as_the_form_would(world: World) -> None:
    app = world.app()
    household = world.households[0]
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _edit_household(pilot, world)
        form.query_one("#previous-programmes", Input).value = "Work Programme"
        form.query_one("#start-date", Input).value = "not a date"
        await pilot.press("escape", "s")
        await settle(pilot)
        assert app.screen is form  # nothing saved: the problem is shown beside its field
        assert "✗ A date as YYYY-MM-DD." in screen_text(app)
        form.query_one("#start-date", Input).value = household.start_date.isoformat()
        await pilot.press("escape", "s")
        await settle(pilot)
        assert isinstance(app.screen, HouseholdRecordScreen)
    assert world.stored(household.id).previous_programmes == "Work Programme"


async def test_the_command_palette_opens_over_a_form_and_back_returns_to_it(
    world: World,
) -> None:
    app = world.app()
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _edit_household(pilot, world)
        form.query_one("#previous-programmes", Input).value = "Work Programme"
        await pilot.press("ctrl+p", *"My week")
        await pilot.pause(0.3)  # the palette's own search runs on a short timer
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MyWeekScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is form
        assert form.query_one("#previous-programmes", Input).value == "Work Programme"


async def test_a_changed_filter_asks_too_and_its_save_applies(world: World) -> None:
    app = world.app(world.staff.ada)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_household(pilot)
        await pilot.press("b", "slash")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, LedgerFilterScreen)
        form.query_one("#date-from", Input).value = "2026-01-01"
        await pilot.press("escape")
        await settle(pilot)
        assert "Apply (s)" in screen_text(app)
        await pilot.press("s")
        await settle(pilot)
        ledger = app.screen
        assert isinstance(ledger, LedgerScreen)
        assert ledger.filter.date_from == date(2026, 1, 1)


async def test_ctrl_q_over_a_changed_form_asks_before_quitting(world: World) -> None:
    app = world.app()
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _edit_household(pilot, world)
        form.query_one("#previous-programmes", Input).value = "Typed, not saved"
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert app.is_running and isinstance(app.screen, UnsavedChangesScreen)
        await pilot.press("escape")  # keep editing
        await settle(pilot)
        assert app.screen is form
        assert form.query_one("#previous-programmes", Input).value == "Typed, not saved"
        await pilot.press("ctrl+q")
        await settle(pilot)
        await pilot.press("d")  # discard, and quit
        await settle(pilot)
        assert not app.is_running


async def test_ctrl_q_with_nothing_changed_quits_at_once(world: World) -> None:
    app = world.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await _edit_household(pilot, world)
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert not app.is_running
