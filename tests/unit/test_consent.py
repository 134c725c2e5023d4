"""Consent kept with the data, the consent a referral needs (or a supervisor's override),
and the subject-access export."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import update
from sqlmodel import col, select

from hiw_tui.db.casework.exits import exit_household
from hiw_tui.db.casework.referrals import household_referrals, save_referral
from hiw_tui.db.core.engine import Database
from hiw_tui.db.core.errors import FieldError, Forbidden, NotFound
from hiw_tui.db.core.models import AuditEvent, Person
from hiw_tui.db.households.households import open_household
from hiw_tui.db.ledger.posting import record_spend
from hiw_tui.db.privacy.consent import household_consents, record_consent
from hiw_tui.db.privacy.subject_access import subject_access
from hiw_tui.domain.budget import BudgetPolicy, SpendInput
from hiw_tui.domain.case_inputs import ConsentInput, ExitInput, ReferralInput
from tests.helpers.factories import add_partner, person_input, register
from tests.helpers.staff import Staff

DAY = date(2026, 3, 2)


def _couple(database: Database, staff: Staff) -> Any:
    return register(
        database,
        staff.manager,
        staff.ada,
        person_input(given_name="Jo", family_name="Bloggs"),
        person_input(role="secondary", given_name="Sam", family_name="Nokes"),
    )


def _consent(database: Database, staff: Staff, record: Any, person: int, **values: Any) -> Any:
    data = ConsentInput.model_validate(
        {"person_id": person, "purpose": "share_partner", "given": True, "on": DAY} | values
    )
    return database.write(record_consent, actor=staff.ada, household_id=record.id, data=data)


def _refer(database: Database, actor: Any, record: Any, partner: int, **values: Any) -> Any:
    data = ReferralInput.model_validate(
        {"partner_id": partner, "made_on": DAY, "status_on": DAY, "purpose": "Food"} | values
    )
    return database.write(save_referral, actor=actor, household_id=record.id, data=data)


def test_the_newest_consent_stands_and_the_record_shows_it(
    database: Database, staff: Staff
) -> None:
    record = _couple(database, staff)
    jo = record.members[0].id
    bank = add_partner(database, staff.ada, "North Food Bank")
    _consent(database, staff, record, jo, purpose="hold_data", partner_id=None)
    _consent(database, staff, record, jo, partner_id=bank)
    standing = _consent(database, staff, record, jo, partner_id=bank, given=False)
    assert [(c.purpose, c.partner_name, c.given) for c in standing] == [
        ("hold_data", None, True),
        ("share_partner", "North Food Bank", False),
    ]
    shown = database.write(open_household, actor=staff.ada, household_id=record.id)
    assert shown.members[0].consents == (
        ("hold_data", None, True),
        ("share_partner", "North Food Bank", False),
    )
    assert shown.members[1].consents == ()
    with pytest.raises(ValueError, match="partner_id"):
        ConsentInput(person_id=jo, purpose="share_partner", given=True, on=DAY)  # type: ignore[arg-type]
    with pytest.raises(NotFound):
        database.write(household_consents, actor=staff.ben, household_id=record.id)


def test_a_consent_dated_before_the_one_it_follows_is_refused(
    database: Database, staff: Staff
) -> None:
    """A withdrawal dated before the consent it withdraws was taken: the record showed it
    withdrawn (the newest recorded stands) while the welfare report, which takes the
    latest day's, still counted the person as contactable."""
    record = _couple(database, staff)
    jo = record.members[0].id
    phone = {"purpose": "contact_phone", "partner_id": None}
    _consent(database, staff, record, jo, **phone, on=date(2026, 4, 7))
    with pytest.raises(FieldError) as refused:
        _consent(database, staff, record, jo, **phone, given=False, on=date(2020, 1, 1))
    assert refused.value.field == "on"
    assert "recorded as of 2026-04-07 already" in str(refused.value)
    _consent(database, staff, record, jo, purpose="contact_email", partner_id=None, on=DAY)
    standing = _consent(database, staff, record, jo, **phone, given=False, on=date(2026, 4, 7))
    assert [(c.purpose, c.given) for c in standing] == [
        ("contact_phone", False),
        ("contact_email", True),
    ]


def test_a_referral_needs_consent_or_a_supervisors_reason(database: Database, staff: Staff) -> None:
    record = _couple(database, staff)
    jo, sam = (member.id for member in record.members)
    bank = add_partner(database, staff.ada, "North Food Bank")
    with pytest.raises(FieldError, match="No consent to share") as refused:
        _refer(database, staff.ada, record, bank, person_id=jo)
    assert refused.value.field == "partner_id"
    _consent(database, staff, record, jo, partner_id=bank)
    _refer(database, staff.ada, record, bank, person_id=jo)
    # The household as a whole: both householders' consent.
    with pytest.raises(FieldError, match="No consent to share"):
        _refer(database, staff.ada, record, bank)
    with pytest.raises(FieldError, match="give the reason") as no_reason:
        _refer(database, staff.liverpool_supervisor, record, bank)
    assert no_reason.value.field == "consent_override"
    made = _refer(
        database, staff.liverpool_supervisor, record, bank, consent_override="Safeguarding"
    )
    assert [r.person_id for r in made] == [None, jo]
    overrides = database.read(
        lambda session: session.exec(
            select(AuditEvent.entity_id).where(AuditEvent.action == "consent_override")
        ).all()
    )
    assert overrides == [sam]
    # Withdrawn: refused again.
    _consent(database, staff, record, jo, partner_id=bank, given=False)
    with pytest.raises(FieldError, match="No consent to share"):
        _refer(database, staff.ada, record, bank, person_id=jo)
    assert len(database.read(household_referrals, actor=staff.ada, household_id=record.id)) == 2


def _exit(database: Database, actor: Any, record: Any, partner: int, **values: Any) -> Any:
    data = ExitInput.model_validate(
        {"end_date": DAY, "reason": "completed", "destination": "other_programme"}
        | {"onward_partner_id": partner}
        | values
    )
    return database.write(
        exit_household, actor=actor, household_id=record.id, version=record.version, data=data
    )


def test_an_onward_referral_on_exit_needs_the_same_consent(
    database: Database, staff: Staff
) -> None:
    """The exit form's onward referral shares data as any referral does: without consent
    it is refused at the onward-referral field and the household has not left."""
    record = _couple(database, staff)
    jo = record.members[0].id
    bank = add_partner(database, staff.ada, "North Food Bank")
    _consent(database, staff, record, jo, partner_id=bank)  # Sam has not consented
    with pytest.raises(FieldError, match="No consent to share") as refused:
        _exit(database, staff.ada, record, bank)
    assert refused.value.field == "onward_partner_id"
    with pytest.raises(FieldError, match="give the reason") as no_reason:
        _exit(database, staff.liverpool_supervisor, record, bank)
    assert no_reason.value.field == "onward_consent_override"
    stored = database.write(open_household, actor=staff.ada, household_id=record.id)
    assert (stored.status, stored.end_date, stored.version) == ("active", None, record.version)
    assert database.read(household_referrals, actor=staff.ada, household_id=record.id) == []
    _exit(database, staff.liverpool_supervisor, record, bank, onward_consent_override="Urgent")
    [onward] = database.read(household_referrals, actor=staff.ada, household_id=record.id)
    assert (onward.onward, onward.consent_override) == (True, "Urgent")


def test_subject_access_says_when_the_household_was_referred_and_started(
    database: Database, staff: Staff
) -> None:
    referral = register(
        database,
        staff.manager,
        staff.ada,
        person_input(),
        status="referred",
        start_date=None,
        referred_on=date(2026, 2, 23),
    )
    started = register(database, staff.manager, staff.ada, person_input())

    def household_line(record: Any) -> str:
        person = f"#{record.members[0].id}"
        text = database.write(subject_access, actor=staff.ada, person_ref=person, today=DAY)
        return next(line for line in text.splitlines() if line.startswith("Household:"))

    assert household_line(referral).endswith(
        "(Liverpool, Referred, not started, referred 2026-02-23)"
    )
    assert household_line(started).endswith("(Liverpool, Active, from 2025-11-03)")


def test_subject_access_holds_their_data_and_nobody_elses(database: Database, staff: Staff) -> None:
    record = _couple(database, staff)
    jo, sam = (member.id for member in record.members)
    database.write(
        lambda session: session.execute(
            update(Person).where(col(Person.id) == jo).values(reference="CRM-77")
        )
    )
    bank = add_partner(database, staff.ada, "North Food Bank")
    _consent(database, staff, record, jo, partner_id=bank)
    for person, payee in ((jo, "Bus pass for Jo"), (sam, "Boots for Sam")):
        spend = SpendInput.model_validate(
            {
                "amount": "12.50",
                "category": "travel",
                "payee": payee,
                "person_id": person,
                "spent_on": DAY,
            }
        )
        database.write(
            record_spend,
            actor=staff.ada,
            household_id=record.id,
            data=spend,
            idempotency_key=payee,
            policy=BudgetPolicy(cap_pence=100_000, approval_threshold_pence=25_000),
        )
    database.write(open_household, actor=staff.ada, household_id=record.id)
    text = database.write(
        subject_access, actor=staff.manager, person_ref="CRM-77", today=date(2026, 11, 24)
    )
    assert "Everything held about Jo Bloggs" in text
    assert "Share with partner with North Food Bank: given" in text
    assert "Bus pass for Jo" in text and "Mental health issues" in text
    assert "Sam" not in text and "Nokes" not in text and "Boots" not in text
    assert "view household" in text
    by_id = database.write(
        subject_access, actor=staff.ada, person_ref=f"#{sam}", today=date(2026, 11, 24)
    )
    assert "Everything held about Sam Nokes" in by_id
    assert "Bloggs" not in by_id and "Bus pass" not in by_id
    with pytest.raises(Forbidden):
        database.write(subject_access, actor=staff.auditor, person_ref="CRM-77", today=DAY)
    with pytest.raises(NotFound):
        database.write(subject_access, actor=staff.cal, person_ref="CRM-77", today=DAY)
    audited = database.read(
        lambda session: session.exec(
            select(AuditEvent.entity_id).where(AuditEvent.action == "subject_access")
        ).all()
    )
    assert audited == [jo, sam]
