"""Referrals of a household or one of its members to partner services."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy import inspect as sa_inspect
from sqlmodel import Session, col, select

from hiw_tui.db.casework.models import Partner, Referral, ReferralPublic
from hiw_tui.db.casework.partners import usable_partner
from hiw_tui.db.casework.rows import check_member, create_row, open_list, save_household_row
from hiw_tui.db.core.models import Person, UserPublic
from hiw_tui.db.households.households import household_in_scope
from hiw_tui.db.privacy.consent import REFERRAL_FIELDS, ShareFields, require_share_consent
from hiw_tui.domain.case_inputs import ReferralInput

_CHECKED = "consent checked"
"""Marks (on the row's state) a referral made by `create_referral`."""


def household_referrals(
    session: Session, *, actor: UserPublic, household_id: int, audited: bool = True
) -> list[ReferralPublic]:
    """The household's referrals, newest first; opening the list is audited as a view."""
    open_list(session, actor, household_id, "referrals", audited=audited)
    rows = session.exec(
        select(Referral, Partner.name, Person.given_name, Person.family_name)
        .join(Partner, col(Partner.id) == col(Referral.partner_id))
        .outerjoin(Person, col(Person.id) == col(Referral.person_id))
        .where(Referral.household_id == household_id)
        .order_by(col(Referral.made_on).desc(), col(Referral.id).desc())
    )
    return [
        ReferralPublic.model_validate(
            {
                **referral.model_dump(),
                "partner_name": partner,
                "person_name": f"{given} {family}" if given else None,
            }
        )
        for referral, partner, given, family in rows
    ]


def create_referral(
    session: Session,
    *,
    actor: UserPublic,
    household_id: int,
    data: ReferralInput,
    fields: ShareFields = REFERRAL_FIELDS,
) -> Referral:
    """Make a referral: the only place a Referral row is created (a test scans the package
    for any other, and an insert that did not come through here is refused), so every path
    that shares data with a partner (the referral form, the exit form's onward referral)
    needs the consent `require_share_consent` asks for, or a supervisor's reason.

    `fields` names the form's partner and override fields, so a refusal is shown beside
    what was typed. The caller has locked the household; nothing is written on a refusal.
    """
    partner_field, _ = fields
    check_member(session, household_id, data.person_id, "person_id")
    usable_partner(session, data.partner_id, partner_field)
    values = data.model_dump()
    values["consent_override"] = _consented(session, actor, household_id, data, fields)
    referral = Referral(household_id=household_id, entered_by=actor.id, **values)
    sa_inspect(referral).info[_CHECKED] = True
    return create_row(
        session, actor, referral, entity="referral", household_id=household_id, values=values
    )


def _consented(
    session: Session,
    actor: UserPublic,
    household_id: int,
    data: ReferralInput,
    fields: ShareFields = REFERRAL_FIELDS,
) -> str:
    """The override reason to store, once sharing `data`'s person with its partner is
    consented to (or overridden by a supervisor); refused beside `fields` otherwise."""
    return require_share_consent(
        session,
        actor=actor,
        household_id=household_id,
        person_id=data.person_id,
        partner_id=data.partner_id,
        override=data.consent_override,
        fields=fields,
    )


@event.listens_for(Referral, "before_insert")
def _made_by_create_referral(_mapper: Any, _connection: Any, target: Referral) -> None:
    """Refuse a referral inserted by any other path: it would share without consent."""
    if not sa_inspect(target).info.get(_CHECKED):
        raise RuntimeError("A referral is made only by create_referral (consent is checked).")


def save_referral(
    session: Session,
    *,
    actor: UserPublic,
    household_id: int,
    data: ReferralInput,
    referral_id: int | None = None,
    version: int | None = None,
) -> list[ReferralPublic]:
    """Make a referral (`referral_id` None) or save one opened at `version`; changing its
    partner or person asks again for the consent that sharing with them needs."""
    household_in_scope(session, actor, household_id, lock=True)
    if referral_id is None:
        create_referral(session, actor=actor, household_id=household_id, data=data)
        return household_referrals(session, actor=actor, household_id=household_id, audited=False)
    check_member(session, household_id, data.person_id, "person_id")
    values = data.model_dump()
    stored = session.get(Referral, referral_id)
    if stored is None or data.partner_id != stored.partner_id:
        usable_partner(session, data.partner_id, "partner_id")
    if stored is None or (data.partner_id, data.person_id) != (stored.partner_id, stored.person_id):
        values["consent_override"] = _consented(session, actor, household_id, data)
    else:
        values["consent_override"] = stored.consent_override
    save_household_row(
        session,
        actor,
        Referral,
        entity="referral",
        household_id=household_id,
        values=values,
        row_id=referral_id,
        version=version,
    )
    return household_referrals(session, actor=actor, household_id=household_id, audited=False)
