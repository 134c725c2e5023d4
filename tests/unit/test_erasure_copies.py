"""Erasing one person leaves none of their text anywhere in the database: not in their
own records, nor in the copies of it (the household's stored primary name, a contact
naming them, the old and new values of the audit rows about their readings, goals,
steps, spends, referrals and outcomes). The files the app wrote about them are listed."""

from __future__ import annotations

from datetime import date

from hiw_tui.db.audit import trail
from hiw_tui.db.audit.chain import verify_chain
from hiw_tui.db.casework.contacts import save_contact
from hiw_tui.db.casework.outcomes import save_outcome
from hiw_tui.db.casework.plans import add_goal, add_step
from hiw_tui.db.casework.referrals import save_referral
from hiw_tui.db.core.engine import Database
from hiw_tui.db.core.models import HouseholdPublic, UserPublic
from hiw_tui.db.privacy.erasure import compact, erasure_request
from hiw_tui.domain.case_inputs import ContactInput, GoalInput, OutcomeInput, ReferralInput
from tests.helpers.database import every_row, file_bytes
from tests.helpers.factories import (
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

TODAY = date(2026, 11, 24)


def _canary(word: str) -> str:
    return f"Zqxcanary{word}"


def _file(database: Database, actor: UserPublic, kind: str, path: str, **about: int) -> None:
    """The audit row the app writes for each file it writes."""
    changes: dict[str, list[object]] = {"path": [None, path]}
    if "person_id" in about:
        changes["person_id"] = [None, about["person_id"]]
    database.write(
        trail.record,
        actor=actor,
        action="file",
        entity=kind,
        entity_id=0,
        household_id=about.get("household_id"),
        changes=changes,
    )


def _casework(database: Database, staff: Staff, record: HouseholdPublic, person_id: int) -> None:
    """A reading, a goal and step, a spend, a referral, an outcome and a contact, for the
    person, each holding a canary (the audit rows hold it too)."""
    add_reading(
        database,
        staff.ada,
        person_id,
        reading_input(date(2026, 1, 5), 2, 3, notes=_canary("readingnote")),
    )
    plans = database.write(
        add_goal,
        actor=staff.ada,
        household_id=record.id,
        person_id=person_id,
        data=GoalInput(area="skills", description=_canary("goal")),  # type: ignore[arg-type]
        today=TODAY,
    )
    goal = next(plan for plan in plans if plan.person_id == person_id).goals[0]
    database.write(
        add_step, actor=staff.ada, goal_id=goal.id, data=step_input(_canary("step")), today=TODAY
    )
    spend(
        database,
        staff.ada,
        record.id,
        "12.50",
        payee=_canary("payee"),
        description=_canary("spend"),
        person_id=person_id,
    )
    bank = add_partner(database, staff.ada, "North Food Bank")
    consent_to_share(database, staff.ada, record, bank)
    referral = ReferralInput(
        person_id=person_id,
        partner_id=bank,
        purpose=_canary("referral"),
        made_on=date(2026, 3, 2),
        status_on=date(2026, 3, 2),
    )
    database.write(save_referral, actor=staff.ada, household_id=record.id, data=referral)
    job = OutcomeInput(
        person_id=person_id,
        kind="job",  # type: ignore[arg-type]
        organisation=_canary("employer"),
        start_on=date(2026, 2, 2),
        hours=20,
    )
    database.write(save_outcome, actor=staff.ada, household_id=record.id, data=job)
    call = ContactInput(
        contacted_on=date(2026, 3, 10),
        mode="phone",  # type: ignore[arg-type]
        participants=f"{_canary('given')} and Keeper",
        purpose="Welfare check",
    )
    database.write(save_contact, actor=staff.ada, household_id=record.id, data=call)


def test_erasing_a_person_leaves_none_of_their_text(database: Database, staff: Staff) -> None:
    record = register(
        database,
        staff.manager,
        staff.ada,
        person_input(
            given_name=_canary("given"),
            family_name=_canary("family"),
            address=_canary("address"),
            phone="07700 900123",
        ),
        person_input(role="secondary", given_name="Keeper", family_name="Stays"),
    )
    person_id = record.members[0].id
    _casework(database, staff, record, person_id)
    sar = f"/exports/subject-access-{person_id}.txt"
    _file(
        database, staff.manager, "subject-access", sar, household_id=record.id, person_id=person_id
    )
    _file(database, staff.manager, "export", "/exports/everything.csv")
    assert "Zqxcanary" in every_row(database)

    erased = database.write(erasure_request, actor=staff.manager, person_id=person_id, today=TODAY)
    compact(database)

    assert erased.files == (sar, "/exports/everything.csv")
    shown = every_row(database)
    assert "zqxcanary" not in shown.casefold()
    assert "07700" not in shown
    assert "Keeper" in shown and "Stays" in shown
    assert database.read(verify_chain).problems == []
    if database.is_sqlite:
        assert b"zqxcanary" not in file_bytes(database).lower()
