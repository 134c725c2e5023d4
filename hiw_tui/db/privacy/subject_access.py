"""A subject-access request: everything held about one person, as a readable document
(written as plain text or a PDF by `hiw_tui.reports.personal`).

It holds the person's details and needs, their Star readings, their own plan, the
referrals of them (and those of their whole household, which shared their data), their
outcomes, the contacts they took part in, their consents, the ledger spends made for
them, and who viewed or changed their record. Other members' details are left out: a
household view is listed by who and when only, and no other member is named. Producing
it needs the sensitive-data permission and the household in scope, and is audited.

A safe-contact household's member: only the household's own advocate produces the full
file. Anyone else who may produce one (their supervisor, a programme manager) gets it
with the address, postcode, phone and email withheld and a line saying so and who can
produce it in full; the audit row says the details were withheld. What is shown goes
through `hiw_tui.db.privacy.visibility`, like every other path.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import or_
from sqlmodel import Session, col, select

from hiw_tui.db.audit import trail
from hiw_tui.db.casework.models import (
    Consent,
    Contact,
    Goal,
    Outcome,
    Partner,
    Plan,
    Referral,
    Step,
)
from hiw_tui.db.core.errors import NotFound
from hiw_tui.db.core.models import AuditEvent, Household, Person, PersonNeed, User, UserPublic
from hiw_tui.db.core.scope import require
from hiw_tui.db.households.households import household_in_scope
from hiw_tui.db.ledger.models import LedgerEntry
from hiw_tui.db.privacy.consent_rows import standing_consents
from hiw_tui.db.privacy.visibility import CONTACT_FIELDS, Sight, household_sight, shown_reading
from hiw_tui.db.readings.scores import load_readings
from hiw_tui.domain.access import Permission
from hiw_tui.domain.codes import (
    Benefit,
    ConsentPurpose,
    Ethnicity,
    Gender,
    HouseholdStatus,
    LocalAuthority,
    MemberRole,
    OutcomeKind,
    Qualification,
    ReferralStatus,
    SupportNeed,
    TimeSinceWork,
)
from hiw_tui.domain.document import Document, Section
from hiw_tui.domain.framework import load_framework
from hiw_tui.domain.money import pounds
from hiw_tui.domain.sensitive import shown_values


def find_person(session: Session, reference: str) -> Person:
    """A person by their CRM reference, or by `#<id>` for one never imported."""
    if reference.startswith("#") and reference[1:].isdigit():
        person = session.get(Person, int(reference[1:]))
    else:
        person = session.exec(select(Person).where(Person.reference == reference)).first()
    if person is None or person.erased_on is not None:
        raise NotFound(f"No person {reference} is held.")
    return person


def person_id(session: Session, *, reference: str) -> int:
    """The id of the person `reference` names (see `find_person`)."""
    return find_person(session, reference).id or 0


def _section(title: str, lines: Iterable[str], empty: str = "none held") -> Section:
    return Section(title, tuple(lines) or (empty,))


def _household_dates(household: Household) -> str:
    """When the household started ("not started" while only referred) and was referred."""
    started = f"from {household.start_date}" if household.start_date else "not started"
    return f"{started}, referred {household.referred_on}" if household.referred_on else started


def subject_access(session: Session, *, actor: UserPublic, person_ref: str, today: date) -> str:
    """The text of the export (audited as a subject-access export)."""
    return subject_access_document(session, actor=actor, person_ref=person_ref, today=today).text()


def subject_access_document(
    session: Session, *, actor: UserPublic, person_ref: str, today: date
) -> Document:
    """The export as a document, for plain text or a PDF (audited as a subject-access
    export)."""
    require(actor, Permission.SENSITIVE, "produce a subject-access export")
    person = find_person(session, person_ref)
    household = household_in_scope(session, actor, person.household_id, lock=False)
    person_id = person.id or 0
    seen = household_sight(actor, household)
    trail.record(
        session,
        actor=actor,
        action="subject_access",
        entity="person",
        entity_id=person_id,
        household_id=household.id,
        changes={} if seen.contact else {"contact_details": [None, "withheld: safe contact"]},
    )
    about = [f"Produced {today.isoformat()} by {actor.display_name}."]
    if not seen.contact:
        advocate = session.get(User, household.advocate_id)
        about.append(
            "Contact details withheld: the household is marked safe contact. Only its"
            f" advocate, {advocate.display_name if advocate else '?'}, can produce this"
            " file with them."
        )
    contact = shown_values("person", {name: getattr(person, name) for name in CONTACT_FIELDS}, seen)
    details = _section(
        "Details",
        [
            f"Reference: {person.reference or '#' + str(person_id)}",
            f"Household: {household.reference} ({LocalAuthority(household.local_authority).label},"
            f" {HouseholdStatus(household.status).label}, {_household_dates(household)})",
            f"Role: {MemberRole(person.role).label}",
            f"Date of birth: {person.date_of_birth}",
            f"Gender: {Gender(person.gender).label}",
            f"Ethnicity: {Ethnicity(person.ethnicity).label}",
            f"Address: {contact['address'] or '-'} {contact['postcode']}".rstrip(),
            f"Phone: {contact['phone'] or '-'}   Email: {contact['email'] or '-'}",
            f"Time since last work: {TimeSinceWork(person.time_since_work).label}",
            f"Qualification: {Qualification(person.qualification).label}",
            "Benefits: " + (", ".join(Benefit(b).label for b in person.benefits) or "none"),
        ],
    )
    needs = session.exec(select(PersonNeed.need).where(PersonNeed.person_id == person_id))
    return Document(
        f"Everything held about {person.given_name} {person.family_name}",
        tuple(about),
        (
            details,
            _section("Support needs", (SupportNeed(need).label for need in needs)),
            _section("Star readings", _readings(session, person_id, seen)),
            _section("Plan", _plan(session, person_id)),
            _section("Referrals", _referrals(session, person)),
            _section("Outcomes", _outcomes(session, person_id)),
            _section("Contacts they took part in", _contacts(session, person, seen)),
            _section("Consent", _consents(session, person_id)),
            _section("Support budget spent for them", _ledger(session, person_id)),
            _section("Who viewed or changed their record", _log(session, person)),
        ),
    )


def _readings(session: Session, person_id: int, seen: Sight) -> Iterable[str]:
    name = load_framework().name_of  # the shipped wording: codes are the same under any
    for stored in load_readings(session, [person_id]).get(person_id, []):
        reading = shown_reading(stored, seen)
        scores = ", ".join(f"{name(area)} {score or '-'}" for area, score in reading.scores.items())
        yield f"{reading.taken_on} ({reading.status}): {scores}"
        if reading.notes:
            yield f"    notes: {reading.notes}"
        for area, note in reading.area_notes.items():
            if note:
                yield f"    {name(area)}: {note}"


def _plan(session: Session, person_id: int) -> Iterable[str]:
    goals = session.exec(
        select(Goal)
        .join(Plan, col(Plan.id) == col(Goal.plan_id))
        .where(Plan.person_id == person_id)
    )
    for goal in goals:
        yield f"Goal ({goal.area}): {goal.description}"
        steps = session.exec(
            select(Step).where(Step.goal_id == goal.id).order_by(col(Step.position))
        )
        for step in steps:
            yield f"    step: {step.description} ({step.status}, due {step.due_on or '-'})"


def _referrals(session: Session, person: Person) -> Iterable[str]:
    rows = session.exec(
        select(Referral, Partner.name)
        .join(Partner, col(Partner.id) == col(Referral.partner_id))
        .where(
            Referral.household_id == person.household_id,
            or_(col(Referral.person_id) == person.id, col(Referral.person_id).is_(None)),
        )
        .order_by(col(Referral.made_on))
    )
    for referral, partner in rows:
        whom = "them" if referral.person_id else "their household"
        status = ReferralStatus(referral.status).label
        yield f"{referral.made_on}: {whom} to {partner} ({status}): {referral.purpose or '-'}"
        if referral.outcome_note:
            yield f"    outcome: {referral.outcome_note}"


def _outcomes(session: Session, person_id: int) -> Iterable[str]:
    for outcome in session.exec(select(Outcome).where(Outcome.person_id == person_id)):
        yield (
            f"{outcome.start_on} to {outcome.end_on or 'now'}: {OutcomeKind(outcome.kind).label}"
            f" at {outcome.organisation}, {outcome.hours:g} hours. {outcome.description}"
        ).rstrip()


def _contacts(session: Session, person: Person, seen: Sight) -> Iterable[str]:
    names = {person.given_name.casefold(), f"{person.given_name} {person.family_name}".casefold()}
    contacts = session.exec(
        select(Contact)
        .where(Contact.household_id == person.household_id)
        .order_by(col(Contact.contacted_on))
    )
    for contact in contacts:
        named = any(name in contact.participants.casefold() for name in names)
        if person.id in contact.participant_ids or named:
            yield f"{contact.contacted_on} ({contact.mode}): {contact.purpose}"
            note = shown_values("contact", {"note": contact.note}, seen)["note"]
            if note:
                yield f"    note: {note}"


def _consents(session: Session, person_id: int) -> Iterable[str]:
    for consent in standing_consents(session, Consent.person_id == person_id):
        partner = f" with {consent.partner_name}" if consent.partner_name else ""
        state = "given" if consent.given else "withdrawn"
        yield (
            f"{ConsentPurpose(consent.purpose).label}{partner}: {state} on {consent.on}"
            f" (recorded by {consent.recorded_by_name})"
        )


def _ledger(session: Session, person_id: int) -> Iterable[str]:
    entries = session.exec(
        select(LedgerEntry)
        .where(LedgerEntry.person_id == person_id)
        .order_by(col(LedgerEntry.spent_on))
    )
    for entry in entries:
        yield (
            f"{entry.spent_on} {entry.kind} {pounds(entry.amount_pence)} {entry.category}:"
            f" {entry.payee} {entry.description}"
        ).rstrip()


def _log(session: Session, person: Person) -> Iterable[str]:
    rows = session.exec(
        select(AuditEvent, User.display_name)
        .outerjoin(User, col(User.id) == col(AuditEvent.actor_id))
        .where(
            AuditEvent.household_id == person.household_id,
            or_(
                (col(AuditEvent.entity) == "person") & (AuditEvent.entity_id == person.id),
                col(AuditEvent.action) == "view",
            ),
        )
        .order_by(col(AuditEvent.seq))
    )
    for event, who in rows:
        what = event.action if event.entity == "person" else f"{event.action} {event.entity}"
        fields = ", ".join(sorted(event.changes)) if event.entity == "person" else ""
        yield f"{event.at:%Y-%m-%d %H:%M} {who or '?'}: {what}" + (f" ({fields})" if fields else "")
