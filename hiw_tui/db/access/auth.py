"""Passwords and sign-in: argon2 hashes, a lock after repeated failures, every attempt
audited.

A failed attempt is written (and committed) like a success, so the functions here
return what happened rather than raise it. Nothing a caller sees tells a name that is
nobody's from a real one: a wrong name and a wrong password get the same message and
the same work (an unknown name is checked against a dummy hash), and lock alike after
the same number of tries (counted on the audit trail for names without an account).
Each failed attempt's audit row holds the name tried.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, col, select

from hiw_tui.db.audit import trail
from hiw_tui.db.core.errors import FieldError, NotFound
from hiw_tui.db.core.models import AuditEvent, User, UserPublic
from hiw_tui.domain.text import clean_line

MIN_PASSWORD = 10
WRONG = "Wrong username or password."
FAILED_ACTIONS = ("sign_in_failed", "unlock_failed")
NAME_TRIED = "name tried"
WRONG_IN_A_ROW = "wrong in a row"
LOCKED_UNTIL = "locked until"
_hasher = PasswordHasher(time_cost=2, memory_cost=19_456, parallelism=1)
"""argon2id as OWASP's password storage guidance recommends first: 19 MiB, two passes,
one lane. The library's default (64 MiB, four lanes) took a session's memory from
68 MiB to 149 MiB while it checked; 19 MiB is the guidance's own minimum for argon2id
and costs an attacker the same per guess as its longer, leaner alternatives. A hash
made with other parameters is made again at its next successful sign-in."""


@cache
def _dummy_hash() -> str:
    """A hash to check a password against when the name is no user's, so that a wrong
    name takes as long as a wrong password. Made on first need, not at import: hashing
    takes argon2's memory, which an SSH session (signed in by key) never needs."""
    return _hasher.hash("no user has this password")


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise FieldError("password", f"A password needs at least {MIN_PASSWORD} characters.")
    return _hasher.hash(password)


def set_password(session: Session, *, username: str, password: str) -> UserPublic:
    """Set (or replace) a user's password, and lift any lock."""
    user = locked_row(session, username)
    if user is None:
        raise NotFound(f"No user called {username!r}.")
    user.password_hash = hash_password(password)
    user.failed_sign_ins, user.locked_until = 0, None
    user.version += 1
    session.flush()
    public = UserPublic.model_validate(user)
    trail.record(
        session, actor=public, action="set_password", entity="user", entity_id=user.id or 0
    )
    return public


@dataclass(frozen=True)
class SignIn:
    """What an attempt came to: the user, or why not."""

    user: UserPublic | None
    message: str = ""


@dataclass(frozen=True)
class _Tries:
    """Wrong passwords in a row under one name, and the lock they led to."""

    wrong: int = 0
    locked_until: datetime | None = None


def _name(username: str) -> str:
    return clean_line(username).lower()[:64]


def locked_row(session: Session, username: str) -> User | None:
    """The user called `username` (as typed), its row locked for the change to come."""
    return session.exec(
        select(User).where(User.username == _name(username)).with_for_update()
    ).first()


def _verified(user: User | None, password: str) -> bool:
    try:
        return _hasher.verify(
            user.password_hash if user and user.password_hash else _dummy_hash(), password
        )
    except (VerificationError, InvalidHashError):
        return False


def aware(moment: datetime | None) -> datetime | None:
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment


def _tries_on_trail(session: Session, user: User | None, name: str) -> _Tries:
    """The tries of a name that cannot sign in (no user, an inactive one or one without a
    password), read from its newest failed attempt on the audit trail, so that it locks
    after as many tries as a real account does. The trail needs no column of its own
    for names that are nobody's; `actor_id` (indexed) narrows the search."""
    tried = col(AuditEvent.changes)[(NAME_TRIED, 1)].as_string()
    newest = session.exec(
        select(AuditEvent.changes)
        .where(
            AuditEvent.actor_id == (user.id if user else None),
            col(AuditEvent.action).in_(FAILED_ACTIONS),
            tried == name,
        )
        .order_by(col(AuditEvent.id).desc())
        .limit(1)
    ).first()
    if not newest:
        return _Tries()
    until = newest.get(LOCKED_UNTIL, [None, None])[1]
    return _Tries(
        wrong=int(newest.get(WRONG_IN_A_ROW, [None, 0])[1] or 0),
        locked_until=datetime.fromisoformat(until) if until else None,
    )


def _failed(
    session: Session, user: User | None, *, name: str, action: str, reason: str, tries: _Tries
) -> None:
    """Audit a failed attempt with the name tried and the tries it leaves."""
    changes: dict[str, list[object]] = {
        NAME_TRIED: [None, name],
        "reason": [None, reason],
        WRONG_IN_A_ROW: [None, tries.wrong],
    }
    if tries.locked_until is not None:
        changes[LOCKED_UNTIL] = [None, tries.locked_until.isoformat()]
    trail.record(
        session,
        actor=UserPublic.model_validate(user) if user else None,
        action=f"{action}_failed",
        entity="user",
        entity_id=user.id or 0 if user else 0,
        changes=changes,
    )


def check_password(
    session: Session,
    *,
    username: str,
    password: str,
    now: datetime,
    attempts: int,
    lock_minutes: int,
    action: str = "sign_in",
) -> SignIn:
    """Check `password` for `username` (a sign-in, or `action` "unlock" at the idle lock).
    `attempts` wrong passwords in a row lock the name for `lock_minutes`.

    A name that is nobody's (or a user's who cannot sign in) takes the same steps and
    gets the same answers as a real account: an argon2 check, the same wrong-password
    message, and the same lock after as many tries; only the audit trail tells them
    apart."""
    name = _name(username)
    user = locked_row(session, name)
    ok = _verified(user, password)
    account = user is not None and user.active and user.password_hash is not None
    if user is not None and account:
        tries = _Tries(user.failed_sign_ins, aware(user.locked_until))
        wrong = "wrong password"
    else:
        tries = _tries_on_trail(session, user, name)
        wrong = "no such user" if user is None else "cannot sign in"
    if tries.locked_until is not None and tries.locked_until > now:
        _failed(session, user, name=name, action=action, reason="locked", tries=tries)
        until = f"{tries.locked_until:%H:%M}"
        return SignIn(None, f"Locked after too many wrong passwords; try after {until} UTC.")
    if ok and user is not None and account:
        return _signed_in(session, user, password, action)
    if tries.wrong + 1 < attempts:
        tries, message, reason = _Tries(tries.wrong + 1), WRONG, wrong
    else:
        tries = _Tries(0, now + timedelta(minutes=lock_minutes))
        message = f"Too many wrong passwords: locked for {lock_minutes} minutes."
        reason = f"{wrong}; locked"
    if user is not None and account:
        user.failed_sign_ins, user.locked_until = tries.wrong, tries.locked_until
    _failed(session, user, name=name, action=action, reason=reason, tries=tries)
    return SignIn(None, message)


def _signed_in(session: Session, user: User, password: str, action: str) -> SignIn:
    assert user.password_hash is not None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    user.failed_sign_ins, user.locked_until = 0, None
    public = UserPublic.model_validate(user)
    trail.record(session, actor=public, action=action, entity="user", entity_id=user.id or 0)
    return SignIn(public)


def record_session_event(session: Session, *, actor: UserPublic, action: str) -> None:
    """Audit a sign-out, a lock or an SSH sign-in, which need no check of their own."""
    trail.record(session, actor=actor, action=action, entity="user", entity_id=actor.id)


def has_password(session: Session, *, username: str) -> bool:
    user = session.exec(select(User).where(User.username == clean_line(username).lower())).first()
    return user is not None and user.password_hash is not None
