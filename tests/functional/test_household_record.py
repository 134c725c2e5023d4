"""The household record and its forms: editing, messages beside fields, conflicts, literal text."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import update
from textual.app import ComposeResult
from textual.widgets import Input, Static

from hiw_tui.db.audit.trail import events_for_household
from hiw_tui.db.core.models import Household, Person
from hiw_tui.db.households.people import add_person
from hiw_tui.screens.household.household_form import HouseholdForm
from hiw_tui.screens.household.household_list import HouseholdListScreen
from hiw_tui.screens.household.household_record import HouseholdRecordScreen
from hiw_tui.screens.household.person_form import PersonForm
from hiw_tui.widgets.field import FormField
from hiw_tui.widgets.footer import KeyFooter
from tests.helpers.clock import TODAY
from tests.helpers.factories import person_input, register
from tests.helpers.pilot import fill, open_first_household, save, screen_text, settle
from tests.helpers.world import World


def _set(app, selector: str, value: str) -> None:  # type: ignore[no-untyped-def]
    app.screen.query_one(selector, Input).value = value


async def test_the_record_shows_members_needs_and_key_facts(world: World) -> None:
    app = world.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_first_household(pilot)
        shown = screen_text(app)
        for words in (
            "HH-000",
            "Referred",
            "Liverpool",
            "Ada Adv",
            "Alex00 Abbot",
            "Sam00 Abbot",
            "Mental health issues",
        ):
            assert words in shown, words
        await pilot.press("j")
        assert "Name        Sam00 Abbot" in screen_text(app)


async def test_editing_a_household_saves_and_audits(world: World) -> None:
    app = world.app()
    household = world.households[0]
    async with app.run_test(size=(80, 24)) as pilot:
        await open_first_household(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, HouseholdForm)
        _set(app, "#previous-programmes", "Work Programme (2016)")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, HouseholdRecordScreen)
        assert "Work Programme (2016)" in screen_text(app)
    stored = world.stored(household.id)
    assert stored.previous_programmes == "Work Programme (2016)"
    assert stored.version == household.version + 1
    changes = [
        e.changes
        for e in world.database.read(
            events_for_household, actor=world.staff.manager, household_id=household.id
        )
    ]
    assert {"previous_programmes": ["", "Work Programme (2016)"]} in changes


async def test_bad_input_is_explained_beside_its_field_and_nothing_is_written(world: World) -> None:
    app = world.app()
    household = world.households[0]
    async with app.run_test(size=(80, 24)) as pilot:
        await open_first_household(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, PersonForm)
        _set(app, "#family-name", "Newcomer")
        _set(app, "#date-of-birth", "31/02/1990")
        _set(app, "#postcode", "NOT A CODE")
        await pilot.press("ctrl+s")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, PersonForm)
        errors = {field.name: field.has_class("-invalid") for field in form.query(FormField)}
        assert {name for name, bad in errors.items() if bad} == {
            "role",
            "given_name",
            "date_of_birth",
            "postcode",
        }
        shown = screen_text(app)
        assert "✗ A date as YYYY-MM-DD." in shown
        assert form.query_one("#role").has_focus  # the first field to correct
        assert form.query_one("#family-name", Input).value == "Newcomer"  # nothing typed is lost
        form.query_one("#date-of-birth", Input).focus()
        await pilot.press("ctrl+u", *"1990-02-28")  # mended: its message goes at once
        await settle(pilot)
        assert "A date as YYYY-MM-DD." not in screen_text(app)
        assert "✗ This is required." in screen_text(app)  # the others' stay till mended
        await pilot.press("escape")
        await settle(pilot)
    stored = world.stored(household.id)
    assert len(stored.members) == 2


async def test_a_clash_with_the_data_is_shown_beside_the_field(world: World) -> None:
    app = world.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_first_household(pilot)
        await pilot.press("e")
        await settle(pilot)
        _set(app, "#reference", "HH-001")  # taken by another household
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, HouseholdForm)
        assert app.screen.query_one("#field-reference", FormField).has_class("-invalid")
        assert "Reference HH-001 is already in use." in screen_text(app)


async def test_a_removed_member_is_listed_as_former_with_their_leaving_date(world: World) -> None:
    app = world.app()
    household = world.households[0]
    async with app.run_test(size=(80, 24)) as pilot:
        await open_first_household(pilot)
        await pilot.press("j", "x")
        await pilot.pause()
        await pilot.press("ctrl+a", "ctrl+k", *"2026-03-01", "enter")
        await settle(pilot)
        assert not [line for line in screen_text(app).splitlines() if "Secondary" in line]
        assert "Sam00 Abbot (secondary householder, left 2026-03-01)" in " ".join(
            screen_text(app).split()
        )
    stored = world.stored(household.id)
    assert [m.given_name for m in stored.members] == ["Alex00"]


async def test_a_leaving_date_that_does_not_exist_is_named_as_such(world: World) -> None:
    app = world.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_first_household(pilot)
        await pilot.press("j", "x")
        await pilot.pause()
        await pilot.press("ctrl+a", "ctrl+k", *"2026-02-30", "enter")
        await settle(pilot)
        assert "✗ 2026-02-30 is not a real date." in screen_text(app)


async def test_a_member_cannot_leave_before_the_household_started(world: World) -> None:
    app = world.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_first_household(pilot)
        await pilot.press("j", "x")
        await pilot.pause()
        await pilot.press("ctrl+a", "ctrl+k", *"2025-10-31", "enter")
        await settle(pilot)
        assert "✗ That is before the household started (2025-11-03)." in screen_text(app)
    assert len(world.stored(world.households[0].id).members) == 2


async def test_markup_and_escape_sequences_in_names_are_shown_literally_and_do_nothing(
    world: World,
) -> None:
    """Data that reached the database without the form's cleaning (say, an import) stays inert."""
    household = world.households[0]
    hostile_given, hostile_family = (
        "[@click=app.quit]Quit[/]",
        "[b]Bold[/b]\x1b[31m\x1b]0;pwned\x07",
    )
    with world.database.engine.begin() as connection:
        connection.execute(
            update(Person)
            .where(Person.household_id == household.id, Person.role == "primary")
            .values(given_name=hostile_given, family_name=hostile_family)
        )
        connection.execute(
            update(Household)
            .where(Household.id == household.id)
            .values(primary_name=f"{hostile_family}, {hostile_given}")
        )
    app = world.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        shown = screen_text(app)
        assert "[b]Bold[/b], [." in shown  # the family name as typed, the given's initial
        assert "\x1b" not in shown and "pwned" not in shown  # the whole sequence is dropped
        await pilot.click("#households", offset=(20, 1))
        await settle(pilot)
        assert app.is_running
        assert isinstance(app.screen, HouseholdListScreen | HouseholdRecordScreen)
        await pilot.press("enter")
        await settle(pilot)
        record_text = screen_text(app)
        assert "[. [b]Bold[/b]" in record_text  # the members table, shortened as typed
        assert "[@click=app.quit]Quit[/]" in record_text  # and in full below
        await pilot.click("#members .row-detail", offset=(14, 0))
        await settle(pilot)
        assert app.is_running


async def test_a_supervisor_can_reassign_and_an_advocate_cannot(world: World) -> None:
    household = world.households[0]
    before = world.stored(household.id)
    app = world.app(world.staff.ada)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_first_household(pilot)
        screens = list(app.screen_stack)
        await pilot.press("r")  # reassign: not an advocate's to do
        await settle(pilot)
        assert list(app.screen_stack) == screens
        assert world.stored(household.id) == before
        await pilot.press("e")
        await settle(pilot)
        assert app.screen.query_one("#advocate").disabled
    app = world.app(world.staff.liverpool_supervisor)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_first_household(pilot)
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, HouseholdForm)
        advocate = app.screen.query_one("#advocate")
        assert advocate.has_focus
        advocate.value = world.staff.ben.id  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Ben Adv" in screen_text(app)
    stored = world.stored(household.id)
    assert stored.advocate_id == world.staff.ben.id


async def test_tab_in_a_burst_of_typing_moves_to_the_next_field_in_order(world: World) -> None:
    """Typing "Jo<Tab>Bloggs<Tab>..." faster than the screen answers fills each field."""
    from textual import events

    app = world.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_first_household(pilot)
        await pilot.press("a")
        await settle(pilot)
        app.screen.set_focus(app.screen.query_one("#given-name"))
        await pilot.pause()
        keys = [*"Jo", "tab", *"Bloggs", "tab", *"1990-01-31", "shift+tab", "shift+tab"]
        for key in keys:
            character = key if len(key) == 1 else None
            app.post_message(events.Key(key, character))
        await settle(pilot)
        assert app.screen.query_one("#given-name", Input).value == "Jo"
        assert app.screen.query_one("#family-name", Input).value == "Bloggs"
        assert app.screen.query_one("#date-of-birth", Input).value == "1990-01-31"
        assert app.screen.query_one("#given-name").has_focus


async def test_a_double_save_keypress_saves_once(world: World) -> None:
    import threading

    from textual import events

    from hiw_tui.db.core.engine import write_session

    app = world.app()
    household = world.households[0]
    async with app.run_test(size=(80, 24)) as pilot:
        await open_first_household(pilot)
        await pilot.press("a")
        await settle(pilot)
        form = app.screen
        form.query_one("#role").value = "member"  # type: ignore[attr-defined]
        _set(app, "#given-name", "Kit")
        _set(app, "#family-name", "Twice")
        _set(app, "#date-of-birth", "2001-04-04")
        # A colleague's write holds the lock, so the first save is still waiting when
        # the second keypress arrives.
        held, release = threading.Event(), threading.Event()

        def colleague() -> None:
            with write_session(world.database.engine):
                held.set()
                release.wait(10)

        blocker = threading.Thread(target=colleague)
        blocker.start()
        held.wait(5)
        app.post_message(events.Key("ctrl+s", None))
        await pilot.pause(0.2)  # the first save is under way, waiting for the lock
        app.post_message(events.Key("ctrl+s", None))
        await pilot.pause(0.2)
        release.set()
        blocker.join()
        await settle(pilot)
        assert isinstance(app.screen, HouseholdRecordScreen)
    stored = world.stored(household.id)
    assert [m.given_name for m in stored.members].count("Kit") == 1


async def test_a_reference_typed_before_the_suggestion_arrives_is_kept(world: World) -> None:
    app = world.app(world.staff.ada)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, HouseholdForm)
        _set(app, "#reference", "MY-OWN-1")
        form.post_message(HouseholdForm.ReferenceSuggested("LIV-00099"))  # arriving late
        await settle(pilot)
        assert form.query_one("#reference", Input).value == "MY-OWN-1"


async def test_removing_a_member_someone_else_just_changed_shows_the_change(world: World) -> None:
    from hiw_tui.db.households.people import update_person
    from hiw_tui.screens.dialogs.common import ErrorScreen

    app = world.app()
    household = world.households[0]
    secondary = household.members[1]
    async with app.run_test(size=(80, 24)) as pilot:
        await open_first_household(pilot)
        world.database.write(
            update_person,
            actor=world.staff.manager,
            person_id=secondary.id,
            version=secondary.version,
            data=person_input(role="secondary", given_name="Samira", family_name="Abbot"),
        )
        await pilot.press("j", "x")
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ErrorScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert "Samira Abbot" in screen_text(app)  # reloaded: what is stored now
    stored = world.stored(household.id)
    assert [m.given_name for m in stored.members] == ["Alex00", "Samira"]


async def test_backspace_in_a_field_reached_by_a_failed_save_takes_one_character(
    world: World,
) -> None:
    app = world.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_first_household(pilot)
        await pilot.press("a")
        await settle(pilot)
        fill(pilot, role="secondary")
        _set(app, "#given-name", "Dean")
        _set(app, "#family-name", "Smith")
        _set(app, "#date-of-birth", "1981-02-30")
        await pilot.press("ctrl+s")
        await settle(pilot)
        field = app.screen.query_one("#date-of-birth", Input)
        assert field.has_focus
        await pilot.press("backspace", "backspace", "2", "8")
        await settle(pilot)
        assert field.value == "1981-02-28"


async def test_a_referral_is_registered_unstarted_and_made_active_only_with_a_start_date(
    world: World,
) -> None:
    app = world.app(world.staff.ada)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, HouseholdForm)
        assert form.query_one("#start-date", Input).value == ""  # a referral has not started
        assert form.query_one("#referred-on", Input).value == TODAY.isoformat()
        fill(pilot, reference="REF-001", referral_route="jcp", referred_on="2026-03-09")
        await save(pilot)
        assert isinstance(app.screen, HouseholdRecordScreen)
        shown = " ".join(screen_text(app).split())
        assert "Started not started" in shown
        assert "Referred on 2026-03-09" in shown
        household = app.screen.record
        assert household is not None
        assert (world.stored(household.id).start_date, household.status) == (None, "referred")

        for person in (person_input(), person_input(role="secondary", given_name="Sam")):
            world.database.write(
                add_person, actor=world.staff.ada, household_id=household.id, data=person
            )
        await pilot.press("ctrl+r")
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        fill(pilot, status="active")
        await save(pilot)
        form = app.screen
        assert isinstance(form, HouseholdForm)  # refused: nothing saved
        start = form.query_one("#field-start-date", FormField)
        assert start.has_class("-invalid") and start.control.has_focus
        error = str(start.query_one(".field-error", Static).content)
        assert error == "✗ A household that has started needs a start date."
        assert world.stored(household.id).status == "referred"
        fill(pilot, start_date="2026-03-16")
        await save(pilot)
        assert isinstance(app.screen, HouseholdRecordScreen)
        assert "Started 2026-03-16 (0 months)" in " ".join(screen_text(app).split())
    stored = world.stored(household.id)
    assert (stored.status, stored.start_date, stored.referred_on) == (
        "active",
        date(2026, 3, 16),
        date(2026, 3, 9),
    )


async def test_the_records_footer_is_composed_once_as_it_opens(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its keys were composed while it loaded and again once the record arrived (Score
    and Readings added): each compose lays the screen out and draws it again."""
    composed: list[str] = []
    compose = KeyFooter.compose

    def counted(footer: KeyFooter) -> ComposeResult:
        if footer._bindings_ready:  # else it composes nothing: the keys are not known yet
            composed.append(type(footer.screen).__name__)
        return compose(footer)

    monkeypatch.setattr(KeyFooter, "compose", counted)
    app = world.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        composed.clear()
        await open_first_household(pilot)
        await settle(pilot)
        assert composed == ["HouseholdRecordScreen"]
        assert "s Score h Readings" in screen_text(app).splitlines()[-1]


async def test_a_long_member_name_leaves_needs_and_star_on_screen_at_80_columns(
    world: World,
) -> None:
    """A long name widened its column and pushed Needs and Star past the edge."""
    register(
        world.database,
        world.staff.manager,
        world.staff.ada,
        person_input(given_name="Alexandrina-Josephine", family_name="Bartholomew-Harrington"),
        reference="HA-001",
    )
    app = world.app(world.staff.ada)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_first_household(pilot)
        shown = screen_text(app).splitlines()
        [heading] = [line for line in shown if line.lstrip().startswith("Role")]
        assert "Needs" in heading and "Star" in heading
        [row] = [line for line in shown if line.lstrip().startswith("Primary")]
        assert "A. Bartholomew-Harr" in row
        [detail] = [line for line in shown if line.lstrip().startswith("Name ")]
        assert "Alexandrina-Josephine" in detail  # in full below (wrapped)
