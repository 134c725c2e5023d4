"""Consent kept with the data: what each person agreed to, when, recorded by whom, and
withdrawals. Rows are only added; the newest for a (person, purpose, partner) stands.

A referral shares data with a partner service, so it needs each person's consent to
share with that partner: the referred member's, or for a referral of the household
both householders'. Without it, only a supervisor (or manager) may go ahead, giving a
reason, which is kept on the referral and audited.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from datetime import date
from typing import TypeVar

from sqlalchemy import func
from sqlmodel import Session, col, select

from hiw_tui.db.audit import trail
from hiw_tui.db.casework.models import Consent, ConsentPublic
from hiw_tui.db.casework.partners import usable_partner
from hiw_tui.db.casework.rows import check_member, open_list
from hiw_tui.db.core.errors import FieldError
from hiw_tui.db.core.models import UserPublic
from hiw_tui.db.households.households import current_members, household_in_scope
from hiw_tui.db.privacy.consent_rows import standing_consents
from hiw_tui.db.privacy.contactable import refresh_contactable
from hiw_tui.domain.access import Permission
from hiw_tui.domain.case_inputs import ConsentInput
from hiw_tui.domain.codes import ConsentPurpose, MemberRole

ShareFields = tuple[str, str]
"""The form fields a refusal is shown beside: (the partner chosen, the override reason)."""
REFERRAL_FIELDS: ShareFields = ("partner_id", "consent_override")
ConsentRow = tuple[date, bool]
"""One consent row as the rule reads it: its day, and whether consent was given."""
K = TypeVar("K", bound=Hashable)
HOUSEHOLDERS = (MemberRole.PRIMARY.value, MemberRole.SECONDARY.value)


def household_consents(
    session: Session, *, actor: UserPublic, household_id: int, audited: bool = True
) -> list[ConsentPublic]:
    """What stands for each member, by member then purpose; viewing is audited."""
    open_list(session, actor, household_id, "consent", audited=audited)
    return standing_consents(session, Consent.household_id == household_id)


def record_consent(
    session: Session, *, actor: UserPublic, household_id: int, data: ConsentInput
) -> list[ConsentPublic]:
    """Record consent given (or withdrawn, `given` False) by one member."""
    household_in_scope(session, actor, household_id, lock=True)
    check_member(session, household_id, data.person_id, "person_id")
    partner_id = data.partner_id if data.purpose is ConsentPurpose.SHARE_PARTNER else None
    if partner_id is not None:
        usable_partner(session, partner_id, "partner_id")
    _check_in_order(session, data, partner_id)
    session.add(
        Consent(
            person_id=data.person_id,
            household_id=household_id,
            purpose=data.purpose.value,
            partner_id=partner_id,
            given=data.given,
            on=data.on,
            recorded_by=actor.id,
        )
    )
    session.flush()
    refresh_contactable(session, [household_id])
    trail.record(
        session,
        actor=actor,
        action="consent",
        entity="person",
        entity_id=data.person_id,
        household_id=household_id,
        changes={
            "purpose": [None, data.purpose.value],
            "partner_id": [None, partner_id],
            "given": [None, data.given],
        },
    )
    return household_consents(session, actor=actor, household_id=household_id, audited=False)


def _check_in_order(session: Session, data: ConsentInput, partner_id: int | None) -> None:
    """Refuse a consent dated before the one it follows (the same person, purpose and
    partner): the newest recorded stands on the record, and a report as of a day takes
    the latest day's, so the two agree only while rows are recorded in date order. (The
    household is locked, so no other row comes between.)"""
    latest = session.exec(
        select(func.max(col(Consent.on))).where(
            col(Consent.person_id) == data.person_id,
            col(Consent.purpose) == data.purpose.value,
            col(Consent.partner_id).is_(None)
            if partner_id is None
            else col(Consent.partner_id) == partner_id,
        )
    ).one()
    if latest is not None and data.on < latest:
        raise FieldError(
            "on",
            f"A consent for this is recorded as of {latest.isoformat()} already: date "
            "this one on or after that day.",
        )


def consent_stands(rows: Sequence[ConsentRow], as_of: date | None = None) -> bool:
    """Whether consent stands, from one person's rows for one purpose and partner in the
    order they were recorded: the newest recorded; as of a day, the one of the latest day
    on or before it (of rows of the same day, the newest recorded)."""
    if as_of is not None:
        rows = sorted((row for row in rows if row[0] <= as_of), key=lambda row: row[0])
    return bool(rows) and rows[-1][1]


def needs_consent_of(
    members: Iterable[tuple[K, str, date | None]], person: K | None, as_of: date | None = None
) -> list[K]:
    """Whose consent sharing needs: the referred member's, or for a referral of the
    household each householder's (primary and secondary) who is a member (as of a day:
    who had not left by then)."""
    if person is not None:
        return [person]
    return [
        who
        for who, role, left_on in members
        if role in HOUSEHOLDERS and (left_on is None or (as_of is not None and left_on > as_of))
    ]


def share_refusal(actor: UserPublic, override: str, fields: ShareFields) -> FieldError | None:
    """Why sharing without the consent it needs is refused, beside which of `fields`; None
    when `actor` is a supervisor (or manager) who gives a reason to share anyway."""
    partner_field, override_field = fields
    if not actor.can(Permission.OVERSEE):
        return FieldError(
            partner_field,
            "No consent to share with this partner: record it on the consent screen "
            "(Ctrl+K), or ask a supervisor to override.",
        )
    if not override.strip():
        return FieldError(
            override_field,
            "No consent to share with this partner: give the reason for sharing anyway.",
        )
    return None


def audit_override(
    session: Session,
    actor: UserPublic,
    household_id: int,
    partner_id: int,
    people: Iterable[int],
) -> None:
    """Audit sharing with `partner_id` without `people`'s consent, on a supervisor's reason."""
    for person in people:
        trail.record(
            session,
            actor=actor,
            action="consent_override",
            entity="person",
            entity_id=person,
            household_id=household_id,
            changes={"partner_id": [None, partner_id]},
        )


def _share_rows(session: Session, person_id: int, partner_id: int) -> list[ConsentRow]:
    return [
        (on, given)
        for on, given in session.exec(
            select(col(Consent.on), col(Consent.given))
            .where(
                Consent.person_id == person_id,
                Consent.purpose == ConsentPurpose.SHARE_PARTNER.value,
                Consent.partner_id == partner_id,
            )
            .order_by(col(Consent.id))
        )
    ]


def require_share_consent(
    session: Session,
    *,
    actor: UserPublic,
    household_id: int,
    person_id: int | None,
    partner_id: int,
    override: str,
    fields: ShareFields = REFERRAL_FIELDS,
) -> str:
    """Check the consent a referral to `partner_id` needs. Returns the override reason
    to keep ('' when consent is held); refuses at the partner field (or, for a
    supervisor, the override field) of `fields` when it is missing and there is no
    supervisor's reason."""
    members = (
        []
        if person_id is not None
        else [(m.id or 0, m.role, m.left_on) for m in current_members(session, household_id)]
    )
    missing = [
        person
        for person in needs_consent_of(members, person_id)
        if not consent_stands(_share_rows(session, person, partner_id))
    ]
    if not missing:
        return ""
    refusal = share_refusal(actor, override, fields)
    if refusal is not None:
        raise refusal
    audit_override(session, actor, household_id, partner_id, missing)
    return override.strip()
