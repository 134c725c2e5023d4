"""Retention and erasure: unique strings planted in every personal field of a household
are gone from the database (and, on SQLite, from its file and WAL) after a retention
run, a neighbour's stay, the counts stay right, the audit chain still verifies, and a
restored older backup is erased again."""

from __future__ import annotations

import itertools
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import delete, insert, update
from sqlmodel import Session, select

from hiw_tui.db.audit import trail
from hiw_tui.db.audit.chain import verify_chain
from hiw_tui.db.casework.models import Contact, Goal, Outcome, Partner, Plan, Referral, Step
from hiw_tui.db.core.backup import backup, restore
from hiw_tui.db.core.engine import Database
from hiw_tui.db.core.models import (
    AuditEvent,
    ErasedAudit,
    Household,
    Person,
    StarReading,
    StarScore,
    UserPublic,
)
from hiw_tui.db.households.people import add_person
from hiw_tui.db.ledger.models import BudgetCap, LedgerDecision, LedgerEntry
from hiw_tui.db.privacy.erasure import (
    compact,
    erasure_request,
    retention_due,
    run_retention,
)
from hiw_tui.db.readings.readings import create_reading
from hiw_tui.domain.classification import COLUMNS, Erase
from hiw_tui.domain.counting import Period
from hiw_tui.domain.framework import load_framework
from hiw_tui.reports.queries.programme import performance
from tests.helpers.database import every_row, file_bytes, sqlite_copy
from tests.helpers.factories import person_input, reading_input, register
from tests.helpers.staff import Staff, add_staff

TODAY = date(2026, 11, 24)
_serial = itertools.count(1)


def planted(tag: str) -> str:
    return f"ZQ{tag}{next(_serial):04d}XJ"


def _plant(database: Database, staff: Staff, tag: str) -> tuple[int, set[str]]:
    """A household whose every erasable field holds a unique string; (id, the strings)."""
    strings: set[str] = set()

    def s(limit: int = 40) -> str:
        value = planted(tag)[:limit]
        strings.add(value)
        return value

    record = register(
        database,
        staff.manager,
        staff.ada,
        person_input(given_name="Pat"),
        person_input(role="secondary", given_name="Sam"),
        start_date=date(2019, 6, 3),
    )
    person_id = record.members[0].id
    database.write(
        create_reading,
        actor=staff.ada,
        person_id=person_id,
        data=reading_input(date(2019, 6, 10), 1, 2),
        framework=load_framework(),
    )

    def fill(session: Session) -> None:
        for member in record.members:
            session.execute(
                update(Person)
                .where(Person.id == member.id)
                .values(
                    given_name=(first_name := s()),
                    family_name=s(),
                    reference=s(),
                    address=s(),
                    postcode=s(9),
                    phone=s(19),
                    email=s(),
                    family_key=s(),
                    full_name_key=s(),
                    postcode_key=s(),
                    phone_key=s(),
                    email_key=s(),
                )
            )
        session.execute(
            update(Household)
            .where(Household.id == record.id)
            .values(
                reference=s(),
                primary_name=s(),
                previous_programmes=s(),
                exit_note=s(),
                status="exited",
                end_date=date(2020, 1, 31),
            )
        )
        session.execute(
            update(StarReading).where(StarReading.person_id == person_id).values(notes=s())
        )
        session.execute(update(StarScore).values(note=s()))
        partner = session.execute(
            insert(Partner).values(name=planted("partner"), kind="food_bank", contact="", version=1)
        ).inserted_primary_key[0]
        plan = session.execute(
            insert(Plan).values(household_id=record.id, person_id=person_id, version=1)
        ).inserted_primary_key[0]
        goal = session.execute(
            insert(Goal).values(plan_id=plan, area="skills", description=s(), version=1)
        ).inserted_primary_key[0]
        session.execute(
            insert(Step).values(
                goal_id=goal,
                household_id=record.id,
                person_id=person_id,
                position=1,
                description=s(),
                owner="householder",
                status="done",
                status_on=date(2019, 7, 1),
                done_on=date(2019, 7, 1),
                version=1,
            )
        )
        session.execute(
            insert(Referral).values(
                household_id=record.id,
                person_id=person_id,
                partner_id=partner,
                purpose=s(),
                status="made",
                made_on=date(2019, 7, 1),
                status_on=date(2019, 7, 1),
                outcome_note=s(),
                onward=False,
                consent_override=s(),
                entered_by=staff.ada.id,
                version=1,
            )
        )
        session.execute(
            insert(Outcome).values(
                household_id=record.id,
                person_id=person_id,
                kind="job",
                organisation=s(),
                description=s(),
                start_on=date(2019, 8, 1),
                end_on=None,
                hours=20,
                completed=False,
                entered_by=staff.ada.id,
                version=1,
            )
        )
        session.execute(
            insert(Contact).values(
                household_id=record.id,
                contacted_on=date(2019, 7, 2),
                mode="phone",
                participants=s(),
                purpose=s(),
                note=s(),
                recontact="none",
                entered_by=staff.ada.id,
                version=1,
            )
        )
        session.execute(
            insert(BudgetCap).values(
                household_id=record.id, cap_pence=100_000, reason=s(), set_by=staff.manager.id
            )
        )
        entry = session.execute(
            insert(LedgerEntry).values(
                household_id=record.id,
                kind="spend",
                spent_on=date(2019, 7, 3),
                amount_pence=1250,
                category="food",
                payee=s(),
                description=s(),
                receipt_ref=s(),
                person_id=person_id,
                reason=s(),
                needs_approval=True,
                entered_by=staff.ada.id,
                idempotency_key=f"k{tag}",
            )
        ).inserted_primary_key[0]
        session.execute(
            insert(LedgerDecision).values(
                entry_id=entry, decision="approved", note=s(), decided_by=staff.manager.id
            )
        )
        trail.record(
            session,
            actor=staff.ada,
            action="update",
            entity="person",
            entity_id=person_id,
            household_id=record.id,
            changes={"family_name": [s(), s()]},
        )
        trail.record_search(session, actor=staff.ada, term=first_name, place="list")

    database.write(fill)
    return record.id, strings


def _counts(database: Database, actor: UserPublic) -> object:
    return database.read(performance, actor=actor, period=Period(as_of=TODAY))


PLANTED = {
    *(
        f"person.{name}"
        for name in (
            "given_name",
            "family_name",
            "reference",
            "address",
            "postcode",
            "phone",
            "email",
            "family_key",
            "full_name_key",
            "postcode_key",
            "phone_key",
            "email_key",
            "date_of_birth",
        )
    ),
    "household.reference",
    "household.primary_name",
    "household.previous_programmes",
    "household.exit_note",
    "star_reading.notes",
    "star_score.note",
    "plan_goal.description",
    "plan_step.description",
    "referral.purpose",
    "referral.outcome_note",
    "referral.consent_override",
    "outcome.organisation",
    "outcome.description",
    "contact.participants",
    "contact.purpose",
    "contact.note",
    "budget_cap.reason",
    "ledger_entry.payee",
    "ledger_entry.description",
    "ledger_entry.receipt_ref",
    "ledger_entry.reason",
    "ledger_decision.note",
    "audit_event.changes",
    "audit_event.nonce",
}
"""What `_plant` fills (the date of birth is checked as anonymised, the nonce as emptied)."""


def test_every_erased_column_is_planted_by_this_test() -> None:
    """A column newly marked for erasure must be planted above too."""
    assert {name for name, c in COLUMNS.items() if c.erase is not Erase.KEEP} == PLANTED


def test_retention_leaves_no_trace_and_the_counts_stay(database: Database, staff: Staff) -> None:
    gone_id, gone = _plant(database, staff, "GONE")
    _kept_id, kept = _plant(database, staff, "KEPT")
    database.write(
        lambda session: session.execute(
            update(Household)
            .where(Household.id == _kept_id)
            .values(end_date=TODAY, status="exited")
        )
    )
    before = _counts(database, staff.manager)
    due = database.read(retention_due, actor=staff.manager, today=TODAY, months=36)
    assert [d.household_id for d in due] == [gone_id]
    erased = database.write(run_retention, actor=staff.manager, today=TODAY, months=36)
    assert [d.household_id for d in erased] == [gone_id]
    assert database.write(run_retention, actor=staff.manager, today=TODAY, months=36) == []
    compact(database)
    shown = every_row(database)
    assert [value for value in gone if value in shown] == []
    assert all(value in shown for value in kept)
    assert _counts(database, staff.manager) == before
    assert database.read(verify_chain).problems == []
    if database.is_sqlite:
        raw = file_bytes(database)
        assert [value for value in gone if value.encode() in raw] == []
        assert all(value.encode() in raw for value in kept)


def test_one_person_is_erased_on_request_and_their_household_stays(
    database: Database, staff: Staff
) -> None:
    record = register(database, staff.manager, staff.ada, person_input(given_name="Keepme"))
    record = database.write(
        add_person,
        actor=staff.ada,
        household_id=record.id,
        data=person_input(role="secondary", given_name="Zebedee", family_name="Quixote"),
    )
    leaving = record.members[1].id
    with pytest.raises(Exception, match="cannot erase"):
        database.write(erasure_request, actor=staff.ada, person_id=leaving, today=TODAY)
    assert database.write(erasure_request, actor=staff.manager, person_id=leaving, today=TODAY)
    assert not database.write(erasure_request, actor=staff.manager, person_id=leaving, today=TODAY)
    compact(database)
    shown = every_row(database)
    assert "Quixote" not in shown and "Keepme" in shown
    assert database.read(verify_chain).problems == []


def test_a_restored_older_backup_is_erased_again(tmp_path: Path, sqlite_template: Path) -> None:
    database = sqlite_copy(sqlite_template, tmp_path)
    staff = add_staff(database)
    _gone_id, gone = _plant(database, staff, "BACK")
    backup(database, tmp_path / "before.db")
    database.write(run_retention, actor=staff.manager, today=TODAY, months=36)
    compact(database)
    restored = restore(database, tmp_path / "before.db", today=TODAY)
    assert restored.replayed == 1
    shown = every_row(database)
    assert [value for value in gone if value in shown] == []
    assert database.read(verify_chain).problems == []


def test_the_append_only_tables_let_only_erasure_through(database: Database, staff: Staff) -> None:
    """Emptying personal text passes the triggers, an audit row's only when an erasure
    recorded it; any other change is refused."""
    household_id, _ = _plant(database, staff, "TRIG")

    def attempt(statement: object) -> bool:
        try:
            database.write(lambda session: session.execute(statement))
        except Exception as error:  # the trigger's refusal, as each driver raises it
            assert "append-only" in str(error)
            return False
        return True

    entry = LedgerEntry.household_id == household_id
    assert not attempt(update(LedgerEntry).where(entry).values(amount_pence=1))
    assert not attempt(update(LedgerEntry).where(entry).values(payee="someone else"))
    assert attempt(update(LedgerEntry).where(entry).values(payee="", description=""))
    assert not attempt(update(AuditEvent).values(action="view"))
    assert not attempt(update(AuditEvent).values(changes={"x": [1, 2]}))
    search = AuditEvent.action == "search"
    assert not attempt(update(AuditEvent).where(search).values(changes={}, nonce=""))
    assert not attempt(delete(AuditEvent))
    assert database.read(verify_chain).problems == []
    # Recorded in the erasure log by hand, the row can be emptied, but no erasure's
    # audit row names it, so the chain says so.
    seq = database.read(lambda session: session.exec(select(AuditEvent.seq).where(search)).one())
    assert attempt(insert(ErasedAudit).values(seq=seq))
    assert attempt(update(AuditEvent).where(search).values(changes={}, nonce=""))
    assert database.read(verify_chain).problems == [
        f"row {seq}: its changes were emptied, but by no recorded erasure"
    ]


def test_an_erased_primary_householder_is_listed_as_erased(
    database: Database, staff: Staff
) -> None:
    record = register(database, staff.manager, staff.ada, person_input(given_name="Gone"))
    primary = record.members[0].id
    assert database.write(erasure_request, actor=staff.manager, person_id=primary, today=TODAY)
    name = database.read(lambda session: session.get_one(Household, record.id).primary_name)
    assert name == "(erased)"
