"""Erasure: a household closed past the retention period, or one person on request.

What goes is read from the classification (`hiw_tui.domain.classification`): every
column marked to be emptied is emptied, and the anonymised ones are replaced - a
household's reference by `ERASED-<id>`, a name by "(erased)", a date of birth by the
first of its month (an age band can move only for a report dated in the birth month).
Codes, dates, hours, scores and amounts stay, so the programme's counts stay right; with
the names, contact details, references and free text gone they point at nobody.

Copies go too. Erasing one person restates their household's stored primary name,
empties the household's contacts whose text names them, and empties the audit rows
about their records (the person, their readings, goals, steps, spends, referrals and
outcomes) and every audit row of the household or search whose words name them.
Erasing a household empties every audit row about it. How audit rows are emptied, and
which files the app wrote are listed for the person erasing to deal with, is in
`hiw_tui.db.privacy.erased_trail`.

Each erasure adds a row to the erasure log (ids only), which `replay` applies again
after a restore. Erasing twice does nothing the second time. After the transaction,
`compact` rewrites the database so no old page keeps the values: on SQLite VACUUM and a
truncating WAL checkpoint (with `secure_delete` on for every connection), on PostgreSQL
VACUUM FULL of the tables touched.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy import and_, or_, update
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
from hiw_tui.db.core.scope import household_scope, require
from hiw_tui.db.households.people import refresh_summaries
from hiw_tui.db.ledger.models import BudgetCap, LedgerDecision, LedgerEntry
from hiw_tui.db.privacy.erased_trail import (
    emptied,
    empty_rows,
    names_any,
    rows_to_empty,
    words,
    written_files,
)
from hiw_tui.domain.access import Permission
from hiw_tui.domain.codes import CLOSED_STATUSES

ERASED_NAME = "(erased)"
RETENTION = "retention"
REQUEST = "request"


@dataclass(frozen=True)
class Erased:
    """What one erasure did: `done` is False when it was erased already (true as a
    value when done); `files`, the files the app wrote that may hold what it erased."""

    done: bool
    files: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return self.done


def _blank(session: Session, model: type[SQLModel], where: Any) -> None:
    session.execute(update(model).where(where).values(emptied(model)))


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
    files: tuple[str, ...] = ()
    """Once erased: the files the app wrote that may hold it (see `Erased`)."""


def retention_due(session: Session, *, actor: UserPublic, today: date, months: int) -> list[Due]:
    """Households `actor` may see closed on or before `months` months ago and not yet
    erased."""
    cutoff = months_before(today, months)
    rows = session.exec(
        select(Household)
        .where(
            col(Household.status).in_(CLOSED_STATUSES),
            col(Household.end_date) <= cutoff,
            col(Household.erased_on).is_(None),
            household_scope(actor),
        )
        .order_by(col(Household.end_date), col(Household.id))
    )
    return [Due(h.id or 0, h.reference, h.status, h.end_date or cutoff) for h in rows]


def _records_of(person_id: int) -> Any:
    """An SQL condition on `AuditEvent`: the rows about the person's own records."""

    def ids(column: Any, where: Any) -> Any:
        return select(column).where(where)

    goals = ids(Goal.id, col(Goal.plan_id).in_(ids(Plan.id, Plan.person_id == person_id)))
    steps = ids(Step.id, or_(col(Step.person_id) == person_id, col(Step.goal_id).in_(goals)))
    owned = {
        ("person", "star_readings"): None,
        ("star_reading", "reading"): ids(StarReading.id, StarReading.person_id == person_id),
        ("goal",): goals,
        ("step",): steps,
        ("referral",): ids(Referral.id, Referral.person_id == person_id),
        ("outcome",): ids(Outcome.id, Outcome.person_id == person_id),
        ("ledger_entry",): ids(LedgerEntry.id, LedgerEntry.person_id == person_id),
    }
    return or_(
        *(
            and_(
                col(AuditEvent.entity).in_(entities),
                col(AuditEvent.entity_id) == person_id
                if records is None
                else col(AuditEvent.entity_id).in_(records),
            )
            for entities, records in owned.items()
        )
    )


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
    values = emptied(Person)
    born = person.date_of_birth.replace(day=1)
    values.update(given_name=ERASED_NAME, date_of_birth=born, erased_on=today)
    session.execute(update(Person).where(col(Person.id) == person_id).values(values))


def _blank_contacts_naming(session: Session, household_id: int, found: set[str]) -> None:
    """Empty the household's contacts whose participants, purpose or note name `found`."""
    rows = session.exec(
        select(Contact.id, Contact.participants, Contact.purpose, Contact.note).where(
            Contact.household_id == household_id
        )
    )
    hits = [row[0] for row in rows if names_any(row[1:], found)]
    if hits:
        _blank(session, Contact, col(Contact.id).in_(hits))


def erase_household(
    session: Session, *, household_id: int, reason: str, actor: UserPublic | None, today: date
) -> Erased:
    """Erase the household and every member (see `Erased`)."""
    household = session.get(Household, household_id, with_for_update=True)
    if household is None:
        raise NotFound("That household does not exist.")
    if household.erased_on is not None:
        return Erased(False)
    files = written_files(session, household_id=household_id, created_at=household.created_at)
    erasure_id = _log(session, "household", household_id, None, reason, actor)
    people = list(session.exec(select(Person).where(Person.household_id == household_id)))
    found = words(people) | {household.reference.casefold()}
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
    household_values = emptied(Household)
    household_values.update(
        reference=f"ERASED-{household_id}", primary_name=ERASED_NAME, erased_on=today
    )
    session.execute(
        update(Household).where(col(Household.id) == household_id).values(household_values)
    )
    seqs = rows_to_empty(session, AuditEvent.household_id == household_id)
    seqs += rows_to_empty(session, AuditEvent.action == "search", found)
    _audit(session, "household", household_id, erasure_id, seqs, reason, actor)
    return Erased(True, tuple(files))


def erase_person(
    session: Session, *, person_id: int, reason: str, actor: UserPublic | None, today: date
) -> Erased:
    """Erase one person (their household's other members stay; see `Erased`)."""
    person = session.get(Person, person_id, with_for_update=True)
    if person is None:
        raise NotFound("That person does not exist.")
    if person.erased_on is not None:
        return Erased(False)
    household = session.get(Household, person.household_id, with_for_update=True)
    assert household is not None, "a person belongs to a household"
    files = written_files(session, household_id=household.id or 0, created_at=household.created_at)
    erasure_id = _log(session, "person", person.household_id, person_id, reason, actor)
    found = words([person])
    seqs = rows_to_empty(session, _records_of(person_id))
    seqs += rows_to_empty(session, AuditEvent.household_id == person.household_id, found)
    seqs += rows_to_empty(session, AuditEvent.action == "search", found)
    _erase_person_rows(session, person, today)
    _blank_contacts_naming(session, person.household_id, found)
    refresh_summaries(session, [person.household_id])
    _audit(session, "person", person.household_id, erasure_id, seqs, reason, actor, person_id)
    return Erased(True, tuple(files))


def _log(
    session: Session,
    kind: str,
    household_id: int,
    person_id: int | None,
    reason: str,
    actor: UserPublic | None,
) -> int:
    """Add the erasure to the log; its id."""
    erasure = Erasure(
        kind=kind,
        household_id=household_id,
        person_id=person_id,
        reason=reason,
        by=actor.id if actor else None,
    )
    session.add(erasure)
    session.flush()
    assert erasure.id is not None
    return erasure.id


def _audit(
    session: Session,
    kind: str,
    household_id: int,
    erasure_id: int,
    seqs: list[int],
    reason: str,
    actor: UserPublic | None,
    person_id: int | None = None,
) -> None:
    """Empty the audit rows `seqs`, then audit the erasure, naming them."""
    blanked = empty_rows(session, erasure_id, seqs)
    trail.record(
        session,
        actor=actor,
        action="erase",
        entity=kind,
        entity_id=person_id or household_id,
        household_id=household_id,
        changes={"reason": [None, reason], "blanked": [None, blanked]},
    )


def run_retention(session: Session, *, actor: UserPublic, today: date, months: int) -> list[Due]:
    """Erase every household due (see `retention_due`); what was erased, with the files
    that may hold each."""
    require(actor, Permission.ALL_AREAS, "run the retention erasure")
    return [
        replace(
            household,
            files=erase_household(
                session,
                household_id=household.household_id,
                reason=RETENTION,
                actor=actor,
                today=today,
            ).files,
        )
        for household in retention_due(session, actor=actor, today=today, months=months)
    ]


def erasure_request(session: Session, *, actor: UserPublic, person_id: int, today: date) -> Erased:
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
                ).done
        elif session.get(Household, entry.household_id) is not None:
            done += erase_household(
                session,
                household_id=entry.household_id,
                reason=entry.reason,
                actor=None,
                today=today,
            ).done
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
    "erasure_audit",
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
