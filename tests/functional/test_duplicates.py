"""Adding a member who may be held already: the warning at 80x24, from the keyboard, for
an advocate and a supervisor; what it shows in and out of scope; each way out; the audit.

In the seeded world everyone is born on 1988-05-17, and each household's primary is
"AlexNN <Family>": Ada (Liverpool) holds HH-000 to HH-014, Cal (Wirral) HH-015 to HH-024.
"""

from __future__ import annotations

from sqlmodel import Session, col, select
from textual.pilot import Pilot
from textual.widgets import Input

from hiw_tui.db.core.models import AuditEvent, UserPublic
from hiw_tui.screens.dialogs.duplicates import DuplicatesScreen
from hiw_tui.screens.household.household_record import HouseholdRecordScreen
from hiw_tui.screens.household.person_form import PersonForm
from tests.helpers.factories import person_input, register
from tests.helpers.pilot import SIZE, lines_with, open_household, screen_text, settle
from tests.helpers.world import World

DOYLES_ADA_HOLDS = ("HH-003", "HH-008", "HH-013")
"""Ada's households whose primary is an Alex Doyle (HH-018 and HH-023 are Cal's)."""


async def _add_member(pilot: Pilot[None], *fields: str, row: int = 1) -> PersonForm:
    """Open household `row` of the list (HH-001), add a member: role "member", then each
    of `fields` typed into the next field (given name, family name, date of birth, ...),
    and Ctrl+S."""
    await open_household(pilot, row=row)
    await pilot.press("a")
    await settle(pilot)
    form = pilot.app.screen
    assert isinstance(form, PersonForm)
    await pilot.press("enter", "down", "down", "down", "enter")  # the role: member
    for text in fields:
        await pilot.press("tab", *text)
    await pilot.press("ctrl+s")
    await settle(pilot)
    return form


def _said(pilot: Pilot[None]) -> str:
    """What the dialog on top says, its lines run together (wrapped words joined)."""
    inside = [
        line[line.index("█") + 1 : line.rindex("█")].strip()
        for line in screen_text(pilot.app).splitlines()
        if line.count("█") >= 2
    ]
    return " ".join(" ".join(inside).split())


def _audited(world: World, actor: UserPublic) -> list[tuple[str, dict[str, object]]]:
    def rows(session: Session) -> list[tuple[str, dict[str, object]]]:
        statement = (
            select(AuditEvent)
            .where(col(AuditEvent.action).startswith("duplicate"), AuditEvent.actor_id == actor.id)
            .order_by(col(AuditEvent.id))
        )
        return [(event.action, event.changes) for event in session.exec(statement)]

    return world.database.read(rows)


async def test_an_advocate_sees_who_in_her_caseload_and_opens_one_then_comes_back(
    world: World,
) -> None:
    app = world.app(world.staff.ada)
    async with app.run_test(size=SIZE) as pilot:
        form = await _add_member(pilot, "Alex", "Doyle", "1988-05-17")
        assert isinstance(app.screen, DuplicatesScreen)
        shown = screen_text(app)
        for reference in DOYLES_ADA_HOLDS:
            [line] = lines_with(app, reference)
            assert f"Alex{reference[-2:]} Doyle  {reference}     1988-05-17  Ada Adv" in line
        assert "HH-018" not in shown and "HH-023" not in shown and "Cal Adv" not in shown
        assert "Alex03 Doyle has the same date of birth and a similar name." in shown
        assert (
            "A possible match is held in another caseload. Ask your supervisor (Sam Super) "
            "before going on; nothing more about it is shown here."
        ) in _said(pilot)
        await pilot.press("j", "o")  # the second listed: HH-008
        await settle(pilot)
        assert isinstance(app.screen, HouseholdRecordScreen)
        assert "HH-008" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is form  # as it was typed
        assert form.query_one("#given-name", Input).value == "Alex"
        assert form.query_one("#date-of-birth", Input).value == "1988-05-17"
        assert "Not saved yet: a possible duplicate is held" in screen_text(app)
    assert len(world.stored(world.households[1].id).members) == 2
    shown_ids = [member.id for h in (3, 8, 13) for member in world.households[h].members[:1]]
    assert _audited(world, world.staff.ada) == [
        ("duplicate_warning", {"shown": [None, shown_ids], "elsewhere": [None, True]}),
        (
            "duplicate_decision",
            {"decision": [None, "open"], "opened": [None, world.households[8].id]},
        ),
    ]


async def test_save_anyway_saves_and_esc_goes_back_with_nothing_saved(world: World) -> None:
    app = world.app(world.staff.ada)
    household = world.households[1]
    async with app.run_test(size=SIZE) as pilot:
        form = await _add_member(pilot, "Alex", "Doyle", "1988-05-17")
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is form and form.query_one("#family-name", Input).value == "Doyle"
        assert len(world.stored(household.id).members) == 2
        await pilot.press("ctrl+s")  # asks again
        await settle(pilot)
        assert isinstance(app.screen, DuplicatesScreen)
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, HouseholdRecordScreen)
        assert "Alex Doyle" in screen_text(app)
    assert len(world.stored(household.id).members) == 3
    decisions = [c["decision"] for a, c in _audited(world, world.staff.ada) if "decision" in c]
    assert decisions == [[None, "back"], [None, "save"]]


async def test_a_match_only_outside_her_scope_says_whom_to_ask_and_nothing_more(
    world: World,
) -> None:
    register(
        world.database,
        world.staff.manager,
        world.staff.cal,
        person_input(given_name="Wyn", family_name="Zed-Jones", phone="07700 900444"),
        reference="WIR-ZED",
    )
    app = world.app(world.staff.ada)
    async with app.run_test(size=SIZE) as pilot:
        await _add_member(pilot, "Wynn", "Zed Jones", "1988-05-17")
        assert isinstance(app.screen, DuplicatesScreen)
        shown = screen_text(app)
        assert "A possible match is held in another caseload. Ask your supervisor" in shown
        for hidden in ("WIR-ZED", "Zed", "Cal Adv", "Wirral", "Open (o)"):
            assert hidden not in shown.replace("Zed Jones", ""), hidden
        await pilot.press("o")  # nothing to open
        await settle(pilot)
        assert isinstance(app.screen, DuplicatesScreen)
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, HouseholdRecordScreen)


async def test_a_safe_contact_households_phone_is_never_matched(world: World) -> None:
    register(
        world.database,
        world.staff.manager,
        world.staff.ada,
        person_input(given_name="Kim", family_name="Shaw", phone="07700 900555"),
        safe_contact=True,
    )
    register(
        world.database,
        world.staff.manager,
        world.staff.ada,
        person_input(given_name="Lee", family_name="Open", phone="07700 900666"),
    )
    app = world.app(world.staff.ada)  # Kim's own advocate: still never on the phone
    async with app.run_test(size=SIZE) as pilot:
        await _add_member(pilot, "Pat", "Other", "1970-01-01", "", "", "", "", "07700 900555")
        assert isinstance(app.screen, HouseholdRecordScreen)  # saved at once
        assert "Pat Other" in screen_text(app)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("enter", "down", "down", "down", "enter")
        for text in ("Jan", "Other", "1971-01-01", "", "", "", "", "07700 900666"):
            await pilot.press("tab", *text)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, DuplicatesScreen)
        assert "Lee Open has the same phone number." in screen_text(app)


async def test_a_supervisor_sees_her_area_and_asks_a_programme_manager_about_others(
    world: World,
) -> None:
    app = world.app(world.staff.liverpool_supervisor)
    async with app.run_test(size=SIZE) as pilot:
        await _add_member(pilot, "Alex", "Doyle", "1988-05-17", row=1)
        assert isinstance(app.screen, DuplicatesScreen)
        shown = screen_text(app)
        assert all(reference in shown for reference in DOYLES_ADA_HOLDS)
        assert "Ask a programme manager (Pat Manager) before going on" in _said(pilot)
        assert "HH-018" not in shown
        await pilot.press("b")
        await settle(pilot)
        assert isinstance(app.screen, PersonForm)
