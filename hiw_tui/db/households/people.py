"""Household members: add, edit and remove, each audited and version-checked.

A removed member is marked as having left on a date rather than deleted, so the
history of their readings, plans and outcomes stays with the household. Every change
also refreshes the household's list summary (primary name, member and need counts)
in the same transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Connection, delete, func, update
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from hiw_tui.db.audit import trail
from hiw_tui.db.core.errors import Conflict, FieldError, NotFound
from hiw_tui.db.core.models import (
    Household,
    HouseholdPublic,
    Person,
    PersonNeed,
    UserPublic,
    utcnow,
)
from hiw_tui.db.households.households import household_in_scope, household_record
from hiw_tui.db.privacy.contactable import refresh_contactable
from hiw_tui.db.privacy.visibility import CONTACT_FIELDS, household_sight, shown_conflict
from hiw_tui.db.readings.progress import refresh_progress
from hiw_tui.domain.codes import MemberRole
from hiw_tui.domain.duplicates import email_key
from hiw_tui.domain.text import phone_key, postcode_key, search_key
from hiw_tui.domain.validation import PersonInput


def search_keys(
    *, given_name: str, family_name: str, postcode: str, phone: str, email: str
) -> dict[str, str]:
    """The folded copies of a person's name, postcode and phone that the list search uses,
    and of their email, by which possible duplicates are found."""
    return {
        "family_key": search_key(family_name),
        "full_name_key": search_key(f"{given_name} {family_name}"),
        "postcode_key": postcode_key(postcode),
        "phone_key": phone_key(phone),
        "email_key": email_key(email),
    }


def list_name(family_name: str, given_name: str) -> str:
    """How the household list shows its primary householder: "Family, Given" (an erased
    person, who has no family name left, as their given name alone)."""
    return ", ".join(part for part in (family_name, given_name) if part)


def person_columns(data: PersonInput) -> dict[str, Any]:
    values = data.model_dump(exclude={"support_needs"})
    values["benefits"] = sorted(values["benefits"])
    values.update(
        search_keys(
            given_name=data.given_name,
            family_name=data.family_name,
            postcode=data.postcode,
            phone=data.phone,
            email=data.email,
        )
    )
    return values


def _needs(session: Session, person_id: int) -> set[str]:
    return set(session.exec(select(PersonNeed.need).where(PersonNeed.person_id == person_id)))


def _editable(session: Session, person: Person) -> dict[str, Any]:
    values = {
        name: getattr(person, name) for name in PersonInput.model_fields if name != "support_needs"
    }
    values["support_needs"] = sorted(_needs(session, person.id or 0))
    return values


def _check_role(session: Session, household_id: int, role: str, person_id: int | None) -> None:
    if role == MemberRole.MEMBER.value:
        return
    holder = session.exec(
        select(Person.id).where(
            Person.household_id == household_id,
            Person.role == role,
            col(Person.left_on).is_(None),
            Person.id != (person_id or 0),
        )
    ).first()
    if holder is not None:
        label = MemberRole(role).label.lower()
        raise FieldError("role", f"This household already has a {label}.")


def refresh_summary(session: Session, household: Household) -> None:
    """Recount the current members and needs, restate the primary householder's name and
    when the household's next Star reading falls due."""
    session.flush()
    refresh_summaries(session, [household.id or 0])
    session.refresh(household)


SUMMARY_CHUNK = 5_000


def refresh_summaries(session: Session, household_ids: Sequence[int]) -> None:
    """`refresh_summary` for many households at once, a few queries per few thousand.

    First the Star progress kept on readings and people (`hiw_tui.db.readings.progress`),
    whose latest final reading per person then gives `star_scored_through`: the earliest
    of the current members' latest, None while a current member has none (or there are
    no members)."""
    for start in range(0, len(household_ids), SUMMARY_CHUNK):
        part = household_ids[start : start + SUMMARY_CHUNK]
        refresh_progress(session, part)
        refresh_contactable(session, part)
        refresh_need_counts(session, part)
        current = (col(Person.household_id).in_(part), col(Person.left_on).is_(None))
        members: dict[int, list[tuple[int, str, str, str, date | None]]] = {id_: [] for id_ in part}
        for person_id, household_id, role, family, given, latest in session.execute(
            sa_select(
                col(Person.id),
                col(Person.household_id),
                col(Person.role),
                col(Person.family_name),
                col(Person.given_name),
                col(Person.star_latest_on),
            )
            .where(*current)
            .order_by(col(Person.id))
        ):
            members[household_id].append((person_id, role, family, given, latest))
        needs = dict(
            session.execute(
                sa_select(col(PersonNeed.person_id), func.count())
                .join(Person, col(Person.id) == col(PersonNeed.person_id))
                .where(*current)
                .group_by(col(PersonNeed.person_id))
            ).all()
        )
        rows = []
        for household_id, people in members.items():
            primary = next((p for p in people if p[1] == MemberRole.PRIMARY.value), None)
            dated = [person[4] for person in people]
            rows.append(
                {
                    "id": household_id,
                    "member_count": len(people),
                    "need_count": sum(needs.get(person[0], 0) for person in people),
                    "primary_name": list_name(primary[2], primary[3]) if primary else "",
                    "star_scored_through": None
                    if not dated or None in dated
                    else min(day for day in dated if day is not None),
                    "updated_at": utcnow(),
                }
            )
        if rows:
            session.execute(update(Household), rows)


def refresh_need_counts(session: Session | Connection, household_ids: Sequence[int] | None) -> None:
    """Restate how many needs each person of these households (None: of all) holds."""
    statement = update(Person).values(
        need_count=sa_select(func.count())
        .where(col(PersonNeed.person_id) == col(Person.id))
        .scalar_subquery()
    )
    if household_ids is not None:
        statement = statement.where(col(Person.household_id).in_(household_ids))
    session.execute(statement.execution_options(synchronize_session=False))


def _write_needs(session: Session, person_id: int, needs: frozenset[str]) -> None:
    session.execute(delete(PersonNeed).where(col(PersonNeed.person_id) == person_id))
    session.add_all(PersonNeed(person_id=person_id, need=need) for need in sorted(needs))


def _member_changed(
    session: Session,
    actor: UserPublic,
    household: Household,
    person_id: int,
    action: str,
    changes: dict[str, Any],
) -> HouseholdPublic:
    """After any member change: restate the household's summary, audit, return the record."""
    session.flush()
    refresh_summary(session, household)
    trail.record(
        session,
        actor=actor,
        action=action,
        entity="person",
        entity_id=person_id,
        household_id=household.id,
        changes=changes,
    )
    return household_record(session, household, actor)


def add_person(
    session: Session, *, actor: UserPublic, household_id: int, data: PersonInput
) -> HouseholdPublic:
    household = household_in_scope(session, actor, household_id, lock=True)
    _check_role(session, household_id, data.role.value, None)
    person = Person(household_id=household_id, **person_columns(data))
    session.add(person)
    session.flush()
    assert person.id is not None
    _write_needs(session, person.id, data.support_needs)
    return _member_changed(
        session, actor, household, person.id, "create", trail.diff({}, data.model_dump())
    )


def _member(session: Session, actor: UserPublic, person_id: int) -> tuple[Household, Person]:
    person = session.get(Person, person_id, with_for_update=True)
    if person is None or person.left_on is not None:
        raise NotFound("That person is not a current member of a household you can see.")
    return household_in_scope(session, actor, person.household_id, lock=True), person


def update_person(
    session: Session, *, actor: UserPublic, person_id: int, version: int, data: PersonInput
) -> HouseholdPublic:
    """Save an edited member opened at `version`; a stale version raises Conflict."""
    household, person = _member(session, actor, person_id)
    seen = household_sight(actor, household)
    if not seen.contact:  # the form showed them blank: keep what is stored
        data = data.model_copy(update={name: getattr(person, name) for name in CONTACT_FIELDS})
    before = _editable(session, person)
    after = data.model_dump()
    if person.version != version:
        raise shown_conflict(Conflict("person", before, after, person.version), seen)
    _check_role(session, household.id or 0, data.role.value, person_id)
    changes = trail.diff(before, after)
    if changes:
        for name, value in person_columns(data).items():
            setattr(person, name, value)
        person.version += 1
        _write_needs(session, person_id, data.support_needs)
        return _member_changed(session, actor, household, person_id, "update", changes)
    return household_record(session, household, actor)


def remove_person(
    session: Session, *, actor: UserPublic, person_id: int, version: int, left_on: date
) -> HouseholdPublic:
    """Record that a member left the household on `left_on`; their history is kept."""
    household, person = _member(session, actor, person_id)
    if person.version != version:
        current = _editable(session, person)
        conflict = Conflict("person", current, {**current, "left_on": left_on}, person.version)
        raise shown_conflict(conflict, household_sight(actor, household))
    person.left_on = left_on
    person.version += 1
    changes = {"left_on": [None, left_on.isoformat()]}
    return _member_changed(session, actor, household, person_id, "remove", changes)
