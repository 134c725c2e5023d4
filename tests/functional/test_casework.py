"""Case work driven through the app: plans, referrals, outcomes, contacts, the week,
exits and short-term cases, and two advocates editing one plan at once."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Select, TextArea

from hiw_tui.db.casework.contacts import household_contacts, save_contact
from hiw_tui.db.casework.outcomes import household_outcomes
from hiw_tui.db.casework.partners import list_partners
from hiw_tui.db.casework.plans import household_plans, plan_history
from hiw_tui.db.casework.referrals import household_referrals
from hiw_tui.domain.case_inputs import ContactInput
from hiw_tui.screens.base.form import FormScreen
from hiw_tui.screens.casework.exit_form import ExitForm, SupportDueScreen
from hiw_tui.screens.casework.my_week import MyWeekScreen
from hiw_tui.screens.casework.plan import PlanScreen
from hiw_tui.screens.casework.referrals import ReferralForm
from hiw_tui.screens.dialogs.unsaved import UnsavedChangesScreen
from hiw_tui.screens.household.consent import ConsentScreen
from hiw_tui.screens.household.household_record import HouseholdRecordScreen
from hiw_tui.widgets.detail_table import DetailTable
from tests.helpers.factories import (
    add_partner,
    consent_to_share,
    person_input,
    register,
    step_input,
)
from tests.helpers.pdf import pdf_text
from tests.helpers.pilot import SIZE, fill, lines_with, open_household, save, screen_text, settle
from tests.helpers.world import World, plan_goal, solo_case


async def open_plan(pilot: Pilot[None]) -> None:
    """From the list, the plan of the household on row 1."""
    await open_household(pilot)
    await pilot.press("p")
    await settle(pilot)
    assert isinstance(pilot.app.screen, PlanScreen)


async def test_a_plan_is_built_reordered_agreed_and_its_history_kept(world: World) -> None:
    app = world.app(world.staff.ada)
    async with app.run_test(size=SIZE) as pilot:
        await open_plan(pilot)
        assert "Plan 2/3: Alex01 Barker" in screen_text(app)
        await pilot.press("g")
        await settle(pilot)
        fill(pilot, area="money")
        await pilot.press("tab", *"Clear the rent arrears")
        await save(pilot)
        for text in ("Call the landlord", "Budgeting session"):
            await pilot.press("n")
            await settle(pilot)
            await pilot.press(*text)
            await save(pilot)
        assert lines_with(app, "Money: Clear the rent arrears")
        assert "⚠ not yet agreed" in screen_text(app)
        await pilot.press("K")  # the highlighted (last) step moves up
        await settle(pilot)
        rows = [line for line in screen_text(app).splitlines() if "1." in line or "2." in line]
        assert "Budgeting session" in rows[0] and "Call the landlord" in rows[1]
        await pilot.press("a")
        await settle(pilot)
        assert "✓ agreed 2026-03-16 with Ada Adv" in screen_text(app)
        await pilot.press("enter")  # edit the highlighted step: mark it done
        await settle(pilot)
        fill(pilot, status="done")
        await save(pilot)
        assert lines_with(app, "Budgeting session")[0].rstrip().endswith("Done")
        # Carrying a step out is progress: the plan stays as agreed.
        assert "✓ agreed 2026-03-16 with Ada Adv" in screen_text(app)
        await pilot.press("h")
        await settle(pilot)
        # Codes read as the plan shows them, not as stored.
        assert lines_with(app, "Status: Planned → Done")
        assert not lines_with(app, "planned")
    plan = world.database.read(
        household_plans, actor=world.staff.ada, household_id=world.households[1].id
    )[1]
    history = world.database.read(plan_history, actor=world.staff.ada, plan_id=plan.id)
    assert [line.action for line in history][:3] == ["update", "agree", "move"]


async def test_a_step_needs_a_description_and_the_message_says_so(world: World) -> None:
    plan_goal(world)
    app = world.app(world.staff.ada)
    async with app.run_test(size=SIZE) as pilot:
        await open_plan(pilot)
        await pilot.press("n")
        await settle(pilot)
        fill(pilot, due_on="next week")
        await save(pilot)
        assert isinstance(app.screen, FormScreen)
        assert lines_with(app, "✗ This is required.")
        assert lines_with(app, "✗ A date as YYYY-MM-DD.")


async def test_a_step_due_on_a_day_that_does_not_exist_says_so(world: World) -> None:
    plan_goal(world)
    app = world.app(world.staff.ada)
    async with app.run_test(size=SIZE) as pilot:
        await open_plan(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press(*"Write a CV")
        fill(pilot, due_on="2026-04-31")
        await save(pilot)
        assert isinstance(app.screen, FormScreen)
        assert lines_with(app, "✗ 2026-04-31 is not a real date.")


async def test_a_referral_to_a_new_partner_needs_consent(world: World) -> None:
    app = world.app(world.staff.ada)
    person = world.households[1].members[0].id
    async with app.run_test(size=SIZE) as pilot:
        await open_household(pilot)
        assert lines_with(app, "none recorded (K records it)")
        await pilot.press("f")
        await settle(pilot)
        assert lines_with(app, "No referrals yet")
        await pilot.press("P", "n")
        await settle(pilot)
        await pilot.press(*"Anfield Food Bank")
        fill(pilot, kind="food_bank")
        await save(pilot)
        assert lines_with(app, "Anfield Food Bank")
        await pilot.press("escape", "n")
        await settle(pilot)
        [partner] = world.database.read(list_partners, actor=world.staff.ada)
        bank = partner.id
        fill(pilot, partner_id=bank, person_id=person, purpose="Food parcel this week")
        await save(pilot)
        assert lines_with(app, "No consent to share with this partner")
        assert not app.screen.query("#consent-override")  # an advocate cannot override
        await pilot.press("escape", "d", "escape", "K")  # the unsaved referral discarded
        await settle(pilot)
        assert lines_with(app, "No consent recorded yet")
        await pilot.press("n")
        await settle(pilot)
        fill(pilot, person_id=person, purpose="share_partner")
        await settle(pilot)
        fill(pilot, partner_id=bank)
        await save(pilot)
        assert lines_with(app, "Share with Anfield Food Bank")[0].count("Given") == 1
        await pilot.press("escape")
        await settle(pilot)
        assert lines_with(app, "Share with Anfield Food Bank ✓")
        await pilot.press("f", "n")
        await settle(pilot)
        fill(pilot, partner_id=bank, person_id=person, purpose="Food parcel this week")
        await save(pilot)
        assert lines_with(app, "Anfield Food Bank")[0].count("Made") == 1
    [referral] = world.database.read(
        household_referrals, actor=world.staff.ada, household_id=world.households[1].id
    )
    assert (referral.partner_name, referral.purpose, referral.consent_override) == (
        "Anfield Food Bank",
        "Food parcel this week",
        "",
    )


async def test_consent_is_recorded_from_a_refused_referral_and_it_saves(world: World) -> None:
    """A referral refused for want of consent had to be thrown away to reach the consent
    screen. Ctrl+K opens it over the form; back, the referral saves as typed."""
    household = world.households[1]
    bank = add_partner(world.database, world.staff.ada, "Anfield Food Bank")
    person = household.members[0].id
    app = world.app(world.staff.ada)
    async with app.run_test(size=SIZE) as pilot:
        await open_household(pilot)
        await pilot.press("f", "n")
        await settle(pilot)
        fill(pilot, partner_id=bank, person_id=person, purpose="Food parcel this week")
        await save(pilot)
        assert lines_with(app, "(Ctrl+K)")
        purpose = app.screen.query_one("#purpose", Input)
        purpose.focus()
        purpose.cursor_position = 0  # where a text field's own Ctrl+K deleted it all
        await pilot.press("ctrl+k")
        await settle(pilot)
        assert isinstance(app.screen, ConsentScreen)
        await pilot.press("n")
        await settle(pilot)
        fill(pilot, person_id=person, purpose="share_partner")
        await settle(pilot)
        fill(pilot, partner_id=bank)
        await save(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ReferralForm)
        assert app.screen.query_one("#purpose", Input).value == "Food parcel this week"
        assert not lines_with(app, "No consent to share")  # recorded: the mark has gone
        await save(pilot)
        assert lines_with(app, "Anfield Food Bank")[0].count("Made") == 1
    [referral] = world.database.read(
        household_referrals, actor=world.staff.ada, household_id=household.id
    )
    assert referral.consent_override == ""


async def test_a_job_says_whether_and_when_it_counts(world: World) -> None:
    app = world.app(world.staff.ada)
    async with app.run_test(size=SIZE) as pilot:
        await open_household(pilot)
        await pilot.press("o", "n")
        await settle(pilot)
        person = world.households[1].members[0].id
        fill(
            pilot,
            person_id=person,
            kind="job",
            organisation="Mersey Bakery",
            start_on="2026-03-02",
            hours="15",
        )
        await pilot.pause()
        assert lines_with(app, "✗ Not a job outcome: under 16 hours a week.")
        fill(pilot, hours="16")
        await pilot.pause()
        assert lines_with(app, "Becomes a job outcome on 2026-03-30 if still in work")
        await save(pilot)
        assert lines_with(app, "Mersey Bakery")[0].rstrip().endswith("… not yet")
    [job] = world.database.read(
        household_outcomes, actor=world.staff.ada, household_id=world.households[1].id
    )
    assert (job.kind, job.hours, job.end_on) == ("job", 16, None)


async def test_a_welfare_check_puts_the_next_contact_on_my_week(world: World) -> None:
    app = world.app(world.staff.ada)
    async with app.run_test(size=SIZE) as pilot:
        await open_household(pilot)
        await pilot.press("c", "n")
        await settle(pilot)
        fill(pilot, mode="phone", recontact="daily", contacted_on="2026-03-16")
        await pilot.press("tab", "tab", "tab", "tab", *"Welfare check")  # past the members
        await save(pilot)
        assert "Next contact due: 2026-03-17" in screen_text(app)
        await pilot.press("w")
        await settle(pilot)
        assert isinstance(app.screen, MyWeekScreen)
        [due] = [item for item in app.screen.items if item.kind == "contact"]
        assert (due.reference, due.due_on, due.what) == (
            "HH-001",
            date(2026, 3, 17),
            "Contact due (welfare check)",
        )
    [contact] = world.database.read(
        household_contacts, actor=world.staff.ada, household_id=world.households[1].id
    )
    assert (contact.purpose, contact.recontact) == ("Welfare check", "daily")


async def test_a_supervisors_week_names_each_households_advocate(world: World) -> None:
    plan_goal(world)
    app = world.app(world.staff.liverpool_supervisor)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        # Support ends show four weeks ahead, and the heading says so.
        assert lines_with(app, "Due within 7 days, support ending within 4 weeks: ")
        assert "Advocate" in lines_with(app, " Due  ")[0]
        steps = lines_with(app, "  Step  ")
        assert len(steps) == 2 and all(" Ada Adv " in line for line in steps)
        screen = app.screen
        assert isinstance(screen, MyWeekScreen)
        row = next(i for i, item in enumerate(screen.items) if item.kind == "step")
        await pilot.press(*["j"] * (row + 1))
        await settle(pilot)
        assert lines_with(app, "Step: Visit the job club (Alex01)  advocate: Ada Adv")


async def test_a_new_contact_keeps_the_standing_welfare_check(world: World) -> None:
    household = world.households[1]
    check = ContactInput(
        contacted_on=date(2026, 3, 9), mode="phone", purpose="Welfare check", recontact="weekly"
    )
    world.database.write(save_contact, actor=world.staff.ada, household_id=household.id, data=check)
    app = world.app(world.staff.ada)
    async with app.run_test(size=SIZE) as pilot:
        await open_household(pilot)
        await pilot.press("c", "n")
        await settle(pilot)
        assert app.screen.query_one("#recontact", Select).value == "weekly"
        fill(pilot, mode="phone", contacted_on="2026-03-16", purpose="About the interview")
        await save(pilot)
        assert "Next contact due: 2026-03-23" in screen_text(app)


async def test_my_week_shows_an_item_whole_and_opens_a_step_in_its_plan(world: World) -> None:
    plan_goal(world)
    app = world.app(world.staff.ada)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        steps = lines_with(app, "  Step  ")
        assert len(steps) == 2 and "2026-03-20" in steps[0]
        screen = app.screen
        assert isinstance(screen, MyWeekScreen)
        row = next(i for i, item in enumerate(screen.items) if item.kind == "step")
        await pilot.press(*["j"] * (row + 1))
        await settle(pilot)
        # What the step is comes first, then whose it is; the highlighted item is shown
        # whole below the list, with its household.
        assert lines_with(app, "  Step  ")[1].rstrip().endswith("Visit the job club (Alex01)")
        assert lines_with(app, "HH-001 Barker, Alex01: Step: Visit the job club (Alex01)")
        await pilot.press("home")  # the first row, as End is the last
        await settle(pilot)
        assert screen.query_one(DetailTable).current == screen.items[0]
        await pilot.press("end")
        await settle(pilot)
        assert screen.query_one(DetailTable).current == screen.items[-1]
        await pilot.press("home", *["j"] * row, "enter")
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen)
        assert "Write a CV" in lines_with(app, "1.")[0]
        await pilot.press("escape")  # back where the user came from, for the next item
        await settle(pilot)
        assert app.screen is screen


async def test_an_exit_records_the_destination_and_onward_referral(world: World) -> None:
    onward_to = add_partner(
        world.database, world.staff.ada, "Ways to Work Liverpool", "ways_to_work"
    )
    app = world.app(world.staff.ada)
    async with app.run_test(size=SIZE) as pilot:
        await open_household(pilot)
        await pilot.press("X")
        await settle(pilot)
        assert isinstance(app.screen, ExitForm)
        fill(pilot, reason="completed", destination="other_programme")
        fill(pilot, onward_partner_id=onward_to)
        await save(pilot)
        # No consent to share: said beside the onward referral, and nothing is saved.
        assert isinstance(app.screen, ExitForm)
        shown = screen_text(app).splitlines()
        refused = [n for n, line in enumerate(shown) if "✗ No consent to share" in line]
        onward = [n for n, line in enumerate(shown) if "Onward referral to" in line]
        assert refused and onward and 0 < refused[0] - onward[0] <= 2
        assert world.stored(world.households[1].id).status == "active"
        consent_to_share(world.database, world.staff.ada, world.households[1], onward_to)
        await save(pilot)
        assert isinstance(app.screen, HouseholdRecordScreen)
        assert lines_with(app, "Completed 12 months")
        assert lines_with(app, "left 2026-03-16")
    stored = world.stored(world.households[1].id)
    assert (stored.status, stored.exit_destination) == ("exited", "other_programme")
    [onward] = world.database.read(
        household_referrals, actor=world.staff.ada, household_id=stored.id
    )
    assert onward.onward


async def test_a_short_term_case_at_twelve_weeks_asks_to_convert_or_exit(world: World) -> None:
    onward_to = add_partner(
        world.database, world.staff.ada, "Citizens Advice Liverpool", "citizens_advice"
    )
    solo = solo_case(world, "short_term", date(2025, 12, 1))
    consent_to_share(world.database, world.staff.ada, solo, onward_to)
    app = world.app(world.staff.ada)
    async with app.run_test(size=SIZE) as pilot:
        await open_household(pilot, row=0)
        assert isinstance(app.screen, SupportDueScreen)
        await pilot.press("c")  # convert: refused, there is no second householder
        await settle(pilot)
        assert "second eligible householder joins" in " ".join(screen_text(app).split())
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("X")
        await settle(pilot)
        fill(pilot, reason="short_term_ended", destination="other")
        await save(pilot)
        assert lines_with(app, "✗ Choose the service")
        fill(pilot, onward_partner_id=onward_to)
        await save(pilot)
        assert lines_with(app, "Short-term support ended")


async def test_a_case_past_its_twelve_months_asks_to_exit_on_opening(world: World) -> None:
    register(
        world.database,
        world.staff.manager,
        world.staff.ada,
        person_input(given_name="Long", family_name="Aardvark"),
        person_input(role="secondary", given_name="Stay", family_name="Aardvark"),
        reference="HA-001",
        status="active",
        start_date=date(2025, 3, 1),
    )
    app = world.app(world.staff.ada)
    async with app.run_test(size=SIZE) as pilot:
        await open_household(pilot, row=0)
        assert isinstance(app.screen, SupportDueScreen)
        shown = " ".join(screen_text(app).split())
        assert "Support has reached 12 months" in shown
        assert lines_with(app, "2026-03-01.")
        assert "convert" not in shown
        await pilot.press("c")  # no conversion for a full case
        await settle(pilot)
        assert isinstance(app.screen, SupportDueScreen)
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, ExitForm)
        assert lines_with(app, "Completed 12 months")


async def test_a_short_term_case_converts_once_the_second_householder_joins(
    world: World,
) -> None:
    register(
        world.database,
        world.staff.manager,
        world.staff.ada,
        person_input(given_name="Solo", family_name="Aardvark"),
        person_input(role="secondary", given_name="Duo", family_name="Aardvark"),
        reference="HA-001",
        status="short_term",
        start_date=date(2026, 2, 2),
    )
    app = world.app(world.staff.ada)
    async with app.run_test(size=SIZE) as pilot:
        await open_household(pilot, row=0)
        assert lines_with(app, "2026-04-27 (12 weeks)")
        await pilot.press("t")
        await settle(pilot)
        assert lines_with(app, "Active")
        assert lines_with(app, "2027-02-02 (12 months)")


async def test_the_household_form_sends_an_exit_to_its_own_form(world: World) -> None:
    app = world.app(world.staff.ada)
    async with app.run_test(size=SIZE) as pilot:
        await open_household(pilot)
        await pilot.press("e")
        await settle(pilot)
        fill(pilot, status="exited", end_date="2026-03-10")
        await save(pilot)
        assert lines_with(app, "✗ Record an exit with X on the record")
    assert world.stored(world.households[1].id).status == "active"


async def test_a_long_list_shows_the_highlighted_rows_details_and_whole_purpose(
    world: World,
) -> None:
    household = world.households[1]
    for day in range(1, 31):
        call = ContactInput(
            contacted_on=date(2026, 1, day),
            mode="phone",
            purpose=f"Call {day} about the interview at the council offices",
            note="Spoke",
        )
        world.database.write(
            save_contact, actor=world.staff.ada, household_id=household.id, data=call
        )
    app = world.app(world.staff.ada)
    async with app.run_test(size=SIZE) as pilot:
        await open_household(pilot)
        await pilot.press("c")
        await settle(pilot)
        # Cut at a word to the room the other columns leave, whole below the list.
        assert lines_with(app, "Call 30 about the interview at the… ")
        assert lines_with(app, "Purpose: Call 30 about the interview at the council offices")
        assert lines_with(app, "Note: Spoke")


async def test_a_text_cursor_stays_lit_instead_of_blinking(world: World) -> None:
    """A blinking cursor repaints twice a second (a slow link pays for it, and a snapshot
    of the form came out with or without it by chance)."""
    app = world.app(world.staff.ada)
    async with app.run_test(size=SIZE) as pilot:
        await open_household(pilot)
        await pilot.press("c", "n")
        await settle(pilot)
        focused = app.focused
        assert isinstance(focused, Input)
        assert not focused.cursor_blink
        await pilot.pause(1.2)
        cursor = focused.get_component_rich_style("input--cursor")
        assert any(segment.style == cursor for segment in focused.render_line(0))  # drawn


async def test_a_contacts_note_takes_several_lines_as_typed(world: World) -> None:
    """The note was a one-line box: a few sentences scrolled out of sight as they were
    typed, and a new line could not be started. Enter now starts one, Tab goes on and
    Ctrl+S saves; the note reads below the log line by line, and Esc asks first."""
    app = world.app(world.staff.ada)
    async with app.run_test(size=SIZE) as pilot:
        await open_household(pilot)
        await pilot.press("c", "n")
        await settle(pilot)
        fill(pilot, mode="phone", purpose="About the interview")
        note = app.screen.query_one("#note", TextArea)
        note.focus()
        await pilot.press(*"Interview on Monday", "enter", *"Needs bus fare")
        await settle(pilot)
        assert note.cursor_blink is False
        await pilot.press("escape")  # typed work: asks before dropping it
        await settle(pilot)
        assert isinstance(app.screen, UnsavedChangesScreen)
        await pilot.press("escape")  # keep editing
        await settle(pilot)
        assert app.screen.query_one("#note", TextArea).text.endswith("Needs bus fare")
        await pilot.press("tab")
        assert app.focused is not note
        await save(pilot)
        assert lines_with(app, "Note: Interview on Monday")
        assert lines_with(app, "Needs bus fare")
    [contact] = world.database.read(
        household_contacts, actor=world.staff.ada, household_id=world.households[1].id
    )
    assert contact.note == "Interview on Monday\nNeeds bus fare"


async def test_a_supervisor_shares_without_consent_giving_a_reason(world: World) -> None:
    bank = add_partner(world.database, world.staff.ada, "Anfield Food Bank")
    app = world.app(world.staff.liverpool_supervisor)
    async with app.run_test(size=SIZE) as pilot:
        await open_household(pilot)
        await pilot.press("f", "n")
        await settle(pilot)
        fill(pilot, partner_id=bank, purpose="Food parcel this week")
        await save(pilot)
        assert lines_with(app, "No consent to share with this partner: give")
        fill(pilot, consent_override="Safeguarding: no food in the house")
        await save(pilot)  # back on the list, the new referral's details below it
        assert lines_with(app, "Shared without consent: Safeguarding: no food in the house")


async def test_subject_access_from_the_record_writes_the_export(
    world: World, tmp_path: Path
) -> None:
    exports = tmp_path / "exports"
    app = world.app(world.staff.manager, export_dir=exports)
    async with app.run_test(size=SIZE) as pilot:
        await open_household(pilot)
        await pilot.press("j", "D")
        assert lines_with(app, "Subject-access file: as a PDF or plain text?")
        await pilot.press("t")
        await settle(pilot)
    [export] = exports.iterdir()
    text = export.read_text(encoding="utf-8")
    assert text.startswith("Everything held about Sam01 Barker")
    assert "Alex01" not in text
    auditor = world.app(world.staff.auditor, export_dir=exports)  # no sensitive data
    async with auditor.run_test(size=SIZE) as pilot:
        await open_household(pilot)
        await pilot.press("D")
        await settle(pilot)
    assert len(list(exports.iterdir())) == 1
    supervisor = world.app(world.staff.liverpool_supervisor, export_dir=exports)
    async with supervisor.run_test(size=SIZE) as pilot:
        await open_household(pilot)
        await pilot.press("j", "D", "p")
        await settle(pilot)
    assert len(list(exports.iterdir())) == 2  # the manager's file is still there
    [pdf] = exports.glob("*.pdf")
    assert pdf_text(pdf).startswith("Everything held about Sam01 Barker")


async def test_a_withdrawal_reads_in_full_on_the_consent_list(world: World) -> None:
    """The list keeps its first column widths when it reloads: "Withdrawn" was cut short."""
    household = world.households[1]
    bank = add_partner(world.database, world.staff.ada, "Anfield Food Bank")
    consent_to_share(world.database, world.staff.ada, household, bank)
    app = world.app(world.staff.ada)
    async with app.run_test(size=SIZE) as pilot:
        await open_household(pilot)
        await pilot.press("K")
        await settle(pilot)
        await pilot.press("enter")  # a withdrawal of the highlighted consent
        await settle(pilot)
        await save(pilot)
        assert lines_with(app, "Share with Anfield Food Bank")[0].count("Withdrawn") == 1


async def test_a_long_partner_name_reads_in_full_on_the_record_and_the_consent_list(
    world: World,
) -> None:
    """A partner's name was cut at 24 characters on the record ("Citizens Advice (city…")
    and at its column's width on the consent list, with no way to read the rest."""
    household = world.households[1]
    name = "Citizens Advice (city region)"
    partner = add_partner(world.database, world.staff.ada, name)
    consent_to_share(world.database, world.staff.ada, household, partner)
    app = world.app(world.staff.ada)
    async with app.run_test(size=SIZE) as pilot:
        await open_household(pilot)
        assert "Share with Citizens Advice (city region) ✓" in " ".join(
            line.strip() for line in screen_text(app).splitlines()
        )
        await pilot.press("K")
        await settle(pilot)
        assert lines_with(app, f"Share with {name}: given")  # below the table, in full


async def test_a_plans_status_column_fits_80_columns_and_long_text_shows_in_full_below(
    world: World,
) -> None:
    """A status such as "On the back burner" ran past the edge when a goal or step was long."""
    step = "Meet the careers adviser at the library to talk it through"
    plan_goal(
        world,
        area="aspiration_motivation",
        description="Find work that fits school",
        steps=(step_input(step, status="back_burner", due_on=date(2026, 4, 20)),),
    )
    app = world.app(world.staff.ada)
    async with app.run_test(size=SIZE) as pilot:
        await open_plan(pilot)
        await pilot.press("j")  # from the goal to its step
        await settle(pilot)
        row = lines_with(app, "1.")[0]
        assert row.rstrip().endswith("On the back burner") and "Meet the careers" in row
        assert lines_with(app, step)  # in full, below the table


async def test_the_record_shows_the_next_contact_once_back_from_the_contacts(
    world: World,
) -> None:
    app = world.app(world.staff.ada)
    async with app.run_test(size=SIZE) as pilot:
        await open_household(pilot)
        assert lines_with(app, "Next contact") and "none set" in lines_with(app, "Next contact")[0]
        await pilot.press("c", "n")
        await settle(pilot)
        fill(pilot, mode="phone", recontact="daily", contacted_on="2026-03-16")
        await pilot.press("tab", "tab", "tab", "tab", *"Welfare check")  # past the members
        await save(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert "2026-03-17" in lines_with(app, "Next contact")[0]


@pytest.mark.parametrize("kind", ["referral", "outcome"])
async def test_the_record_reads_what_is_stored_once_back_from_saving_a_referral_or_outcome(
    world: World, kind: str
) -> None:
    """While Ada saves a referral (or an outcome), a colleague logs a call: back on the
    record, its next contact is the colleague's."""
    household = world.households[1]
    person = household.members[0].id
    partner = add_partner(world.database, world.staff.ada, "Anfield Food Bank")
    consent_to_share(world.database, world.staff.ada, household, partner)
    app = world.app(world.staff.ada)
    async with app.run_test(size=SIZE) as pilot:
        await open_household(pilot)
        await pilot.press("f" if kind == "referral" else "o", "n")
        await settle(pilot)
        if kind == "referral":
            fill(pilot, partner_id=partner, person_id=person, purpose="Food parcel")
        else:
            fill(
                pilot,
                person_id=person,
                kind="volunteering",
                organisation="Anfield Food Bank",
                start_on="2026-03-02",
                hours="4",
            )
        await save(pilot)
        call = ContactInput.model_validate(
            {
                "contacted_on": date(2026, 3, 14),
                "mode": "phone",
                "purpose": "Welfare check",
                "recontact": "weekly",
            }
        )
        world.database.write(
            save_contact,
            actor=world.staff.liverpool_supervisor,
            household_id=household.id,
            data=call,
        )
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HouseholdRecordScreen)
        assert "2026-03-21" in lines_with(app, "Next contact")[0]
    read = household_referrals if kind == "referral" else household_outcomes
    assert len(world.database.read(read, actor=world.staff.ada, household_id=household.id)) == 1


@pytest.mark.parametrize(
    ("key", "title"),
    [("p", "Action plan"), ("f", "Referrals"), ("o", "Outcomes"), ("c", "Contacts")],
)
async def test_a_case_work_screen_names_the_household_in_its_title(
    world: World, key: str, title: str
) -> None:
    app = world.app(world.staff.ada)
    async with app.run_test(size=SIZE) as pilot:
        await open_household(pilot)
        await pilot.press(key)
        await settle(pilot)
        assert lines_with(app, f"{title} — HH-001")
        assert not lines_with(app, "Ada Adv (Advocate")


async def test_an_overdue_next_contact_is_marked_on_the_record_and_the_contact_log(
    world: World,
) -> None:
    """A weekly contact on 2 March is due on the 9th: on the 16th it is overdue, marked
    "!" as My week marks it."""
    call = ContactInput.model_validate(
        {
            "contacted_on": date(2026, 3, 2),
            "mode": "phone",
            "purpose": "Welfare check",
            "recontact": "weekly",
        }
    )
    household = world.households[1]
    world.database.write(save_contact, actor=world.staff.ada, household_id=household.id, data=call)
    app = world.app(world.staff.ada)
    async with app.run_test(size=SIZE) as pilot:
        await open_household(pilot)
        assert "! 2026-03-09" in lines_with(app, "Next contact")[0]
        await pilot.press("c")
        await settle(pilot)
        assert "Next contact due: ! 2026-03-09" in screen_text(app)
