"""Case work in the database: plans and their history, referrals, outcomes, contacts,
exits, short-term conversion and the advocate's week, on both databases."""

from __future__ import annotations

import threading
import time
from datetime import date

import pytest
from sqlalchemy import text as sql

from hiw_tui.db.casework.contacts import save_contact
from hiw_tui.db.casework.exits import convert_short_term, exit_household
from hiw_tui.db.casework.models import PlanPublic, StepPublic
from hiw_tui.db.casework.outcomes import household_outcomes, save_outcome
from hiw_tui.db.casework.partners import list_partners, save_partner
from hiw_tui.db.casework.plans import (
    add_goal,
    add_step,
    agree_plan,
    household_plans,
    move_step,
    plan_history,
    update_step,
)
from hiw_tui.db.casework.referrals import household_referrals, save_referral
from hiw_tui.db.casework.week import my_week
from hiw_tui.db.core.engine import Database
from hiw_tui.db.core.errors import Conflict, DataError, FieldError, NotFound
from hiw_tui.db.households.households import open_household
from hiw_tui.domain.case_inputs import (
    ContactInput,
    ExitInput,
    GoalInput,
    OutcomeInput,
    PartnerInput,
    ReferralInput,
)
from tests.helpers.clock import TODAY
from tests.helpers.factories import (
    add_partner,
    add_reading,
    consent_to_share,
    person_input,
    reading_input,
    register,
    step_input,
)
from tests.helpers.staff import Staff


def _couple(database: Database, staff: Staff, **overrides: object):  # type: ignore[no-untyped-def]
    return register(
        database,
        staff.manager,
        staff.ada,
        person_input(),
        person_input(role="secondary", given_name="Sam"),
        **overrides,
    )


def _goal(database: Database, staff: Staff, household_id: int, person_id: int | None):  # type: ignore[no-untyped-def]
    plans = database.write(
        add_goal,
        actor=staff.ada,
        household_id=household_id,
        person_id=person_id,
        data=GoalInput(area="skills", description="Get back into work"),
        today=TODAY,
    )
    return next(plan for plan in plans if plan.person_id == person_id)


def _start(database: Database, staff: Staff, step: StepPublic) -> None:
    """Ada marks "Write a CV" in progress, from the step as she opened it."""
    database.write(
        update_step,
        actor=staff.ada,
        step_id=step.id,
        version=step.version,
        data=step_input("Write a CV", status="in_progress"),
        today=TODAY,
    )


def _steps(plan: PlanPublic) -> list[str]:
    return [step.description for step in plan.goals[0].steps]


def test_a_plan_per_member_and_one_for_the_household(database: Database, staff: Staff) -> None:
    record = _couple(database, staff)
    plans = database.write(household_plans, actor=staff.ada, household_id=record.id)
    assert [plan.owner_name for plan in plans] == ["Household goals", "Jo Bloggs", "Sam Bloggs"]
    assert all(plan.id is None and not plan.goals for plan in plans)
    household_plan = _goal(database, staff, record.id, None)
    assert household_plan.goals[0].area == "skills"


def test_steps_are_added_in_order_reordered_and_their_history_kept(
    database: Database, staff: Staff
) -> None:
    record = _couple(database, staff)
    jo = record.members[0]
    plan = _goal(database, staff, record.id, jo.id)
    goal_id = plan.goals[0].id
    for text in ("Write a CV", "Join the library", "Apply for three jobs"):
        plans = database.write(
            add_step, actor=staff.ada, goal_id=goal_id, data=step_input(text), today=TODAY
        )
    plan = plans[1]
    assert _steps(plan) == ["Write a CV", "Join the library", "Apply for three jobs"]
    last = plan.goals[0].steps[2]
    plans = database.write(
        move_step, actor=staff.ada, step_id=last.id, version=last.version, offset=-1, today=TODAY
    )
    assert _steps(plans[1]) == ["Write a CV", "Apply for three jobs", "Join the library"]
    first = plans[1].goals[0].steps[0]
    plans = database.write(
        move_step, actor=staff.ada, step_id=first.id, version=first.version, offset=-1, today=TODAY
    )
    assert _steps(plans[1])[0] == "Write a CV", "the top step cannot move further up"
    step = plans[1].goals[0].steps[0]
    database.write(
        update_step,
        actor=staff.ada,
        step_id=step.id,
        version=step.version,
        data=step_input("Write a CV", status="done", status_on=date(2026, 3, 10)),
        today=TODAY,
    )
    history = database.read(plan_history, actor=staff.ada, plan_id=plan.id)
    assert {"status": ["planned", "done"], "done_on": [None, "2026-03-10"]}.items() <= (
        history[0].changes.items()
    )
    assert history[0].actor_name == "Ada Adv"
    assert [line.action for line in history].count("create") == 4  # the goal and three steps
    assert any(line.action == "move" for line in history)


def test_a_stale_step_save_is_a_conflict_holding_both_versions(
    database: Database, staff: Staff
) -> None:
    record = _couple(database, staff)
    plan = _goal(database, staff, record.id, record.members[0].id)
    plans = database.write(
        add_step, actor=staff.ada, goal_id=plan.goals[0].id, data=step_input(), today=TODAY
    )
    step = plans[1].goals[0].steps[0]
    database.write(
        update_step,
        actor=staff.liverpool_supervisor,
        step_id=step.id,
        version=step.version,
        data=step_input("Write a CV with the library"),
        today=TODAY,
    )
    with pytest.raises(Conflict) as raised:
        _start(database, staff, step)
    differences = {name: (saved, yours) for name, saved, yours in raised.value.differences()}
    assert differences["description"] == ("Write a CV with the library", "Write a CV")
    assert differences["status"] == ("planned", "in_progress")
    stored = database.read(household_plans, actor=staff.ada, household_id=record.id)
    assert _steps(stored[1]) == ["Write a CV with the library"]


def test_agreeing_a_plan_and_changing_it_afterwards(database: Database, staff: Staff) -> None:
    record = _couple(database, staff)
    plan = _goal(database, staff, record.id, record.members[0].id)
    assert plan.needs_agreeing
    plans = database.write(
        agree_plan, actor=staff.ada, plan_id=plan.id, version=plan.version, today=TODAY
    )
    agreed = plans[1]
    assert (agreed.agreed_on, agreed.agreed_by_name, agreed.needs_agreeing) == (
        TODAY,
        "Ada Adv",
        False,
    )
    later = date(2026, 3, 20)
    plans = database.write(
        add_step, actor=staff.ada, goal_id=plan.goals[0].id, data=step_input(), today=later
    )
    assert plans[1].needs_agreeing
    with pytest.raises(Conflict):  # agreeing to the plan as it was before the new step
        database.write(
            agree_plan, actor=staff.ada, plan_id=plan.id, version=agreed.version, today=later
        )


def test_marking_a_step_done_is_progress_but_rewording_it_needs_agreeing_again(
    database: Database, staff: Staff
) -> None:
    record = _couple(database, staff)
    plan = _goal(database, staff, record.id, record.members[0].id)
    plans = database.write(
        add_step, actor=staff.ada, goal_id=plan.goals[0].id, data=step_input(), today=TODAY
    )
    plans = database.write(
        agree_plan, actor=staff.ada, plan_id=plan.id, version=plans[1].version, today=TODAY
    )
    step = plans[1].goals[0].steps[0]
    plans = database.write(
        update_step,
        actor=staff.ada,
        step_id=step.id,
        version=step.version,
        data=step_input("Write a CV", status="done"),
        today=date(2026, 3, 20),
    )
    assert not plans[1].needs_agreeing and plans[1].changed_on == TODAY
    step = plans[1].goals[0].steps[0]
    plans = database.write(
        update_step,
        actor=staff.ada,
        step_id=step.id,
        version=step.version,
        data=step_input("Write a CV with the library", status="done"),
        today=date(2026, 3, 20),
    )
    assert plans[1].needs_agreeing and plans[1].changed_on == date(2026, 3, 20)


def test_a_step_for_a_partner_names_an_active_partner(database: Database, staff: Staff) -> None:
    record = _couple(database, staff)
    plan = _goal(database, staff, record.id, None)
    with pytest.raises(FieldError) as raised:
        database.write(
            add_step,
            actor=staff.ada,
            goal_id=plan.goals[0].id,
            data=step_input(owner="partner", partner_id=999),
            today=TODAY,
        )
    assert raised.value.field == "partner_id"


def test_plans_stay_inside_the_caseload(database: Database, staff: Staff) -> None:
    record = _couple(database, staff)
    with pytest.raises(NotFound):
        database.write(household_plans, actor=staff.cal, household_id=record.id)
    with pytest.raises(NotFound):
        _goal(database, staff, record.id, 10_000)


def test_referrals_are_made_and_moved_on(database: Database, staff: Staff) -> None:
    record = _couple(database, staff)
    bank = add_partner(database, staff.ada, "North Food Bank")
    consent_to_share(database, staff.ada, record, bank)
    data = ReferralInput(
        person_id=record.members[0].id,
        partner_id=bank,
        purpose="Food parcel",
        made_on=date(2026, 3, 2),
        status_on=date(2026, 3, 2),
    )
    [made] = database.write(save_referral, actor=staff.ada, household_id=record.id, data=data)
    assert (made.partner_name, made.person_name, made.status) == (
        "North Food Bank",
        "Jo Bloggs",
        "made",
    )
    attended = ReferralInput.model_validate(
        data.model_dump() | {"status": "attended", "status_on": date(2026, 3, 9)}
    )
    database.write(
        save_referral,
        actor=staff.ada,
        household_id=record.id,
        data=attended,
        referral_id=made.id,
        version=made.version,
    )
    with pytest.raises(Conflict):
        database.write(
            save_referral,
            actor=staff.ada,
            household_id=record.id,
            data=attended,
            referral_id=made.id,
            version=made.version,
        )
    [stored] = database.read(household_referrals, actor=staff.ada, household_id=record.id)
    assert (stored.status, stored.status_on) == ("attended", date(2026, 3, 9))


def test_an_outcome_names_a_member_of_the_household(database: Database, staff: Staff) -> None:
    record = _couple(database, staff)
    other = _couple(database, staff)
    job = OutcomeInput(
        person_id=other.members[0].id,
        kind="job",
        organisation="Mersey Bakery",
        start_on=date(2026, 2, 2),
        hours=20,
    )
    with pytest.raises(FieldError):
        database.write(save_outcome, actor=staff.ada, household_id=record.id, data=job)
    job = OutcomeInput.model_validate(job.model_dump() | {"person_id": record.members[1].id})
    database.write(save_outcome, actor=staff.ada, household_id=record.id, data=job)
    [stored] = database.read(household_outcomes, actor=staff.ada, household_id=record.id)
    assert (stored.person_name, stored.hours) == ("Sam Bloggs", 20)


def test_a_welfare_check_sets_when_the_next_contact_is_due(
    database: Database, staff: Staff
) -> None:
    record = _couple(database, staff)
    call = ContactInput(
        contacted_on=date(2026, 3, 10), mode="phone", purpose="Welfare check", recontact="weekly"
    )
    database.write(save_contact, actor=staff.ada, household_id=record.id, data=call)
    assert database.write(
        open_household, actor=staff.ada, household_id=record.id
    ).next_contact_on == date(2026, 3, 17)
    visit = ContactInput.model_validate(
        call.model_dump() | {"contacted_on": date(2026, 3, 12), "recontact": "none"}
    )
    database.write(save_contact, actor=staff.ada, household_id=record.id, data=visit)
    stored = database.write(open_household, actor=staff.ada, household_id=record.id)
    assert stored.next_contact_on is None


def test_a_households_welfare_checks_leave_my_week_when_it_leaves(
    database: Database, staff: Staff
) -> None:
    record = _couple(database, staff)
    call = ContactInput(
        contacted_on=date(2026, 2, 2), mode="phone", purpose="Welfare check", recontact="weekly"
    )
    database.write(save_contact, actor=staff.ada, household_id=record.id, data=call)
    week = database.read(my_week, actor=staff.ada, today=TODAY, reading_due_weeks=12)
    assert ("contact", date(2026, 2, 9)) in [(item.kind, item.due_on) for item in week]
    exit_data = ExitInput(end_date=date(2026, 3, 1), reason="moved_away", destination="none")
    database.write(
        exit_household,
        actor=staff.ada,
        household_id=record.id,
        version=record.version,
        data=exit_data,
    )
    week = database.read(my_week, actor=staff.ada, today=TODAY, reading_due_weeks=12)
    assert [item.kind for item in week] == ["checkin"]  # the exit's own, not the old check


def test_an_exit_records_where_the_household_goes_and_schedules_check_ins(
    database: Database, staff: Staff
) -> None:
    record = _couple(database, staff)
    wtw = add_partner(database, staff.ada, "Ways to Work Liverpool", "ways_to_work")
    data = ExitInput(
        end_date=date(2026, 3, 1),
        reason="completed",
        destination="other_programme",
        destination_note="Ways to Work",
        onward_partner_id=wtw,
    )
    consent_to_share(database, staff.ada, record, wtw)
    exited = database.write(
        exit_household, actor=staff.ada, household_id=record.id, version=record.version, data=data
    )
    assert (exited.status, exited.end_date, exited.exit_destination) == (
        "exited",
        date(2026, 3, 1),
        "other_programme",
    )
    [onward] = database.read(household_referrals, actor=staff.ada, household_id=record.id)
    assert (onward.onward, onward.partner_name) == (True, "Ways to Work Liverpool")
    week = database.read(my_week, actor=staff.ada, today=TODAY, reading_due_weeks=12)
    assert [(item.kind, item.due_on) for item in week] == [("checkin", date(2026, 3, 15))]
    call = ContactInput(contacted_on=TODAY, mode="phone", purpose="Check-in")
    database.write(save_contact, actor=staff.ada, household_id=record.id, data=call)
    assert database.read(my_week, actor=staff.ada, today=TODAY, reading_due_weeks=12) == []
    with pytest.raises(DataError):
        database.write(
            exit_household,
            actor=staff.ada,
            household_id=record.id,
            version=exited.version,
            data=data,
        )


def test_a_referral_not_started_cannot_exit(database: Database, staff: Staff) -> None:
    """An exited household has started: a referral is given a start date first."""
    record = _couple(database, staff, status="referred", start_date=None)
    data = ExitInput(end_date=TODAY, reason="completed", destination="none")
    with pytest.raises(DataError, match="has not started"):
        database.write(
            exit_household,
            actor=staff.ada,
            household_id=record.id,
            version=record.version,
            data=data,
        )
    stored = database.write(open_household, actor=staff.ada, household_id=record.id)
    assert (stored.status, stored.end_date, stored.version) == ("referred", None, record.version)


def test_a_short_term_case_converts_once_a_second_householder_joins(
    database: Database, staff: Staff
) -> None:
    single = register(database, staff.manager, staff.ada, person_input(), status="short_term")
    with pytest.raises(DataError, match="second eligible householder"):
        database.write(
            convert_short_term, actor=staff.ada, household_id=single.id, version=single.version
        )
    couple = _couple(database, staff, status="short_term")
    converted = database.write(
        convert_short_term, actor=staff.ada, household_id=couple.id, version=couple.version
    )
    assert converted.status == "active"


def test_my_week_lists_what_falls_due_by_date(database: Database, staff: Staff) -> None:
    record = _couple(database, staff, start_date=date(2025, 3, 20))
    short = register(
        database,
        staff.manager,
        staff.ada,
        person_input(),
        status="short_term",
        start_date=date(2025, 12, 22),
    )
    plan = _goal(database, staff, record.id, record.members[0].id)
    for text, due in (("Overdue step", date(2026, 3, 2)), ("Far step", date(2026, 5, 1))):
        database.write(
            add_step,
            actor=staff.ada,
            goal_id=plan.goals[0].id,
            data=step_input(text, due_on=due),
            today=TODAY,
        )
    register(database, staff.manager, staff.ben, person_input())  # on Ben's caseload
    week = database.read(my_week, actor=staff.ada, today=TODAY, reading_due_weeks=12)
    assert [(item.kind, item.due_on, item.reference) for item in week] == [
        ("reading", date(2025, 3, 20), record.reference),
        ("reading", date(2025, 12, 22), short.reference),
        ("step", date(2026, 3, 2), record.reference),
        ("short_term", date(2026, 3, 16), short.reference),
        ("support_end", date(2026, 3, 20), record.reference),
    ]
    assert week[0].what == "Due: Jo, Sam"  # who is due, by name
    add_reading(database, staff.ada, record.members[1].id, reading_input(TODAY))
    week = database.read(my_week, actor=staff.ada, today=TODAY, reading_due_weeks=12)
    assert week[0].what == "Due: Jo"


@pytest.mark.parametrize("database", ["postgresql"], indirect=True)  # row locks: PostgreSQL
def test_a_step_saved_while_a_colleague_holds_the_household_waits_without_deadlock(
    database: Database, staff: Staff
) -> None:
    """Every plan write takes the household's lock first. A colleague's transaction that
    holds it and then writes the plan must not meet a step save already holding the plan
    (on PostgreSQL that is a deadlock, and one of the two is thrown out)."""
    record = _couple(database, staff)
    plan = _goal(database, staff, record.id, record.members[0].id)
    plans = database.write(
        add_step, actor=staff.ada, goal_id=plan.goals[0].id, data=step_input(), today=TODAY
    )
    step = plans[1].goals[0].steps[0]
    errors: list[BaseException] = []

    def save_step() -> None:
        try:
            _start(database, staff, step)
        except BaseException as error:  # reported below, in the test's own thread
            errors.append(error)

    with database.engine.connect() as colleague:
        transaction = colleague.begin()
        lock = "SELECT id FROM household WHERE id = :id FOR UPDATE"
        colleague.execute(sql(lock), {"id": record.id})
        saver = threading.Thread(target=save_step)
        saver.start()
        time.sleep(0.5)  # the save is now waiting for the household
        colleague.execute(
            sql("UPDATE plan SET changed_on = changed_on WHERE id = :id"), {"id": plan.id}
        )
        transaction.commit()
    saver.join(timeout=30)
    assert not errors
    stored = database.read(household_plans, actor=staff.ada, household_id=record.id)
    assert stored[1].goals[0].steps[0].status == "in_progress"


def test_my_week_keeps_the_same_readings_when_cut_short_on_either_database(
    database: Database, staff: Staff, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cut to a few items of a kind, members never scored come first on both databases
    (SQLite sorts an empty date first, PostgreSQL last, unless told)."""
    never_scored = _couple(database, staff)
    scored = _couple(database, staff)
    for person in scored.members:
        add_reading(database, staff.ada, person.id, reading_input(date(2025, 11, 10)))
    monkeypatch.setattr("hiw_tui.db.casework.week.PER_KIND", 1)
    week = database.read(my_week, actor=staff.ada, today=TODAY, reading_due_weeks=12)
    assert [(item.kind, item.reference) for item in week] == [("reading", never_scored.reference)]


def test_renaming_a_partner_to_a_name_a_colleague_just_took_is_explained(
    database: Database, staff: Staff, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The name check and the save are two steps; when a colleague's save lands between
    them, the database's unique name still refuses, and the form hears why."""
    add_partner(database, staff.ada, "North Food Bank")
    second = database.write(
        save_partner, actor=staff.ada, data=PartnerInput(name="South Food Bank", kind="food_bank")
    )
    monkeypatch.setattr("hiw_tui.db.casework.partners._name_free", lambda *args: None)  # the race
    renamed = PartnerInput(name="North Food Bank", kind="food_bank")
    with pytest.raises(FieldError) as raised:
        database.write(
            save_partner,
            actor=staff.ada,
            data=renamed,
            partner_id=second.id,
            version=second.version,
        )
    assert raised.value.field == "name"
    names = [partner.name for partner in database.read(list_partners, actor=staff.ada)]
    assert names == ["North Food Bank", "South Food Bank"]
