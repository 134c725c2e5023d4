"""Erasure: a household closed past the retention period, or one person on request.

What goes is read from the classification (`hiw_tui.domain.classification`): every
column marked to be emptied is emptied, and the anonymised ones are replaced - a
household's reference by `ERASED-<id>`, a name by "(erased)", a date of birth by the
first of its month (an age band can move only for a report dated in the birth month).
Codes, dates, hours, scores and amounts stay, so the programme's counts stay right; with
the names, contact details, references and free text gone they point at nobody.

The audit trail loses the changes of every row about the erased records (their digests
stay, so the chain still verifies) and every search whose words named them. Each erasure
adds a row to the erasure log (ids only), which `replay` applies again after a restore.
Erasing twice does nothing the second time. After the transaction, `compact` rewrites
the database so no old page keeps the values: on SQLite VACUUM and a truncating WAL
checkpoint (with `secure_delete` on for every connection), on PostgreSQL VACUUM FULL of
the tables touched.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import or_, update
from sqlmodel import Session, SQLModel, col, select

from hiw_tui.db.audit import trail
from hiw_tui.db.casework.models import Contact, Goal, Outcome, Plan, Referral, Step
from hiw_tui.db.core.engine import Database
from hiw_tui.db.core.errors import NotFound
from hiw_tui.db.core.models import (
    AuditEvent,
    Erasure,
    Household,
    Person,
    StarReading,
    StarScore,
    UserPublic,
)
from hiw_tui.db.core.scope import require
from hiw_tui.db.ledger.models import BudgetCap, LedgerDecision, LedgerEntry
from hiw_tui.domain.access import Permission
from hiw_tui.domain.classification import Erase, table_columns
from hiw_tui.domain.codes import CLOSED_STATUSES

ERASED_NAME = "(erased)"
RETENTION = "retention"
REQUEST = "request"
_IDENTIFYING = ("given_name", "family_name", "reference", "address", "postcode", "phone")


def _emptied(model: type[SQLModel]) -> dict[str, Any]:
    """The values that empty `model`'s columns the classification marks to be emptied."""
    table = model.__table__  # type: ignore[attr-defined]  # set on every table=True model
    values: dict[str, Any] = {}
    for name in table_columns(table.name, Erase.BLANK):
        column = table.c[name]
        values[name] = None if column.nullable else {} if name == "changes" else ""
    return values


def _blank(session: Session, model: type[SQLModel], where: Any) -> None:
    session.execute(update(model).where(where).values(_emptied(model)))


def months_before(day: date, months: int) -> date:
    """The same day `months` months earlier (the month's last day where it is shorter)."""
    total = day.year * 12 + day.month - 1 - months
    year, month = divmod(total, 12)
    for last in (day.day, 30, 29, 28):
        try:
            return date(year, month + 1, last)
        except ValueError:
            continue
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class Due:
    household_id: int
    reference: str
    status: str
    end_date: date


def retention_due(session: Session, *, today: date, months: int) -> list[Due]:
    """Households closed on or before `months` months ago and not yet erased."""
    cutoff = months_before(today, months)
    rows = session.exec(
        select(Household)
        .where(
            col(Household.status).in_(CLOSED_STATUSES),
            col(Household.end_date) <= cutoff,
            col(Household.erased_on).is_(None),
        )
        .order_by(col(Household.end_date), col(Household.id))
    )
    return [Due(h.id or 0, h.reference, h.status, h.end_date or cutoff) for h in rows]


def _words(people: Iterable[Person]) -> set[str]:
    """What identifies these people in a search's words (folded; 3 letters or more)."""
    found = set()
    for person in people:
        for name in _IDENTIFYING:
            value = (getattr(person, name) or "").strip().casefold()
            if len(value) >= 3:
                found.add(value)
    return found


def _blank_naming(session: Session, where: Any, words: set[str]) -> None:
    """Empty the audit rows matching `where` whose changes name any of `words`."""
    rows = session.exec(
        select(AuditEvent.id, AuditEvent.changes).where(where, AuditEvent.nonce != "")
    )
    hits = [
        event_id
        for event_id, changes in rows
        if changes and any(word in str(changes).casefold() for word in words)
    ]
    for start in range(0, len(hits), 500):
        _blank(session, AuditEvent, col(AuditEvent.id).in_(hits[start : start + 500]))


def _erase_person_rows(session: Session, person: Person, today: date) -> None:
    person_id = person.id
    readings = select(StarReading.id).where(StarReading.person_id == person_id)
    _blank(session, StarReading, StarReading.person_id == person_id)
    _blank(session, StarScore, col(StarScore.reading_id).in_(readings))
    plans = select(Plan.id).where(Plan.person_id == person_id)
    goals = select(Goal.id).where(col(Goal.plan_id).in_(plans))
    _blank(session, Goal, col(Goal.plan_id).in_(plans))
    _blank(session, Step, or_(col(Step.person_id) == person_id, col(Step.goal_id).in_(goals)))
    _blank(session, Referral, Referral.person_id == person_id)
    _blank(session, Outcome, Outcome.person_id == person_id)
    entries = select(LedgerEntry.id).where(LedgerEntry.person_id == person_id)
    _blank(session, LedgerEntry, LedgerEntry.person_id == person_id)
    _blank(session, LedgerDecision, col(LedgerDecision.entry_id).in_(entries))
    values = _emptied(Person)
    born = person.date_of_birth.replace(day=1)
    values.update(given_name=ERASED_NAME, date_of_birth=born, erased_on=today)
    session.execute(update(Person).where(col(Person.id) == person_id).values(values))


def erase_household(
    session: Session, *, household_id: int, reason: str, actor: UserPublic | None, today: date
) -> bool:
    """Erase the household and every member; False if it was erased already."""
    household = session.get(Household, household_id, with_for_update=True)
    if household is None:
        raise NotFound("That household does not exist.")
    if household.erased_on is not None:
        return False
    people = list(session.exec(select(Person).where(Person.household_id == household_id)))
    words = _words(people) | {household.reference.casefold()}
    for person in people:
        if person.erased_on is None:
            _erase_person_rows(session, person, today)
    _blank(session, Contact, Contact.household_id == household_id)
    plans = select(Plan.id).where(Plan.household_id == household_id)
    _blank(session, Goal, col(Goal.plan_id).in_(plans))
    _blank(session, Step, Step.household_id == household_id)
    _blank(session, Referral, Referral.household_id == household_id)
    _blank(session, Outcome, Outcome.household_id == household_id)
    _blank(session, StarReading, StarReading.household_id == household_id)
    _blank(session, BudgetCap, BudgetCap.household_id == household_id)
    entries = select(LedgerEntry.id).where(LedgerEntry.household_id == household_id)
    _blank(session, LedgerEntry, LedgerEntry.household_id == household_id)
    _blank(session, LedgerDecision, col(LedgerDecision.entry_id).in_(entries))
    household_values = _emptied(Household)
    household_values.update(
        reference=f"ERASED-{household_id}", primary_name=ERASED_NAME, erased_on=today
    )
    session.execute(
        update(Household).where(col(Household.id) == household_id).values(household_values)
    )
    _blank(session, AuditEvent, AuditEvent.household_id == household_id)
    _blank_naming(session, AuditEvent.action == "search", words)
    _log(session, "household", household_id, None, reason, actor)
    return True


def erase_person(
    session: Session, *, person_id: int, reason: str, actor: UserPublic | None, today: date
) -> bool:
    """Erase one person (their household's other members stay); False if done already."""
    person = session.get(Person, person_id, with_for_update=True)
    if person is None:
        raise NotFound("That person does not exist.")
    if person.erased_on is not None:
        return False
    words = _words([person])
    _erase_person_rows(session, person, today)
    _blank_naming(session, AuditEvent.household_id == person.household_id, words)
    _blank_naming(session, AuditEvent.action == "search", words)
    _log(session, "person", person.household_id, person_id, reason, actor)
    return True


def _log(
    session: Session,
    kind: str,
    household_id: int,
    person_id: int | None,
    reason: str,
    actor: UserPublic | None,
) -> None:
    session.add(
        Erasure(
            kind=kind,
            household_id=household_id,
            person_id=person_id,
            reason=reason,
            by=actor.id if actor else None,
        )
    )
    session.flush()
    trail.record(
        session,
        actor=actor,
        action="erase",
        entity=kind,
        entity_id=person_id or household_id,
        household_id=household_id,
        changes={"reason": [None, reason]},
    )


def run_retention(session: Session, *, actor: UserPublic, today: date, months: int) -> list[Due]:
    """Erase every household due (see `retention_due`); what was erased."""
    require(actor, Permission.ALL_AREAS, "run the retention erasure")
    due = retention_due(session, today=today, months=months)
    for household in due:
        erase_household(
            session, household_id=household.household_id, reason=RETENTION, actor=actor, today=today
        )
    return due


def erasure_request(session: Session, *, actor: UserPublic, person_id: int, today: date) -> bool:
    """Erase one person because they asked (a programme manager's decision)."""
    require(actor, Permission.ALL_AREAS, "erase a person's data")
    return erase_person(session, person_id=person_id, reason=REQUEST, actor=actor, today=today)


@dataclass(frozen=True)
class LogEntry:
    kind: str
    household_id: int
    person_id: int | None
    reason: str


def erasure_log(session: Session) -> list[LogEntry]:
    rows = session.exec(select(Erasure).order_by(col(Erasure.id)))
    return [LogEntry(row.kind, row.household_id, row.person_id, row.reason) for row in rows]


def replay(session: Session, *, entries: Iterable[LogEntry], today: date) -> int:
    """Erase again whatever `entries` name that this database still holds (after a
    restore of an older backup); how many were erased. Records not in it are skipped."""
    done = 0
    for entry in entries:
        if entry.kind == "person" and entry.person_id is not None:
            if session.get(Person, entry.person_id) is not None:
                done += erase_person(
                    session, person_id=entry.person_id, reason=entry.reason, actor=None, today=today
                )
        elif session.get(Household, entry.household_id) is not None:
            done += erase_household(
                session,
                household_id=entry.household_id,
                reason=entry.reason,
                actor=None,
                today=today,
            )
    return done


_TOUCHED = (
    "person",
    "household",
    "star_reading",
    "star_score",
    "plan_goal",
    "plan_step",
    "referral",
    "outcome",
    "contact",
    "ledger_entry",
    "ledger_decision",
    "budget_cap",
    "audit_event",
)


def compact(database: Database) -> None:
    """Rewrite the database so that no free page or log keeps an erased value."""
    if database.is_sqlite:
        raw = database.engine.raw_connection()  # outside any transaction, as VACUUM needs
        try:
            sqlite = raw.driver_connection
            assert sqlite is not None, "an open connection has its driver's connection"
            for statement in ("PRAGMA wal_checkpoint(TRUNCATE)", "VACUUM"):
                sqlite.execute(statement)
            sqlite.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            raw.close()
        return
    with database.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql(f"VACUUM FULL {', '.join(_TOUCHED)}")
