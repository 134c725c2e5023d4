"""An account's state for administrators: open, locked or deactivated, and why; and the
lock itself.

An administrator's lock (`hiw-tui user lock`) makes the user inactive: no sign-in by
password or by SSH key until `hiw-tui user unlock`, which also lifts a lock after too
many wrong passwords. A leaver's account is deactivated instead (`hiw_tui.db.access.
leavers`), which only reactivating undoes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlmodel import Session, col, func, select

from hiw_tui.db.access.auth import FAILED_ACTIONS, aware, locked_row
from hiw_tui.db.access.keys import KeyInfo, user_keys
from hiw_tui.db.audit import trail
from hiw_tui.db.core.errors import DataError, NotFound
from hiw_tui.db.core.models import AuditEvent, User, UserPublic


class AccountStatus(StrEnum):
    OPEN = "open"
    LOCKED_OUT = "locked out"
    """For a while, after too many wrong passwords."""
    LOCKED = "locked"
    """By an administrator, until unlocked."""
    DEACTIVATED = "deactivated"
    """A leaver's, until reactivated."""


def account_status(user: User, now: datetime) -> AccountStatus:
    if not user.active:
        return AccountStatus.LOCKED if user.deactivated_at is None else AccountStatus.DEACTIVATED
    until = aware(user.locked_until)
    return AccountStatus.LOCKED_OUT if until is not None and until > now else AccountStatus.OPEN


@dataclass(frozen=True)
class AccountState:
    """What `hiw-tui user show` prints."""

    user: UserPublic
    status: AccountStatus
    deactivated_at: datetime | None
    has_password: bool
    keys: list[KeyInfo]
    wrong_in_a_row: int
    locked_until: datetime | None
    last_sign_in: datetime | None
    last_failure: datetime | None


def _account(session: Session, username: str) -> User:
    user = locked_row(session, username)
    if user is None:
        raise NotFound(f"No user called {username!r}.")
    return user


def _last(session: Session, user_id: int, actions: tuple[str, ...]) -> datetime | None:
    moment = session.exec(
        select(func.max(AuditEvent.at)).where(
            AuditEvent.actor_id == user_id, col(AuditEvent.action).in_(actions)
        )
    ).one()
    return aware(moment)


def account_state(session: Session, *, username: str, now: datetime) -> AccountState:
    user = _account(session, username)
    user_id = user.id or 0
    return AccountState(
        user=UserPublic.model_validate(user),
        status=account_status(user, now),
        deactivated_at=aware(user.deactivated_at),
        has_password=user.password_hash is not None,
        keys=user_keys(session, [user_id]).get(user_id, []),
        wrong_in_a_row=user.failed_sign_ins,
        locked_until=aware(user.locked_until),
        last_sign_in=_last(session, user_id, ("sign_in", "ssh_sign_in")),
        last_failure=_last(session, user_id, FAILED_ACTIONS),
    )


def lock_user(session: Session, *, username: str) -> UserPublic:
    """Lock an account until an administrator unlocks it."""
    return _set_active(session, username, active=False, action="account_locked")


def unlock_user(session: Session, *, username: str) -> UserPublic:
    """Lift an administrator's lock and any lock after wrong passwords; a deactivated
    account is reactivated by a supervisor or manager instead, never unlocked."""
    return _set_active(session, username, active=True, action="account_unlocked")


def _set_active(session: Session, username: str, *, active: bool, action: str) -> UserPublic:
    user = _account(session, username)
    if user.deactivated_at is not None:
        raise DataError(
            f"{user.username} was deactivated (a leaver): a supervisor or manager "
            f"reactivates them with hiw-tui user reactivate {user.username} --user USERNAME."
            if active
            else f"{user.username} is deactivated already: nobody signs in as them."
        )
    changes = trail.diff(
        {"active": user.active, "locked_until": user.locked_until},
        {"active": active, "locked_until": None if active else user.locked_until},
    )
    user.active = active
    if active:
        user.failed_sign_ins, user.locked_until = 0, None
    user.version += 1
    session.flush()
    public = UserPublic.model_validate(user)
    trail.record(
        session, actor=public, action=action, entity="user", entity_id=public.id, changes=changes
    )
    return public
