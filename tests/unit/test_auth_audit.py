"""Sign-in (argon2, lockout, every attempt audited) and the audit trail as an append-only
hash chain that `verify_chain` checks."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import text, update
from sqlalchemy.exc import DatabaseError
from sqlmodel import Session, col, select

from hiw_tui.db.access.auth import WRONG, check_password, set_password
from hiw_tui.db.audit.chain import verify_chain
from hiw_tui.db.core.append_only import allow_changes
from hiw_tui.db.core.engine import Database
from hiw_tui.db.core.errors import FieldError
from hiw_tui.db.core.models import AuditEvent, User
from hiw_tui.db.households.households import open_household
from tests.helpers.clock import NOW
from tests.helpers.factories import person_input, register
from tests.helpers.staff import Staff

PASSWORD = "correct horse battery"


def _try(database: Database, password: str, *, now: datetime = NOW, username: str = "ada.adv"):  # type: ignore[no-untyped-def]
    return database.write(
        check_password, username=username, password=password, now=now, attempts=3, lock_minutes=15
    )


def _actions(database: Database) -> list[tuple[int | None, str]]:
    return database.read(
        lambda session: [
            (event.actor_id, event.action)
            for event in session.exec(select(AuditEvent).order_by(col(AuditEvent.seq)))
        ]
    )


def test_sign_in_checks_the_argon2_hash_and_audits_every_attempt(
    database: Database, staff: Staff
) -> None:
    with pytest.raises(FieldError):
        database.write(set_password, username="ada.adv", password="short")
    database.write(set_password, username="ada.adv", password=PASSWORD)
    stored = database.read(
        lambda session: session.exec(
            select(User.password_hash).where(User.id == staff.ada.id)
        ).one()
    )
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert _try(database, "wrong one").message == WRONG
    assert _try(database, PASSWORD, username="nobody").message == WRONG
    signed = _try(database, PASSWORD)
    assert signed.user is not None and signed.user.id == staff.ada.id
    assert _actions(database)[-3:] == [
        (staff.ada.id, "sign_in_failed"),
        (None, "sign_in_failed"),
        (staff.ada.id, "sign_in"),
    ]


def _stored(database: Database, user_id: int) -> str:
    return database.read(
        lambda session: session.exec(select(User.password_hash).where(User.id == user_id)).one()
    )


def test_a_hash_made_with_older_parameters_is_made_again_at_sign_in(
    database: Database, staff: Staff
) -> None:
    from argon2 import PasswordHasher

    database.write(set_password, username="ada.adv", password=PASSWORD)
    assert "$m=19456,t=2,p=1$" in _stored(database, staff.ada.id)
    older = PasswordHasher(time_cost=3, memory_cost=65_536, parallelism=4).hash(PASSWORD)
    database.write(
        lambda session: session.execute(
            update(User).where(col(User.id) == staff.ada.id).values(password_hash=older)
        )
    )
    assert _try(database, "wrong one").message == WRONG
    assert _stored(database, staff.ada.id) == older  # a wrong password changes nothing
    assert _try(database, PASSWORD).user is not None
    renewed = _stored(database, staff.ada.id)
    assert "$m=19456,t=2,p=1$" in renewed and _try(database, PASSWORD).user is not None


def test_repeated_failures_lock_the_account_even_against_the_right_password(
    database: Database, staff: Staff
) -> None:
    database.write(set_password, username="ada.adv", password=PASSWORD)
    for _ in range(2):
        assert _try(database, "nope nope nope").message == WRONG
    assert "locked" in _try(database, "nope nope nope").message.lower()
    assert _try(database, PASSWORD, now=NOW + timedelta(minutes=14)).user is None
    assert _try(database, PASSWORD, now=NOW + timedelta(minutes=16)).user is not None


def test_audit_rows_cannot_be_updated_or_deleted(database: Database, staff: Staff) -> None:
    record = register(database, staff.manager, staff.ada, person_input())
    database.write(open_household, actor=staff.ada, household_id=record.id)
    for statement in (
        "UPDATE audit_event SET action = 'nothing'",
        "DELETE FROM audit_event",
    ):
        with pytest.raises(DatabaseError), database.engine.begin() as connection:
            connection.execute(text(statement))
    assert database.read(verify_chain).problems == []


def _tampered(database: Database, statement: str) -> list[str]:
    """Verify the chain after `statement`, run with the triggers dropped, then undo both."""
    with database.engine.connect() as connection:
        transaction = connection.begin()
        for drop in allow_changes(database.engine.dialect.name, "audit_event"):
            connection.execute(text(drop))
        connection.execute(text(statement))
        problems = verify_chain(Session(bind=connection)).problems
        transaction.rollback()
    return problems


def test_verify_finds_a_changed_or_a_missing_row(database: Database, staff: Staff) -> None:
    record = register(database, staff.manager, staff.ada, person_input())
    for _ in range(3):
        database.write(open_household, actor=staff.ada, household_id=record.id)
    report = database.read(verify_chain)
    assert report.problems == [] and report.rows == report.head_seq >= 5
    changed = _tampered(database, "UPDATE audit_event SET actor_id = NULL WHERE seq = 3")
    assert changed == ["row 3: changed since it was written"]
    missing = _tampered(database, "DELETE FROM audit_event WHERE seq = 2")
    assert missing == ["row 2 missing (the chain jumps to 3)"]
    assert database.read(verify_chain).problems == []  # both undone
