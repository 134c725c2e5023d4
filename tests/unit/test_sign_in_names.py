"""Sign-in tells no one which names exist: a name that is nobody's, or whose user cannot
sign in, gets the same answers, the same argon2 check and the same lock as a real one;
and each failed attempt's audit row holds the name tried."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlmodel import Session, col, select

from hiw_tui.db.access import auth
from hiw_tui.db.access.accounts import lock_user
from hiw_tui.db.access.auth import check_password, set_password
from hiw_tui.db.core.engine import Database
from hiw_tui.db.core.models import AuditEvent
from tests.helpers.clock import NOW
from tests.helpers.staff import Staff

PASSWORD = "correct horse battery"


def _try(database: Database, username: str, password: str, now: datetime = NOW) -> str:
    result = database.write(
        check_password, username=username, password=password, now=now, attempts=3, lock_minutes=15
    )
    return result.message


def _answers(database: Database, username: str) -> list[str]:
    """What a guesser sees: three wrong passwords, a try while locked, one after."""
    return [
        *(_try(database, username, "a wrong guess") for _ in range(3)),
        _try(database, username, PASSWORD, NOW + timedelta(minutes=14)),
        _try(database, username, "a wrong guess", NOW + timedelta(minutes=16)),
    ]


def test_a_name_that_is_nobodys_is_answered_and_locked_like_a_real_one(
    database: Database, staff: Staff
) -> None:
    database.write(set_password, username="ada.adv", password=PASSWORD)
    database.write(set_password, username="ben.adv", password=PASSWORD)
    database.write(lock_user, username="ben.adv")  # inactive
    real = _answers(database, "ada.adv")
    assert real[0] == auth.WRONG and "locked for 15 minutes" in real[2]
    assert "try after 09:15 UTC" in real[3]
    for other in ("nobody", "ben.adv", "cal.adv"):  # no user; inactive; no password
        assert _answers(database, other) == real, other


def test_every_name_costs_an_argon2_check(
    database: Database, staff: Staff, monkeypatch: pytest.MonkeyPatch
) -> None:
    database.write(set_password, username="ada.adv", password=PASSWORD)
    checked: list[str] = []
    real = auth._hasher

    class Spy:
        def verify(self, hashed: str, password: str) -> bool:
            checked.append(password)
            return real.verify(hashed, password)

        def __getattr__(self, name: str) -> Any:
            return getattr(real, name)

    monkeypatch.setattr(auth, "_hasher", Spy())
    for name in ("ada.adv", "nobody", "cal.adv"):
        _try(database, name, f"guess for {name}")
    assert checked == ["guess for ada.adv", "guess for nobody", "guess for cal.adv"]


def test_a_failed_attempt_is_audited_with_the_name_tried(database: Database, staff: Staff) -> None:
    database.write(set_password, username="ada.adv", password=PASSWORD)
    _try(database, " ADA.adv", "a wrong guess")
    _try(database, "Nobody.Here", "a wrong guess")
    rows = database.read(
        lambda session: [
            (event.actor_id, event.changes["name tried"], event.changes["reason"])
            for event in _failures(session)
        ]
    )
    assert rows == [
        (staff.ada.id, [None, "ada.adv"], [None, "wrong password"]),
        (None, [None, "nobody.here"], [None, "no such user"]),
    ]


def _failures(session: Session) -> list[AuditEvent]:
    statement = select(AuditEvent).where(AuditEvent.action == "sign_in_failed")
    return list(session.exec(statement.order_by(col(AuditEvent.seq))))
