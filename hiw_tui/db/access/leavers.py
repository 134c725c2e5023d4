"""Leavers: a supervisor (in their own local authority) or a programme manager
(anywhere) deactivates an account, reactivates it, and removes its SSH keys.

A deactivated user cannot sign in, by password or by key, and a session they have open
ends at its next database call or check (`hiw_tui.db.access.sessions`). Nothing of
theirs is deleted: their name stays on the audit trail, in the reports and on the
households they worked; the households still on their caseload wait on the overseer's
My week until moved (`hiw_tui.db.access.caseloads`). Reactivating gives the account
back as it was, with its password and any key not removed.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, func, select

from hiw_tui.db.access.staff import still_held, user_in_scope
from hiw_tui.db.audit import trail
from hiw_tui.db.core.errors import DataError, Forbidden, NotFound
from hiw_tui.db.core.models import Household, User, UserKey, UserPublic, utcnow
from hiw_tui.db.core.scope import household_scope
from hiw_tui.domain.text import clean_line


@dataclass(frozen=True)
class Deactivated:
    user: UserPublic
    households: int
    """Households still on their caseload, of those the actor sees: to be moved."""


def _changed(session: Session, actor: UserPublic, user: User, action: str) -> UserPublic:
    """Audit `action` on `user` (already changed) by `actor`, and return them."""
    user.version += 1
    session.flush()
    trail.record(
        session,
        actor=actor,
        action=action,
        entity="user",
        entity_id=user.id or 0,
        changes={"user": [None, user.username], "active": [not user.active, user.active]},
    )
    return UserPublic.model_validate(user)


def deactivate_user(session: Session, *, actor: UserPublic, username: str) -> Deactivated:
    """Deactivate a leaver's account (not one's own)."""
    user = user_in_scope(session, actor, username, what="deactivate a user", lock=True)
    if user.id == actor.id:
        raise Forbidden("You cannot deactivate your own account.")
    if user.deactivated_at is not None:
        raise DataError(f"{user.username} is deactivated already.")
    user.active, user.deactivated_at = False, utcnow()
    public = _changed(session, actor, user, "deactivate")
    held = session.exec(
        select(func.count())
        .select_from(Household)
        .where(Household.advocate_id == user.id, still_held(), household_scope(actor))
    ).one()
    return Deactivated(public, int(held))


def reactivate_user(session: Session, *, actor: UserPublic, username: str) -> UserPublic:
    """Give a deactivated account back; it signs in as before (a lock after wrong
    passwords is lifted too)."""
    user = user_in_scope(session, actor, username, what="reactivate a user", lock=True)
    if user.deactivated_at is None:
        state = "open" if user.active else "locked, not deactivated: hiw-tui user unlock"
        raise DataError(f"{user.username} is not deactivated ({state}).")
    user.active, user.deactivated_at = True, None
    user.failed_sign_ins, user.locked_until = 0, None
    return _changed(session, actor, user, "reactivate")


def remove_key(
    session: Session, *, actor: UserPublic, username: str, fingerprint: str
) -> UserPublic:
    """Remove one of a user's SSH keys, named by its fingerprint (`SHA256:…`, as `hiw-tui
    user show` and the users screen print it; the `SHA256:` may be left off)."""
    user = user_in_scope(session, actor, username, what="remove a user's key", lock=True)
    typed = clean_line(fingerprint)
    wanted = typed if typed.startswith("SHA256:") else f"SHA256:{typed}"
    key = session.exec(
        select(UserKey).where(col(UserKey.user_id) == user.id, UserKey.fingerprint == wanted)
    ).first()
    if key is None:
        raise NotFound(f"{user.username} has no key {typed}.")
    session.delete(key)
    user.version += 1
    session.flush()
    trail.record(
        session,
        actor=actor,
        action="remove_key",
        entity="user",
        entity_id=user.id or 0,
        changes={"user": [None, user.username], "key": [key.fingerprint, None]},
    )
    return UserPublic.model_validate(user)
