"""A small programme for the evaluation's reports (caseload, exits, referrals, welfare
checks, trends, spending's core share), made through the app's own write functions and
counted by hand in tests/unit/test_evaluation_reports.py. The as-of date is 2026-03-31;
some of everything is dated after it, in April 2026.

Liverpool, Ada: A1 active since 2025-11-03 (Jo and Al), A2 active since 2025-06-01,
A3 referred 2026-03-01, A4 started 2025-05-01 and exited 2026-02-15 (into work, an
onward referral), A5 referred 2026-04-10. Liverpool, Ben: B1 short term since
2026-02-01, B2 withdrawn 2026-03-10 (never started). Wirral, Cal: C1 active since
2025-09-01, C2 started 2025-10-01 and exited 2026-04-05.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from hiw_tui.db.access.users import add_user
from hiw_tui.db.casework.contacts import save_contact
from hiw_tui.db.casework.exits import exit_household
from hiw_tui.db.casework.outcomes import save_outcome
from hiw_tui.db.casework.plans import add_goal, add_step
from hiw_tui.db.casework.referrals import save_referral
from hiw_tui.db.core.engine import Database
from hiw_tui.db.core.models import HouseholdPublic, UserPublic
from hiw_tui.db.households.households import open_household
from hiw_tui.db.privacy.consent import record_consent
from hiw_tui.domain.case_inputs import (
    ConsentInput,
    ContactInput,
    ExitInput,
    GoalInput,
    OutcomeInput,
    ReferralInput,
)
from hiw_tui.domain.codes import LocalAuthority, UserRole
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

AS_OF = date(2026, 3, 31)
LATER = date(2026, 4, 30)


@dataclass(frozen=True)
class Programme:
    database: Database
    staff: Staff
    households: dict[str, HouseholdPublic]
    partners: dict[str, int]


def _household(
    database: Database,
    staff: Staff,
    advocate: UserPublic,
    name: str,
    members: int,
    **values: object,
) -> HouseholdPublic:
    people = [
        person_input(given_name=f"{name}-{n}", role=("primary", "secondary")[n])
        for n in range(members)
    ]
    return register(database, staff.manager, advocate, *people, reference=f"EV-{name}", **values)


def _step(
    db: Database, actor: UserPublic, household: HouseholdPublic, due: date, status: str
) -> None:
    plans = db.write(
        add_goal,
        actor=actor,
        household_id=household.id,
        person_id=household.members[0].id,
        data=GoalInput(area="skills", description="Back into work"),
        today=date(2025, 12, 1),
    )
    goal = plans[1].goals[-1].id
    step = step_input(f"Due {due}", due_on=due, status=status, status_on=date(2025, 12, 1))
    db.write(add_step, actor=actor, goal_id=goal, data=step, today=date(2025, 12, 1))


def refer(
    db: Database, actor: UserPublic, household: HouseholdPublic, partner: int, **values: object
) -> None:
    consent_to_share(db, actor, household, partner)
    made = values.get("made_on", date(2026, 3, 2))
    data = ReferralInput.model_validate(
        {"partner_id": partner, "purpose": "Support", "status_on": made} | values
    )
    db.write(save_referral, actor=actor, household_id=household.id, data=data)


def _contact(
    db: Database, actor: UserPublic, household: HouseholdPublic, on: date, recontact: str
) -> None:
    data = ContactInput.model_validate(
        {"contacted_on": on, "mode": "phone", "purpose": "Welfare check", "recontact": recontact}
    )
    db.write(save_contact, actor=actor, household_id=household.id, data=data)


def give_consent(
    db: Database,
    actor: UserPublic,
    household: HouseholdPublic,
    member: int,
    purpose: str,
    on: date,
    given: bool = True,
) -> None:
    data = ConsentInput.model_validate(
        {"person_id": household.members[member].id, "purpose": purpose, "given": given, "on": on}
    )
    db.write(record_consent, actor=actor, household_id=household.id, data=data)


def _outcome(
    db: Database, actor: UserPublic, household: HouseholdPublic, member: int, **values: object
) -> None:
    data = OutcomeInput.model_validate(
        {"person_id": household.members[member].id, "organisation": "Anfield Works"} | values
    )
    db.write(save_outcome, actor=actor, household_id=household.id, data=data)


def _exit(db: Database, actor: UserPublic, household: HouseholdPublic, **values: object) -> None:
    record = db.read(open_household, actor=actor, household_id=household.id)
    data = ExitInput.model_validate(values)
    db.write(
        exit_household, actor=actor, household_id=household.id, version=record.version, data=data
    )


def build_programme(database: Database, staff: Staff) -> Programme:
    ada, ben, cal = staff.ada, staff.ben, staff.cal
    h = {
        "A1": _household(database, staff, ada, "A1", 2),
        "A2": _household(database, staff, ada, "A2", 1, start_date=date(2025, 6, 1)),
        "A3": _household(
            database,
            staff,
            ada,
            "A3",
            1,
            status="referred",
            start_date=None,
            referred_on=date(2026, 3, 1),
        ),
        "A4": _household(database, staff, ada, "A4", 1, start_date=date(2025, 5, 1)),
        "A5": _household(
            database,
            staff,
            ada,
            "A5",
            1,
            status="referred",
            start_date=None,
            referred_on=date(2026, 4, 10),
        ),
        "B1": _household(
            database, staff, ben, "B1", 1, status="short_term", start_date=date(2026, 2, 1)
        ),
        "B2": _household(
            database,
            staff,
            ben,
            "B2",
            1,
            status="withdrawn",
            start_date=None,
            end_date=date(2026, 3, 10),
        ),
        "C1": _household(database, staff, cal, "C1", 1, start_date=date(2025, 9, 1)),
        "C2": _household(database, staff, cal, "C2", 1, start_date=date(2025, 10, 1)),
    }
    partners = {
        name: add_partner(database, ada, name, kind)
        for name, kind in (
            ("North Food Bank", "food_bank"),
            ("Riverside College", "training"),
            ("Ways to Work Liverpool", "ways_to_work"),
            ("Ways to Work Wirral", "ways_to_work"),
        )
    }
    # Steps: A1 one overdue, one due on the as-of date (not overdue), one done; A4's
    # (closed) and C1's in progress, overdue.
    _step(database, ada, h["A1"], date(2026, 3, 20), "planned")
    _step(database, ada, h["A1"], date(2026, 3, 31), "planned")
    _step(database, ada, h["A1"], date(2026, 3, 1), "done")
    _step(database, ada, h["A4"], date(2026, 1, 1), "planned")
    _step(database, cal, h["C1"], date(2026, 2, 1), "in_progress")
    # Readings: A2 read lately (not due), C1 read long ago (due).
    add_reading(database, ada, h["A2"].members[0].id, reading_input(date(2026, 3, 1)))
    add_reading(database, cal, h["C1"].members[0].id, reading_input(date(2025, 12, 1)))
    # Spending (£1,000 caps): A2's £300 waits for approval; A1's April spend is after.
    spend(database, ada, h["A1"].id, "100", category="food", spent_on=date(2026, 3, 10))
    spend(database, ada, h["A1"].id, "50", category="fuel_vouchers", spent_on=date(2026, 4, 2))
    spend(database, ada, h["A2"].id, "300", category="furniture", spent_on=date(2026, 2, 20))
    spend(database, ada, h["A4"].id, "60", category="clothing", spent_on=date(2026, 1, 10))
    spend(database, ben, h["B1"].id, "40", category="hygiene", spent_on=date(2026, 3, 5))
    spend(database, cal, h["C1"].id, "25", category="travel", spent_on=date(2026, 3, 15))
    spend(database, cal, h["C2"].id, "10", category="fuel_vouchers", spent_on=date(2026, 3, 20))
    # Outcomes: Jo's job counts from 2026-03-01; Al's from 2026-04-02 (after the as-of
    # date); A2's 27-day job and 15-hour job never; C1 volunteers; A4's 6-hour course
    # counts, its 4.5-hour one not; B1 (short term, not started) never.
    _outcome(database, ada, h["A1"], 0, kind="job", start_on=date(2026, 2, 1), hours=20)
    _outcome(database, ada, h["A1"], 1, kind="job", start_on=date(2026, 3, 5), hours=16)
    _outcome(
        database,
        ada,
        h["A2"],
        0,
        kind="job",
        start_on=date(2025, 12, 1),
        end_on=date(2025, 12, 28),
        hours=30,
    )
    _outcome(database, ada, h["A2"], 0, kind="job", start_on=date(2026, 1, 5), hours=15)
    _outcome(database, cal, h["C1"], 0, kind="volunteering", start_on=date(2026, 1, 15), hours=6)
    _outcome(database, ada, h["A4"], 0, kind="course", start_on=date(2025, 12, 10), hours=6)
    _outcome(database, ada, h["A4"], 0, kind="course", start_on=date(2025, 12, 11), hours=4.5)
    _outcome(database, ben, h["B1"], 0, kind="course", start_on=date(2026, 3, 1), hours=10)
    # Exits, with their onward referrals; then a referral of A4 after it left.
    consent_to_share(database, ada, h["A4"], partners["Ways to Work Liverpool"])
    _exit(
        database,
        ada,
        h["A4"],
        end_date=date(2026, 2, 15),
        reason="job",
        destination="job",
        onward_partner_id=partners["Ways to Work Liverpool"],
    )
    consent_to_share(database, cal, h["C2"], partners["Ways to Work Wirral"])
    _exit(
        database,
        cal,
        h["C2"],
        end_date=date(2026, 4, 5),
        reason="completed",
        destination="other_programme",
        onward_partner_id=partners["Ways to Work Wirral"],
    )
    refer(
        database,
        ada,
        h["A4"],
        partners["North Food Bank"],
        made_on=date(2026, 3, 20),
        status="made",
        status_on=date(2026, 3, 20),
    )
    # Referrals: accepted; attended after the as-of date (made, as of it); declined;
    # one made after the as-of date.
    refer(
        database,
        ada,
        h["A1"],
        partners["North Food Bank"],
        made_on=date(2026, 3, 2),
        status="accepted",
        status_on=date(2026, 3, 5),
    )
    refer(
        database,
        ada,
        h["A1"],
        partners["Riverside College"],
        made_on=date(2026, 3, 10),
        status="attended",
        status_on=date(2026, 4, 3),
    )
    refer(
        database,
        cal,
        h["C1"],
        partners["Riverside College"],
        made_on=date(2026, 1, 10),
        status="declined",
        status_on=date(2026, 1, 20),
    )
    refer(
        database,
        ada,
        h["A2"],
        partners["North Food Bank"],
        made_on=date(2026, 4, 2),
        status="made",
        status_on=date(2026, 4, 2),
    )
    # Welfare checks and consents to be contacted.
    _contact(database, ada, h["A1"], date(2026, 3, 2), "weekly")
    _contact(database, ada, h["A1"], date(2026, 3, 20), "monthly")
    _contact(database, ada, h["A4"], date(2026, 3, 5), "none")
    _contact(database, cal, h["C1"], date(2026, 3, 25), "daily")
    _contact(database, ben, h["B1"], date(2026, 4, 2), "weekly")
    _contact(database, ada, h["A2"], date(2026, 3, 10), "fortnightly")
    _contact(database, ada, h["A2"], date(2026, 4, 1), "none")
    give_consent(database, ada, h["A1"], 0, "contact_phone", date(2026, 3, 1))
    give_consent(database, ada, h["A1"], 1, "contact_text", date(2026, 3, 1))
    give_consent(database, ada, h["A1"], 1, "contact_text", date(2026, 3, 15), given=False)
    give_consent(database, ada, h["A4"], 0, "contact_email", date(2026, 2, 1))
    give_consent(database, cal, h["C1"], 0, "contact_post", date(2026, 4, 2))
    return Programme(database, staff, h, partners)


def crowd(programme: Programme, advocates: int = 14) -> None:
    """More advocates (in Sefton, a household each) and partner services (a referral
    each, in March 2026) than an 80x24 screen shows at once."""
    database, manager = programme.database, programme.staff.manager
    for n in range(advocates):
        advocate = database.write(
            add_user,
            username=f"extra.adv{n:02d}",
            display_name=f"Extra Advocate {n:02d}",
            role=UserRole.ADVOCATE,
            local_authority=LocalAuthority.SEFTON,
        )
        household = register(database, manager, advocate, person_input(), reference=f"SEF-{n:05d}")
        partner = add_partner(database, manager, f"Partner service {n:02d}", "other")
        refer(database, manager, household, partner, made_on=date(2026, 3, 3))
