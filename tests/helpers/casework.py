"""Case work made through the app's own functions, for the transfer tests."""

from __future__ import annotations

from datetime import date

from hiw_tui.db.casework.contacts import save_contact
from hiw_tui.db.casework.exits import exit_household
from hiw_tui.db.casework.referrals import save_referral
from hiw_tui.db.core.engine import Database
from hiw_tui.db.core.models import HouseholdPublic, UserPublic
from hiw_tui.db.households.households import open_household
from hiw_tui.db.privacy.consent import record_consent
from hiw_tui.domain.case_inputs import ConsentInput, ContactInput, ExitInput, ReferralInput
from tests.helpers.factories import add_partner, consent_to_share, person_input, register
from tests.helpers.staff import Staff

DAY = date(2026, 3, 2)


def _referral(
    database: Database, actor: UserPublic, household: HouseholdPublic, **values: object
) -> None:
    data = ReferralInput.model_validate({"made_on": DAY, "status_on": DAY} | values)
    database.write(save_referral, actor=actor, household_id=household.id, data=data)


def _contact(
    database: Database, actor: UserPublic, household: HouseholdPublic, **values: object
) -> None:
    data = ContactInput.model_validate(
        {"contacted_on": DAY, "mode": "phone", "purpose": "Welfare check"} | values
    )
    database.write(save_contact, actor=actor, household_id=household.id, data=data)


def casework(database: Database, staff: Staff) -> dict[str, int]:
    """Case work made by the app: partners (one named like a formula, one never used),
        consents given and one withdrawn, referrals (of a person, of the household, one on a
        supervisor's override), two identical contacts with both householders, one with a
    member and someone else, and a phased exit with its onward
        referral and check-ins. The partners' ids by name."""
    ada, cal = staff.ada, staff.cal
    liverpool = register(
        database, ada, ada, person_input(), person_input(role="secondary", given_name="Al")
    )
    wirral = register(database, cal, cal, person_input(given_name="Wyn"))
    partners = {
        name: add_partner(database, ada, name, kind)
        for name, kind in (
            ("North Food Bank", "food_bank"),
            ("=Riverside College", "training"),
            ("Ways to Work Wirral", "ways_to_work"),
            ("Unused Advice", "citizens_advice"),
        )
    }
    bank, college = partners["North Food Bank"], partners["=Riverside College"]
    consent_to_share(database, ada, liverpool, bank)
    consent_to_share(database, cal, wirral, partners["Ways to Work Wirral"])
    withdrawn = ConsentInput.model_validate(
        {
            "person_id": liverpool.members[1].id,
            "purpose": "contact_text",
            "given": False,
            "on": DAY,
        }
    )
    database.write(record_consent, actor=ada, household_id=liverpool.id, data=withdrawn)
    first, second = liverpool.members
    _referral(database, ada, liverpool, person_id=first.id, partner_id=bank, purpose="Parcel")
    _referral(database, ada, liverpool, partner_id=bank, purpose="Household parcel")
    _referral(
        database,
        staff.liverpool_supervisor,
        liverpool,
        person_id=second.id,
        partner_id=college,
        purpose="Course place",
        status="accepted",
        outcome_note="Starts in April,\nif funded",
        consent_override="Eviction notice: urgent",
    )
    for _ in range(2):
        _contact(
            database,
            ada,
            liverpool,
            note="First line\nsecond line",
            recontact="weekly",
            participant_ids=[first.id, second.id],
        )
    _contact(
        database,
        cal,
        wirral,
        mode="face_to_face",
        participants="Her neighbour",
        participant_ids=[wirral.members[0].id],
        purpose="=Visit",
    )
    record = database.read(open_household, actor=cal, household_id=wirral.id)
    leaving = ExitInput(
        end_date=date(2026, 3, 1),
        reason="completed",
        destination="other_programme",
        onward_partner_id=partners["Ways to Work Wirral"],
    )
    database.write(
        exit_household, actor=cal, household_id=wirral.id, version=record.version, data=leaving
    )
    return partners
