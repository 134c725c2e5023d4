"""Checking the casework rows before anything is written: the households, people,
partners and users they name are there (in the files, or held in the importer's scope),
each row is matched to the row it is in the database (`held`), a consent held is never
changed, and a referral the import makes has the consent it needs (`shares`)."""

from __future__ import annotations

from collections.abc import Hashable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlmodel import Session, col, select

from hiw_tui.db.casework.models import Consent, Contact, ExitCheckin, Partner, Referral
from hiw_tui.db.core.models import UserPublic
from hiw_tui.domain.dates import as_utc
from hiw_tui.transfer.casework.files import CHECKINS, CONSENTS, CONTACTS, PARTNERS, REFERRALS
from hiw_tui.transfer.casework.held import Owned, Wanted, held_rows
from hiw_tui.transfer.casework.shares import referral_refusals
from hiw_tui.transfer.chunks import chunks
from hiw_tui.transfer.files import STEPS
from hiw_tui.transfer.match import (
    Matched,
    add_stored_households,
    add_stored_people,
    key_text,
    unknown_ref,
)
from hiw_tui.transfer.problems import Problem

if TYPE_CHECKING:
    from hiw_tui.transfer.casework.rows import CaseworkRows

NEVER_CHANGED = "a consent is never changed: record a new one"


@dataclass
class Resolved:
    """What the check found in the database for the rows."""

    token: str
    partners: dict[str, Partner] = field(default_factory=dict)
    """The partners held that the files name, by name."""
    partner_ids: dict[str, int] = field(default_factory=dict)
    """Partner name -> id: those held, and (once written) those partners.csv adds."""
    held: dict[str, dict[int, Any]] = field(default_factory=dict)
    """file -> row number -> the row held it is, None for a new one (good rows only)."""


def check_rows(
    session: Session, actor: UserPublic, matched: Matched, rows: CaseworkRows
) -> Resolved:
    """Check every row; the problems go to `rows.problems`."""
    found = Resolved(matched.token)
    _stored_owners(session, actor, matched, rows)
    _partners(session, rows, found)
    _owners(matched, rows)
    _held(session, matched, rows, found)
    _consents_unchanged(matched, rows, found)
    rows.problems.extend(referral_refusals(session, actor, matched, rows, found))
    return found


def _stored_owners(
    session: Session, actor: UserPublic, matched: Matched, rows: CaseworkRows
) -> None:
    """Households and people the casework files name and the other files do not: from the
    database, in the importer's scope (as `match` finds those of the other files)."""
    by_household: list[Any] = [*rows.referrals, *rows.contacts, *rows.checkins]
    by_person: list[Any] = [*rows.consents, *rows.referrals]
    add_stored_households(session, actor, matched, (r.household_ref for r in by_household))
    people = {r.person_ref for r in by_person if r.person_ref}
    people |= {ref for r in rows.contacts for ref in r.participant_refs}
    add_stored_people(session, actor, matched, people)


def _partners(session: Session, rows: CaseworkRows, found: Resolved) -> None:
    """A name given twice in partners.csv; a partner named by a consent or referral that is
    in neither partners.csv nor the database."""
    first: dict[str, int] = {}
    for record in rows.good(PARTNERS.name, rows.partners):
        name = record.data.name
        if name in first:
            reason = f"{key_text(name)} is already on row {first[name]}"
            rows.problems.append(Problem(PARTNERS.name, record.row, "partner", reason))
        else:
            first[name] = record.row
    naming: list[Any] = [*rows.consents, *rows.referrals, *rows.parsed.steps]
    named = {r.partner for r in naming if r.partner}
    for part in chunks(sorted(named | set(first))):
        for partner in session.exec(select(Partner).where(col(Partner.name).in_(part))):
            found.partners[partner.name] = partner
            found.partner_ids[partner.name] = partner.id or 0
    usable = set(first) | set(found.partners)
    for file, records in (
        (CONSENTS.name, rows.consents),
        (REFERRALS.name, rows.referrals),
        (STEPS.name, rows.parsed.steps),
    ):
        for record in records:
            if record.partner and record.partner not in usable:
                reason = (
                    f"partner {record.partner}: its row in {PARTNERS.name} has a problem"
                    if record.partner in rows.named_partners
                    else f"no partner {record.partner!r} in {PARTNERS.name} or in the database"
                )
                rows.problems.append(Problem(file, record.row, "partner", reason))


def _owners(matched: Matched, rows: CaseworkRows) -> None:
    """Each row's household and person are usable; a person referred is a member of the
    household referred."""
    by_household: list[tuple[str, list[Any]]] = [
        (REFERRALS.name, rows.referrals),
        (CONTACTS.name, rows.contacts),
        (CHECKINS.name, rows.checkins),
    ]
    for file, records in by_household:
        for record in records:
            if record.household_ref and record.household_ref not in matched.household_area:
                _unknown_ref(
                    matched, rows, (file, record.row, "household_ref"), record.household_ref
                )
    by_person: list[tuple[str, list[Any]]] = [
        (CONSENTS.name, rows.consents),
        (REFERRALS.name, rows.referrals),
    ]
    for file, records in by_person:
        for record in records:
            ref = record.person_ref
            if not ref:
                continue
            household = matched.person_household.get(ref)
            if household is None:
                _unknown_ref(matched, rows, (file, record.row, "person_ref"), ref)
            elif file == REFERRALS.name and household != record.household_ref:
                reason = f"{ref} is a member of another household"
                rows.problems.append(Problem(file, record.row, "person_ref", reason))
    for contact in rows.contacts:
        if contact.household_ref not in matched.household_area:
            continue  # its household's problem says it all
        for ref in contact.participant_refs:
            where = (CONTACTS.name, contact.row, "participant_refs")
            household = matched.person_household.get(ref)
            if household is None:
                found = Matched(matched.parsed)  # collects the one problem, for rows.problems
                unknown_ref(found, where, "person", ref)
                rows.problems.extend(found.problems)
                matched.left_out |= found.left_out
            elif household != contact.household_ref:
                rows.problems.append(Problem(*where, f"{ref} is a member of another household"))


def _unknown_ref(
    matched: Matched, rows: CaseworkRows, where: tuple[str, int, str], ref: str
) -> None:
    """The problem of a row naming a household or person (by `where`'s column) that is
    neither in the files nor held in scope, in `match`'s words."""
    found = Matched(matched.parsed)  # collects the one problem, for rows.problems
    unknown_ref(found, where, where[2].removesuffix("_ref"), ref)
    rows.problems.extend(found.problems)
    matched.left_out |= found.left_out


def partner_key(found: Resolved, name: str) -> Hashable:
    """A partner as a natural key holds it: its id if held, its name if new, None if none."""
    if not name:
        return None
    partner = found.partners.get(name)
    return partner.id if partner is not None else ("new", name)


def person_key(matched: Matched, ref: str) -> Hashable:
    """A person as a natural key holds them: their id if held, their ref if new."""
    if not ref:
        return None
    return matched.person_ids.get(ref, ("new", ref))


def _held(session: Session, matched: Matched, rows: CaseworkRows, found: Resolved) -> None:
    households = matched.household_ids
    kinds: list[tuple[Owned, list[Wanted], Any]] = [
        (
            Owned(CONSENTS.name, "consent_ref", Consent, "person_id"),
            [
                Wanted(
                    r.row,
                    r.ref,
                    matched.person_ids.get(r.person_ref),
                    (
                        matched.person_ids.get(r.person_ref),
                        r.data.purpose.value,
                        partner_key(found, r.partner),
                        r.data.given,
                        r.data.on,
                    ),
                )
                for r in rows.good(CONSENTS.name, rows.consents)
            ],
            lambda c: (c.person_id, c.purpose, c.partner_id, c.given, c.on),
        ),
        (
            Owned(REFERRALS.name, "referral_ref", Referral, "household_id"),
            [
                Wanted(
                    r.row,
                    r.ref,
                    households.get(r.household_ref),
                    (
                        households.get(r.household_ref),
                        person_key(matched, r.person_ref),
                        partner_key(found, r.partner),
                        r.data.made_on,
                        r.data.purpose,
                    ),
                )
                for r in rows.good(REFERRALS.name, rows.referrals)
            ],
            lambda f: (f.household_id, f.person_id, f.partner_id, f.made_on, f.purpose),
        ),
        (
            Owned(CONTACTS.name, "contact_ref", Contact, "household_id"),
            [
                Wanted(
                    r.row,
                    r.ref,
                    households.get(r.household_ref),
                    (
                        households.get(r.household_ref),
                        r.data.contacted_on,
                        r.data.mode.value,
                        r.data.purpose,
                    ),
                )
                for r in rows.good(CONTACTS.name, rows.contacts)
            ],
            lambda c: (c.household_id, c.contacted_on, c.mode, c.purpose),
        ),
        (
            Owned(CHECKINS.name, "checkin_ref", ExitCheckin, "household_id"),
            [
                Wanted(
                    r.row,
                    r.ref,
                    households.get(r.household_ref),
                    (households.get(r.household_ref), r.due_on),
                )
                for r in rows.good(CHECKINS.name, rows.checkins)
            ],
            lambda k: (k.household_id, k.due_on),
        ),
    ]
    for owned, wanted, key_of_row in kinds:
        held, problems = held_rows(session, found.token, owned, wanted, key_of_row)
        found.held[owned.file] = held
        rows.problems.extend(problems)


def _consents_unchanged(matched: Matched, rows: CaseworkRows, found: Resolved) -> None:
    """A consent held (by its ref, or its natural key) that the file says otherwise."""
    held = found.held[CONSENTS.name]
    for record in rows.good(CONSENTS.name, rows.consents):
        consent = held.get(record.row)
        if consent is None:
            continue
        column = next(_differences(record, consent, found, matched.users), None)
        if column is not None:
            rows.problems.append(Problem(CONSENTS.name, record.row, column, NEVER_CHANGED))
            del held[record.row]


def _differences(
    record: Any, consent: Consent, found: Resolved, users: dict[str, int]
) -> Iterator[str]:
    partner = found.partner_ids.get(record.partner) if record.partner else None
    same = {
        "purpose": consent.purpose == record.data.purpose.value,
        "partner": consent.partner_id == partner,
        "given": consent.given == record.data.given,
        "on": consent.on == record.data.on,
        "recorded_by": not record.recorded_by
        or users.get(record.recorded_by) == consent.recorded_by,
        "recorded_at": record.recorded_at is None
        or as_utc(consent.recorded_at) == record.recorded_at,
    }
    return (column for column, equal in same.items() if not equal)
