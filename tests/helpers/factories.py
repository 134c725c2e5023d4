"""Valid inputs for tests, with any field overridden."""

from __future__ import annotations

from datetime import date
from typing import Any

from hiw_tui.db.core.engine import Database
from hiw_tui.db.core.models import HouseholdPublic, UserPublic
from hiw_tui.db.households.households import create_household
from hiw_tui.db.households.people import add_person
from hiw_tui.db.readings.readings import ReadingSaved, create_reading
from hiw_tui.domain.budget import BudgetPolicy
from hiw_tui.domain.framework import load_framework
from hiw_tui.domain.validation import HouseholdInput, PersonInput, ReadingInput

_serial = iter(range(1, 1_000_000))


def household_input(advocate: UserPublic, **overrides: Any) -> HouseholdInput:
    values: dict[str, Any] = {
        "reference": f"T-{next(_serial):05d}",
        "local_authority": advocate.local_authority,
        "advocate_id": advocate.id,
        "status": "active",
        "referral_route": "jcp",
        "start_date": date(2025, 11, 3),
    }
    return HouseholdInput.model_validate(values | overrides)


def person_input(**overrides: Any) -> PersonInput:
    values: dict[str, Any] = {
        "role": "primary",
        "given_name": "Jo",
        "family_name": "Bloggs",
        "date_of_birth": date(1988, 5, 17),
        "gender": "female",
        "ethnicity": "white_british",
        "postcode": "L4 0TH",
        "time_since_work": "36m+",
        "support_needs": ["mental_health", "parent"],
    }
    return PersonInput.model_validate(values | overrides)


def register(
    database: Database,
    actor: UserPublic,
    advocate: UserPublic,
    *people: PersonInput,
    **overrides: Any,
) -> HouseholdPublic:
    """A household on `advocate`'s caseload with `people` as members."""
    record = database.write(
        create_household, actor=actor, data=household_input(advocate, **overrides)
    )
    for person in people:
        record = database.write(add_person, actor=actor, household_id=record.id, data=person)
    return record


AREAS = load_framework().codes


def reading_input(taken_on: date, *scores: int | None, **overrides: Any) -> ReadingInput:
    """A reading scoring the areas in framework order (3 where `scores` runs out)."""
    values: dict[str, Any] = {
        "taken_on": taken_on,
        "scores": dict(zip(AREAS, [*scores, *[3] * (len(AREAS) - len(scores))], strict=True)),
    }
    return ReadingInput.model_validate(values | overrides)


def add_reading(
    database: Database, actor: UserPublic, person_id: int, data: ReadingInput
) -> ReadingSaved:
    return database.write(
        create_reading, actor=actor, person_id=person_id, framework=load_framework(), data=data
    )


def add_partner(database: Database, actor: UserPublic, name: str, kind: str = "food_bank") -> int:
    from hiw_tui.db.casework.partners import save_partner
    from hiw_tui.domain.case_inputs import PartnerInput

    data = PartnerInput(name=name, kind=kind)  # type: ignore[arg-type]
    return database.write(save_partner, actor=actor, data=data).id


def step_input(description: str = "Write a CV", **overrides: Any) -> Any:
    from hiw_tui.domain.case_inputs import StepInput

    values: dict[str, Any] = {
        "description": description,
        "owner": "householder",
        "due_on": date(2026, 3, 20),
        "status": "planned",
        "status_on": date(2026, 3, 1),
    }
    return StepInput.model_validate(values | overrides)


CAP = 100_000
"""The default budget cap in tests: £1,000."""
THRESHOLD = 25_000
"""The approval threshold in tests: £250."""
POLICY = BudgetPolicy(cap_pence=CAP, approval_threshold_pence=THRESHOLD)
"""The budget policy in tests."""


def spend(
    database: Database, actor: UserPublic, household_id: int, amount: object, **overrides: Any
) -> Any:
    """Record a spend (a fresh idempotency key unless `key` is given); the ledger view."""
    import uuid

    from hiw_tui.db.ledger.posting import record_spend
    from hiw_tui.domain.budget import SpendInput

    key = overrides.pop("key", None) or uuid.uuid4().hex
    values: dict[str, Any] = {
        "amount": amount,
        "category": "food",
        "payee": "Anfield Co-op",
        "spent_on": date(2026, 3, 10),
    }
    return database.write(
        record_spend,
        actor=actor,
        household_id=household_id,
        data=SpendInput.model_validate(values | overrides),
        idempotency_key=key,
        policy=POLICY,
    )


def consent_to_share(
    database: Database, actor: UserPublic, household: HouseholdPublic, partner_id: int
) -> None:
    """Every current member agrees to their data being shared with the partner."""
    from hiw_tui.db.privacy.consent import record_consent
    from hiw_tui.domain.case_inputs import ConsentInput

    for member in household.members:
        data = ConsentInput(
            person_id=member.id,
            purpose="share_partner",  # type: ignore[arg-type]
            partner_id=partner_id,
            given=True,
            on=date(2026, 3, 1),
        )
        database.write(record_consent, actor=actor, household_id=household.id, data=data)
