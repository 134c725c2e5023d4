"""A household with a year's history, made through the app's own functions, for the
timeline's tests: registered, readings, a plan carried out and agreed, a referral
accepted, a job, contacts, spends (one waiting, then approved), a member joining later
and one leaving, and a phased exit with its onward referral and check-ins."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest

from hiw_tui.db.casework.contacts import save_contact
from hiw_tui.db.casework.exits import exit_household
from hiw_tui.db.casework.outcomes import save_outcome
from hiw_tui.db.casework.plans import add_goal, add_step, agree_plan, update_step
from hiw_tui.db.casework.referrals import save_referral
from hiw_tui.db.core.engine import Database
from hiw_tui.db.households.households import open_household
from hiw_tui.db.households.people import add_person, remove_person
from hiw_tui.db.ledger.posting import decide_spend
from hiw_tui.domain.budget import DecisionInput
from hiw_tui.domain.case_inputs import (
    ContactInput,
    ExitInput,
    GoalInput,
    OutcomeInput,
    ReferralInput,
)
from tests.helpers.factories import (
    POLICY,
    add_partner,
    add_reading,
    consent_to_share,
    person_input,
    reading_input,
    register,
    spend,
    step_input,
)
from tests.helpers.staff import Staff

REFERENCE = "TL-001"
PARTNER = "Citizens Advice [Anfield]"


@dataclass(frozen=True)
class Lived:
    household_id: int
    jo: int
    sam: int
    kim: int
    partner: int


def recorded_on(monkeypatch: pytest.MonkeyPatch) -> Callable[[date], None]:
    """Sets the day the audit trail records what is done next (10:00 UTC that day)."""

    def on(day: date) -> None:
        moment = datetime(day.year, day.month, day.day, 10, tzinfo=UTC)
        monkeypatch.setattr("hiw_tui.db.audit.trail.utcnow", lambda: moment)

    return on


def lived_household(
    database: Database, staff: Staff, on: Callable[[date], None], *, spending: bool = True
) -> Lived:
    """The household's year, each step recorded on its day. (A spend's time is the
    clock's own, so the budget's lines are left out with `spending` False.)"""
    ada = staff.ada
    on(date(2026, 1, 5))
    record = register(
        database,
        ada,
        ada,
        person_input(given_name="Jo", family_name="Lived"),
        person_input(role="secondary", given_name="Sam", family_name="Lived", support_needs=[]),
        reference=REFERENCE,
        referred_on=date(2025, 12, 15),
        start_date=date(2026, 1, 5),
    )
    household, (jo, sam) = record.id, (member.id for member in record.members)
    add_reading(database, ada, jo, reading_input(date(2026, 1, 6), 2, 3, 1, 2, 2, 3, 1, 2))
    on(date(2026, 1, 7))
    plans = database.write(
        add_goal,
        actor=ada,
        household_id=household,
        person_id=jo,
        data=GoalInput(area="skills", description="Back into work"),
        today=date(2026, 1, 7),
    )
    cv = step_input("Write a CV", status_on=date(2026, 1, 7), due_on=date(2026, 1, 20))
    goal_id = next(plan for plan in plans if plan.person_id == jo).goals[0].id
    plans = database.write(add_step, actor=ada, goal_id=goal_id, data=cv, today=date(2026, 1, 7))
    plan = next(plan for plan in plans if plan.person_id == jo)
    on(date(2026, 1, 8))
    plans = database.write(
        agree_plan, actor=ada, plan_id=plan.id, version=plan.version, today=date(2026, 1, 8)
    )
    partner = add_partner(database, ada, PARTNER, "citizens_advice")
    consent_to_share(database, ada, record, partner)
    made = ReferralInput(
        person_id=jo,
        partner_id=partner,
        purpose="Debt advice",
        made_on=date(2026, 1, 10),
        status_on=date(2026, 1, 10),
    )
    (referral,) = database.write(save_referral, actor=ada, household_id=household, data=made)
    on(date(2026, 1, 20))
    (step,) = next(plan for plan in plans if plan.person_id == jo).goals[0].steps
    done = step_input(
        "Write a CV", status="done", status_on=date(2026, 1, 20), due_on=date(2026, 1, 20)
    )
    database.write(
        update_step,
        actor=ada,
        step_id=step.id,
        version=step.version,
        data=done,
        today=date(2026, 1, 20),
    )
    on(date(2026, 1, 26))
    accepted = ReferralInput.model_validate(
        made.model_dump() | {"status": "accepted", "status_on": date(2026, 1, 24)}
    )
    database.write(
        save_referral,
        actor=ada,
        household_id=household,
        data=accepted,
        referral_id=referral.id,
        version=referral.version,
    )
    job = OutcomeInput(
        person_id=jo, kind="job", organisation="Mersey Bakery", start_on=date(2026, 2, 2), hours=20
    )
    database.write(save_outcome, actor=ada, household_id=household, data=job)
    _contact(database, staff, household, date(2026, 2, 3), "Welfare check", (jo, sam))
    if spending:
        spend(database, ada, household, "12.50", spent_on=date(2026, 2, 4), person_id=jo)
        view = spend(database, ada, household, "260.00", spent_on=date(2026, 2, 5), payee="Currys")
        waiting = next(line for line in view.lines if line.pending)
        decision = DecisionInput.model_validate({"decision": "approved", "note": "Course laptop"})
        database.write(
            decide_spend,
            actor=staff.liverpool_supervisor,
            entry_id=waiting.id,
            data=decision,
            policy=POLICY,
        )
    on(date(2026, 2, 10))
    kim = person_input(role="member", given_name="Kim", family_name="Lived", support_needs=[])
    record = database.write(add_person, actor=ada, household_id=household, data=kim)
    kim_id = next(member.id for member in record.members if member.given_name == "Kim")
    on(date(2026, 2, 20))
    sam_version = next(member.version for member in record.members if member.id == sam)
    database.write(
        remove_person, actor=ada, person_id=sam, version=sam_version, left_on=date(2026, 2, 20)
    )
    add_reading(database, ada, jo, reading_input(date(2026, 3, 2), 4, 3, 1, 3, 2, 3, 1, 2))
    on(date(2026, 3, 2))
    current = database.read(open_household, actor=ada, household_id=household, audited=False)
    leaving = ExitInput(
        end_date=date(2026, 3, 2),
        reason="completed",
        destination="other_programme",
        destination_note="Ways to Work",
        onward_partner_id=partner,
    )
    database.write(
        exit_household, actor=ada, household_id=household, version=current.version, data=leaving
    )
    _contact(database, staff, household, date(2026, 3, 16), "Check-in")
    return Lived(household, jo, sam, kim_id, partner)


def _contact(
    database: Database,
    staff: Staff,
    household: int,
    day: date,
    purpose: str,
    members: tuple[int, ...] = (),
) -> None:
    """A phone contact: with `members` of the household, and "Aunt Sue"; else with "Jo"."""
    others = "Aunt Sue" if members else "Jo"
    data = ContactInput(
        contacted_on=day,
        mode="phone",
        purpose=purpose,
        participants=others,
        participant_ids=list(members),
    )
    database.write(save_contact, actor=staff.ada, household_id=household, data=data)
