"""Passwords and sign-in: argon2 hashes, a lock after repeated failures, every attempt
audited.

A failed attempt is written (and committed) like a success, so the functions here
return what happened rather than raise it. A wrong name and a wrong password get the
same message, and the same work: an unknown name is checked against a dummy hash.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, select

from hiw_tui.db.audit import trail
from hiw_tui.db.core.errors import FieldError, NotFound
from hiw_tui.db.core.models import User, UserPublic
from hiw_tui.domain.text import clean_line

MIN_PASSWORD = 10
WRONG = "Wrong username or password."
_hasher = PasswordHasher()


@cache
def _dummy_hash() -> str:
    """A hash to check a password against when the name is no user's, so that a wrong
    name takes as long as a wrong password. Made on first need, not at import: hashing
    takes argon2's 64 MiB, which an SSH session (signed in by key) never needs."""
    return _hasher.hash("no user has this password")


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise FieldError("password", f"A password needs at least {MIN_PASSWORD} characters.")
    return _hasher.hash(password)


def set_password(session: Session, *, username: str, password: str) -> UserPublic:
    """Set (or replace) a user's password, and lift any lock."""
    user = _user(session, username)
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


def _user(session: Session, username: str) -> User | None:
    name = clean_line(username).lower()
    return session.exec(select(User).where(User.username == name).with_for_update()).first()


def _verified(user: User | None, password: str) -> bool:
    try:
        return _hasher.verify(
            user.password_hash if user and user.password_hash else _dummy_hash(), password
        )
    except (VerificationError, InvalidHashError):
        return False


def _aware(moment: datetime | None) -> datetime | None:
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment


def _failed(session: Session, user: User | None, action: str, reason: str, message: str) -> SignIn:
    trail.record(
        session,
        actor=UserPublic.model_validate(user) if user else None,
        action=f"{action}_failed",
        entity="user",
        entity_id=user.id or 0 if user else 0,
        changes={"reason": [None, reason]},
    )
    return SignIn(None, message)


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
    `attempts` wrong passwords in a row lock the account for `lock_minutes`."""
    user = _user(session, username)
    ok = _verified(user, password)
    if user is None or not user.active or user.password_hash is None:
        reason = "no such user" if user is None else "cannot sign in"
        return _failed(session, user, action, reason, WRONG)
    locked_until = _aware(user.locked_until)
    if locked_until is not None and locked_until > now:
        message = f"Locked after too many wrong passwords; try after {locked_until:%H:%M} UTC."
        return _failed(session, user, action, "locked", message)
    if not ok:
        user.failed_sign_ins += 1
        if user.failed_sign_ins < attempts:
            return _failed(session, user, action, "wrong password", WRONG)
        user.locked_until = now + timedelta(minutes=lock_minutes)
        user.failed_sign_ins = 0
        message = f"Too many wrong passwords: locked for {lock_minutes} minutes."
        return _failed(session, user, action, "wrong password; locked", message)
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
