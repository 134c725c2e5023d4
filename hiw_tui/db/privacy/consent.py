"""Consent kept with the data: what each person agreed to, when, recorded by whom, and
withdrawals. Rows are only added; the newest for a (person, purpose, partner) stands.

A referral shares data with a partner service, so it needs each person's consent to
share with that partner: the referred member's, or for a referral of the household
both householders'. Without it, only a supervisor (or manager) may go ahead, giving a
reason, which is kept on the referral and audited.
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from hiw_tui.db.audit import trail
from hiw_tui.db.casework.models import Consent, ConsentPublic
from hiw_tui.db.casework.partners import usable_partner
from hiw_tui.db.casework.rows import check_member, open_list
from hiw_tui.db.core.errors import FieldError
from hiw_tui.db.core.models import UserPublic
from hiw_tui.db.households.households import current_members, household_in_scope
from hiw_tui.db.privacy.consent_rows import standing_consents
from hiw_tui.domain.access import Permission
from hiw_tui.domain.case_inputs import ConsentInput
from hiw_tui.domain.codes import ConsentPurpose, MemberRole

ShareFields = tuple[str, str]
"""The form fields a refusal is shown beside: (the partner chosen, the override reason)."""
REFERRAL_FIELDS: ShareFields = ("partner_id", "consent_override")


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


def _shares(session: Session, person_id: int, partner_id: int) -> bool:
    newest = session.exec(
        select(Consent.given)
        .where(
            Consent.person_id == person_id,
            Consent.purpose == ConsentPurpose.SHARE_PARTNER.value,
            Consent.partner_id == partner_id,
        )
        .order_by(col(Consent.id).desc())
        .limit(1)
    ).first()
    return bool(newest)


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
    partner_field, override_field = fields
    if person_id is not None:
        people = [person_id]
    else:
        householders = (MemberRole.PRIMARY, MemberRole.SECONDARY)
        people = [
            member.id or 0
            for member in current_members(session, household_id)
            if member.role in householders
        ]
    missing = [person for person in people if not _shares(session, person, partner_id)]
    if not missing:
        return ""
    if not actor.can(Permission.OVERSEE):
        raise FieldError(
            partner_field,
            "No consent to share with this partner: record it on the consent screen (K), "
            "or ask a supervisor to override.",
        )
    if not override.strip():
        raise FieldError(
            override_field,
            "No consent to share with this partner: give the reason for sharing anyway.",
        )
    for person in missing:
        trail.record(
            session,
            actor=actor,
            action="consent_override",
            entity="person",
            entity_id=person,
            household_id=household_id,
            changes={"partner_id": [None, partner_id]},
        )
    return override.strip()
