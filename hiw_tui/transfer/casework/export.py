"""The casework files of `hiw-tui export`: every row in the user's scope with its own
reference (`identity.ref_of`) and every column, streamed, ordered by household ref then
id, so that an export imported into an empty database and exported again gives the same
bytes. Partners: those the exported households' referrals, consents and plan steps name
(a programme manager's export: every partner), by name."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import select as sa_select
from sqlalchemy import union
from sqlmodel import Session, col

from hiw_tui.db.casework.models import Consent, Contact, ExitCheckin, Partner, Referral, Step
from hiw_tui.db.core.models import Household, Person, User, UserPublic
from hiw_tui.db.core.scope import household_scope
from hiw_tui.db.privacy.files import remove_on_rollback
from hiw_tui.domain.access import Permission
from hiw_tui.transfer.casework.files import (
    CASEWORK_FILES,
    CHECKINS,
    CONSENTS,
    CONTACTS,
    PARTNERS,
    REFERRALS,
)
from hiw_tui.transfer.chunks import chunks
from hiw_tui.transfer.files import NEED_SEPARATOR
from hiw_tui.transfer.identity import database_token, ref_of
from hiw_tui.transfer.values import date_cell, flag_cell, kept_text, time_cell
from hiw_tui.transfer.writing import write_file

STREAM = {"yield_per": 5_000}


def export_casework(
    session: Session,
    actor: UserPublic,
    folder: Path,
    token: str | None = None,
    people: Any = None,
) -> dict[str, int]:
    """Write the casework files into `folder` (made private by the caller); rows written
    per file. `people`: a subquery of each person's `person_id` and `ref` as people.csv
    names them (default: `identity.ref_of`). The files are removed if the transaction
    rolls back; the caller audits them (`record_file`) with the rest of the export."""
    token = token or database_token(session)
    if people is None:
        people = sa_select(
            col(Person.id).label("person_id"), ref_of(Person, token).label("ref")
        ).subquery("people")
    remove_on_rollback(session, [folder / spec.name for spec in CASEWORK_FILES])
    return {
        PARTNERS.name: write_file(folder, PARTNERS, _partners(session, actor)),
        CONSENTS.name: write_file(folder, CONSENTS, _consents(session, actor, token, people)),
        REFERRALS.name: write_file(folder, REFERRALS, _referrals(session, actor, token, people)),
        CONTACTS.name: write_file(folder, CONTACTS, _contacts(session, actor, token, people)),
        CHECKINS.name: write_file(folder, CHECKINS, _checkins(session, actor, token)),
    }


def _in_scope(actor: UserPublic, household_id: Any) -> Any:
    """A condition: the household `household_id` is in `actor`'s scope."""
    return household_id.in_(sa_select(col(Household.id)).where(household_scope(actor)))


def _partners(session: Session, actor: UserPublic) -> Iterator[list[Any]]:
    statement = sa_select(Partner)
    if not actor.can(Permission.ALL_AREAS):
        named = union(
            *(
                sa_select(col(partner)).where(
                    col(partner).is_not(None), _in_scope(actor, col(owner))
                )
                for partner, owner in (
                    (Referral.partner_id, Referral.household_id),
                    (Consent.partner_id, Consent.household_id),
                    (Step.partner_id, Step.household_id),
                )
            )
        )
        statement = statement.where(col(Partner.id).in_(named))
    partners = sorted(session.scalars(statement), key=lambda partner: partner.name)
    for partner in partners:
        yield [partner.name, partner.kind, partner.contact, flag_cell(partner.active)]


def _by_household(model: type[Any], actor: UserPublic, *columns: Any) -> Any:
    """The rows of `model` in scope with `columns`, by household ref then id."""
    return (
        sa_select(*columns)
        .join(Household, col(Household.id) == col(model.household_id))
        .where(household_scope(actor))
        .order_by(col(Household.reference), col(model.id))
        .execution_options(**STREAM)
    )


def _consents(session: Session, actor: UserPublic, token: str, people: Any) -> Iterator[list[Any]]:
    statement = (
        _by_household(
            Consent,
            actor,
            Consent,
            ref_of(Consent, token),
            people.c.ref,
            col(Partner.name),
            col(User.username),
        )
        .join(people, people.c.person_id == col(Consent.person_id))
        .outerjoin(Partner, col(Partner.id) == col(Consent.partner_id))
        .join(User, col(User.id) == col(Consent.recorded_by))
    )
    for consent, ref, person_ref, partner, recorded_by in session.execute(statement):
        yield [
            ref,
            person_ref,
            consent.purpose,
            partner or "",
            flag_cell(consent.given),
            date_cell(consent.on),
            recorded_by,
            time_cell(consent.recorded_at),
        ]


def _referrals(session: Session, actor: UserPublic, token: str, people: Any) -> Iterator[list[Any]]:
    statement = (
        _by_household(
            Referral,
            actor,
            Referral,
            ref_of(Referral, token),
            col(Household.reference),
            people.c.ref,
            col(Partner.name),
            col(User.username),
        )
        .outerjoin(people, people.c.person_id == col(Referral.person_id))
        .join(Partner, col(Partner.id) == col(Referral.partner_id))
        .join(User, col(User.id) == col(Referral.entered_by))
    )
    for referral, ref, household_ref, person_ref, partner, entered_by in session.execute(statement):
        yield [
            ref,
            household_ref,
            person_ref if referral.person_id is not None else "",
            partner,
            referral.purpose,
            referral.status,
            date_cell(referral.made_on),
            date_cell(referral.status_on),
            referral.outcome_note,
            flag_cell(referral.onward),
            referral.consent_override,
            entered_by,
        ]


def _contacts(session: Session, actor: UserPublic, token: str, people: Any) -> Iterator[list[Any]]:
    statement = _by_household(
        Contact,
        actor,
        Contact,
        ref_of(Contact, token),
        col(Household.reference),
        col(User.username),
    ).join(User, col(User.id) == col(Contact.entered_by))
    rows = session.execute(statement)
    while batch := rows.fetchmany(STREAM["yield_per"]):
        members = _person_refs(
            session, people, {i for row in batch for i in row[0].participant_ids}
        )
        for contact, ref, household_ref, entered_by in batch:
            yield [
                ref,
                household_ref,
                date_cell(contact.contacted_on),
                contact.mode,
                NEED_SEPARATOR.join(sorted(members[i] for i in contact.participant_ids)),
                contact.participants,
                kept_text(contact.purpose),
                contact.note,
                contact.recontact,
                entered_by,
                time_cell(contact.created_at),
            ]


def _person_refs(session: Session, people: Any, person_ids: set[int]) -> dict[int, str]:
    """person id -> the ref people.csv names them by, for `person_ids`."""
    found: dict[int, str] = {}
    for part in chunks(sorted(person_ids)):
        statement = sa_select(people.c.person_id, people.c.ref).where(people.c.person_id.in_(part))
        found.update({person_id: ref for person_id, ref in session.execute(statement)})
    return found


def _checkins(session: Session, actor: UserPublic, token: str) -> Iterator[list[Any]]:
    statement = _by_household(
        ExitCheckin,
        actor,
        ref_of(ExitCheckin, token),
        col(Household.reference),
        col(ExitCheckin.due_on),
    )
    for ref, household_ref, due_on in session.execute(statement):
        yield [ref, household_ref, date_cell(due_on)]
