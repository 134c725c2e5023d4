"""Referrals of a household or one of its members to partner services."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import event
from sqlalchemy import inspect as sa_inspect
from sqlmodel import Session, col, select

from hiw_tui.db.casework.models import Consent, Partner, Referral, ReferralPublic
from hiw_tui.db.casework.partners import usable_partner
from hiw_tui.db.casework.rows import check_member, create_row, open_list, save_household_row
from hiw_tui.db.core.models import Person, UserPublic
from hiw_tui.db.households.households import household_in_scope
from hiw_tui.db.privacy.consent import (
    REFERRAL_FIELDS,
    ConsentRow,
    ShareFields,
    audit_override,
    consent_stands,
    needs_consent_of,
    require_share_consent,
    share_refusal,
)
from hiw_tui.domain.case_inputs import ReferralInput
from hiw_tui.domain.codes import ConsentPurpose

_CHECKED = "consent checked"
"""Marks (on the row's state) a referral made by `create_referral` or `import_referrals`."""
IMPORT_FIELDS: ShareFields = ("partner", "consent_override")
"""The columns of referrals.csv a refusal is reported in."""
CHUNK = 5_000


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
        raise RuntimeError(
            "A referral is made only by create_referral or import_referrals (consent is checked)."
        )


def held_householders(
    session: Session, household_ids: Iterable[int]
) -> dict[int, list[tuple[int, str, date | None]]]:
    """household id -> its members (id, role, the day they left), past ones too."""
    members: dict[int, list[tuple[int, str, date | None]]] = defaultdict(list)
    wanted = sorted(set(household_ids))
    for start in range(0, len(wanted), CHUNK):
        for person_id, household_id, role, left_on in session.exec(
            select(col(Person.id), col(Person.household_id), col(Person.role), col(Person.left_on))
            .where(col(Person.household_id).in_(wanted[start : start + CHUNK]))
            .order_by(col(Person.id))
        ):
            members[household_id].append((person_id or 0, role, left_on))
    return members


def held_share_consents(
    session: Session, person_ids: Iterable[int]
) -> dict[tuple[int, int], list[ConsentRow]]:
    """(person id, partner id) -> the people's consent rows for sharing with that partner,
    in the order they were recorded."""
    rows: dict[tuple[int, int], list[ConsentRow]] = defaultdict(list)
    wanted = sorted(set(person_ids))
    for start in range(0, len(wanted), CHUNK):
        for person_id, partner_id, on, given in session.exec(
            select(
                col(Consent.person_id), col(Consent.partner_id), col(Consent.on), col(Consent.given)
            )
            .where(
                col(Consent.person_id).in_(wanted[start : start + CHUNK]),
                Consent.purpose == ConsentPurpose.SHARE_PARTNER.value,
            )
            .order_by(col(Consent.id))
        ):
            rows[(person_id, partner_id or 0)].append((on, given))
    return rows


def check_imported_shares(
    session: Session, actor: UserPublic, rows: Sequence[Mapping[str, Any]]
) -> None:
    """The check `create_referral` makes, for referrals an import brings (a Referral's
    columns each), as of each one's `made_on`: the consent that stood on that day (see
    `consent_stands`) of the person referred, or of each householder who had not left by
    then; without it, the row's `consent_override` (a supervisor's reason), audited.
    Refuses (FieldError beside `IMPORT_FIELDS`) the first row with neither."""
    households = {row["household_id"] for row in rows if row["person_id"] is None}
    members = held_householders(session, households)
    needed = [
        needs_consent_of(members.get(row["household_id"], []), row["person_id"], row["made_on"])
        for row in rows
    ]
    consents = held_share_consents(session, (person for people in needed for person in people))
    for row, people in zip(rows, needed, strict=True):
        missing = [
            person
            for person in people
            if not consent_stands(consents.get((person, row["partner_id"]), []), row["made_on"])
        ]
        if not missing:
            continue
        refusal = share_refusal(actor, row["consent_override"], IMPORT_FIELDS)
        if refusal is not None:
            raise refusal
        audit_override(session, actor, row["household_id"], row["partner_id"], missing)


def import_referrals(
    session: Session, *, actor: UserPublic, rows: Sequence[Mapping[str, Any]]
) -> list[int]:
    """Make the referrals an import brings (a Referral's columns each: `household_id`,
    `entered_by` and `ref` too), in order, after `check_imported_shares`; their ids. With
    `create_referral`, the only other place a Referral row is created. The import has
    checked the rows beforehand (reporting a refusal on its row); a refusal here means the
    data moved meanwhile, and nothing is written."""
    check_imported_shares(session, actor, rows)
    made: list[Referral] = []
    for values in rows:
        referral = Referral(**values)
        sa_inspect(referral).info[_CHECKED] = True
        made.append(referral)
    ids: list[int] = []
    for start in range(0, len(made), CHUNK):
        batch = made[start : start + CHUNK]
        session.add_all(batch)
        session.flush()
        ids.extend(referral.id or 0 for referral in batch)
        for referral in batch:
            session.expunge(referral)
    return ids


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
