"""Who took part in a contact is ticked from the household's members, by keyboard at
80x24, and shown by name to the advocate and their supervisor."""

from __future__ import annotations

from datetime import date

import pytest

from hiw_tui.db.casework.contacts import household_contacts, save_contact
from hiw_tui.db.core.errors import FieldError
from hiw_tui.db.households.people import remove_person
from hiw_tui.domain.case_inputs import ContactInput
from hiw_tui.screens.casework.contacts import ContactForm, ContactsScreen
from tests.helpers.clock import TODAY
from tests.helpers.evaluation import give_consent
from tests.helpers.pilot import SIZE, fill, lines_with, open_household, save, screen_text, settle
from tests.helpers.world import World


async def test_the_advocate_ticks_who_took_part_from_the_members(world: World) -> None:
    household = world.households[1]
    app = world.app(world.staff.ada)
    async with app.run_test(size=SIZE) as pilot:
        await open_household(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, ContactsScreen)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, ContactForm)
        assert lines_with(app, "[ ] Alex01 Barker") and lines_with(app, "[ ] Sam01 Barker")
        fill(pilot, mode="phone")
        await pilot.press("tab", "tab", "down", "space")  # the members: tick the second
        await pilot.press("tab", *"Her sister", "tab", *"Welfare check")
        await settle(pilot)
        assert lines_with(app, "[x] Sam01 Barker") and lines_with(app, "[ ] Alex01 Barker")
        await save(pilot)
        await settle(pilot)
        assert isinstance(app.screen, ContactsScreen)
        assert lines_with(app, "With: Sam01 Barker, Her sister")
    (contact,) = world.database.write(
        household_contacts, actor=world.staff.ada, household_id=household.id
    )
    assert contact.participant_ids == (household.members[1].id,)
    assert (contact.participant_names, contact.participants) == (("Sam01 Barker",), "Her sister")


async def test_the_supervisor_sees_the_names_and_one_who_has_left_stays_ticked(
    world: World,
) -> None:
    household = world.households[1]
    alex, sam = household.members
    data = ContactInput(
        contacted_on=date(2026, 3, 2),
        mode="face_to_face",
        purpose="Home visit",
        participant_ids=[alex.id, sam.id],
    )
    world.database.write(save_contact, actor=world.staff.ada, household_id=household.id, data=data)
    world.database.write(
        remove_person, actor=world.staff.ada, person_id=sam.id, version=sam.version, left_on=TODAY
    )
    app = world.app(world.staff.liverpool_supervisor)
    async with app.run_test(size=SIZE) as pilot:
        await open_household(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert lines_with(app, "With: Alex01 Barker, Sam01 Barker")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ContactForm)
        shown = screen_text(app)
        assert "[x] Alex01 Barker" in shown and "[x] Sam01 Barker (has left)" in shown
        await pilot.press("tab", "tab", "space")  # untick Alex
        await save(pilot)
        await settle(pilot)
        assert lines_with(app, "With: Sam01 Barker")
    (contact,) = world.database.write(
        household_contacts, actor=world.staff.ada, household_id=household.id
    )
    assert contact.participant_ids == (sam.id,)


async def test_a_member_of_another_household_is_refused(world: World) -> None:
    other = world.households[2].members[0]
    data = ContactInput(
        contacted_on=date(2026, 3, 2), mode="phone", purpose="Call", participant_ids=[other.id]
    )
    with pytest.raises(FieldError, match="Choose a member of this household"):
        world.database.write(
            save_contact, actor=world.staff.ada, household_id=world.households[1].id, data=data
        )


async def test_a_contact_just_logged_is_the_one_highlighted(world: World) -> None:
    """Logged for an earlier day, it sorts below a later one: the highlight follows it."""
    household = world.households[1]
    later = ContactInput(contacted_on=TODAY, mode="phone", purpose="Later call")
    world.database.write(save_contact, actor=world.staff.ada, household_id=household.id, data=later)
    app = world.app(world.staff.ada)
    async with app.run_test(size=SIZE) as pilot:
        await open_household(pilot)
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        fill(pilot, mode="phone", contacted_on=date(TODAY.year, 1, 5).isoformat())
        await pilot.press("tab", "tab", "space", "tab", "tab", *"Earlier visit")
        await save(pilot)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ContactsScreen)
        current = screen.current()
        assert current is not None and current.purpose == "Earlier visit"
        assert lines_with(app, "With: Alex01 Barker")


async def test_a_call_with_someone_who_withdrew_consent_to_calls_says_so(world: World) -> None:
    """A phone call was logged with a member who had withdrawn consent to be phoned, and
    nothing said so. The form names them as the way and the members are chosen."""
    household = world.households[1]
    give_consent(world.database, world.staff.ada, household, 1, "contact_phone", date(2026, 2, 1))
    give_consent(world.database, world.staff.ada, household, 1, "contact_phone", TODAY, given=False)
    app = world.app(world.staff.ada)
    async with app.run_test(size=SIZE) as pilot:
        await open_household(pilot)
        await pilot.press("c", "n")
        await settle(pilot)
        fill(pilot, mode="phone")
        await pilot.press("tab", "tab", "space")  # Alex01, who has not withdrawn
        await settle(pilot)
        assert not lines_with(app, "withdrew consent")
        await pilot.press("down", "space")  # and Sam01, who has
        await settle(pilot)
        assert lines_with(app, "! Sam01 Barker withdrew consent to be contacted")
        fill(pilot, mode="face_to_face")
        await settle(pilot)
        assert not lines_with(app, "withdrew consent")
        fill(pilot, mode="phone", purpose="They rang about the food bank")
        await save(pilot)  # it is still logged: they may have got in touch
        assert isinstance(app.screen, ContactsScreen)
