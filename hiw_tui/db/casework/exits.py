"""Leaving the programme, and converting a short-term case to full registration."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from hiw_tui.db.casework.models import ExitCheckin
from hiw_tui.db.casework.referrals import create_referral
from hiw_tui.db.casework.rows import update_row
from hiw_tui.db.core.errors import DataError, FieldError
from hiw_tui.db.core.models import Household, HouseholdPublic, Person, UserPublic, utcnow
from hiw_tui.db.households.households import household_in_scope, household_record
from hiw_tui.db.privacy.consent import ShareFields
from hiw_tui.domain.case_inputs import ExitInput, ReferralInput
from hiw_tui.domain.casework import checkin_days
from hiw_tui.domain.codes import CLOSED_STATUSES, HouseholdStatus, MemberRole, ReferralStatus

ONWARD_FIELDS: ShareFields = ("onward_partner_id", "onward_consent_override")
"""The exit form's fields for the onward referral's partner and a supervisor's reason."""


def _change(
    session: Session,
    actor: UserPublic,
    household: Household,
    version: int,
    values: dict[str, Any],
    action: str,
) -> None:
    """Apply `values` to a household opened at `version`, audited as `action`."""
    update_row(
        session,
        actor,
        household,
        entity="household",
        household_id=household.id,
        version=version,
        values=values,
        action=action,
    )
    household.updated_at = utcnow()


def exit_household(
    session: Session, *, actor: UserPublic, household_id: int, version: int, data: ExitInput
) -> HouseholdPublic:
    """Close the household on `data.end_date`: reason, destination, the onward referral and,
    for a phased exit, the check-ins that follow, all in one transaction.

    The onward referral shares data like any other, so it is made by `create_referral`
    and needs the same consent (or a supervisor's reason): without it the exit is
    refused as a whole, beside the onward-referral field, and nothing is saved, since
    a household that left without the referral it was promised is worse than one told
    to record the consent (K) or leave the field empty."""
    household = household_in_scope(session, actor, household_id, lock=True)
    if household.status in CLOSED_STATUSES:
        raise DataError("This household has already left the programme.")
    if household.start_date is None:
        raise DataError(
            "This household has not started: give it a start date (e on the record) before"
            " recording its exit."
        )
    if data.end_date < household.start_date:
        raise FieldError("end_date", "The exit date is before the household started.")
    _change(
        session,
        actor,
        household,
        version,
        {
            "status": HouseholdStatus.EXITED.value,
            "end_date": data.end_date,
            "exit_reason": data.reason.value,
            "exit_destination": data.destination.value,
            "exit_note": data.destination_note,
        },
        action="exit",
    )
    if data.onward_partner_id is not None:
        onward = ReferralInput(
            partner_id=data.onward_partner_id,
            purpose=data.onward_purpose or "Onward referral on leaving the programme",
            status=ReferralStatus.MADE,
            made_on=data.end_date,
            status_on=data.end_date,
            onward=True,
            consent_override=data.onward_consent_override,
        )
        create_referral(
            session, actor=actor, household_id=household_id, data=onward, fields=ONWARD_FIELDS
        )
    if data.phased:
        session.add_all(
            ExitCheckin(household_id=household_id, due_on=day)
            for day in checkin_days(data.end_date)
        )
    return household_record(session, household, actor)


def convert_short_term(
    session: Session, *, actor: UserPublic, household_id: int, version: int
) -> HouseholdPublic:
    """Register a short-term case in full, once a second householder has joined."""
    household = household_in_scope(session, actor, household_id, lock=True)
    if household.status != HouseholdStatus.SHORT_TERM.value:
        raise DataError("Only a short-term case can be converted to full registration.")
    secondary = session.exec(
        select(Person.id).where(
            Person.household_id == household_id,
            Person.role == MemberRole.SECONDARY.value,
            col(Person.left_on).is_(None),
        )
    ).first()
    if secondary is None:
        raise DataError(
            "A short-term case converts once a second eligible householder joins: "
            "add them as the secondary householder first (a on the record)."
        )
    _change(
        session,
        actor,
        household,
        version,
        {"status": HouseholdStatus.ACTIVE.value},
        action="convert",
    )
    return household_record(session, household, actor)
