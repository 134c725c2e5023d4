"""The users a supervisor or programme manager looks after: a supervisor their own local
authority's, a programme manager everyone's. Advocates and auditors look after nobody.

Deactivating and reactivating a user, removing their keys and moving their caseload all
find the user through `user_in_scope`, from the users screen and `hiw-tui user` alike,
so one rule decides who may do it to whom.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import false, func, true
from sqlmodel import Session, col, select

from hiw_tui.db.access.accounts import AccountStatus, account_status
from hiw_tui.db.access.auth import aware
from hiw_tui.db.access.keys import KeyInfo, user_keys
from hiw_tui.db.core.errors import NotFound
from hiw_tui.db.core.models import Household, User, UserPublic
from hiw_tui.db.core.scope import household_scope, require
from hiw_tui.domain.access import Permission
from hiw_tui.domain.codes import CLOSED_STATUSES, LocalAuthority, UserRole
from hiw_tui.domain.text import clean_line


def staff_scope(actor: UserPublic) -> Any:
    """A SQL condition on `User`: the users `actor` looks after."""
    if not actor.can(Permission.OVERSEE):
        return false()
    if actor.can(Permission.ALL_AREAS):
        return true()
    return col(User.local_authority) == actor.local_authority


def user_in_scope(
    session: Session, actor: UserPublic, username: str, *, what: str, lock: bool = False
) -> User:
    """The user called `username` if `actor` looks after them (`what` they are about to
    do names the permission refused); `lock` locks their row for the change to come."""
    require(actor, Permission.OVERSEE, what)
    statement = select(User).where(
        User.username == clean_line(username).lower(), staff_scope(actor)
    )
    if lock:
        statement = statement.with_for_update()
    user = session.exec(statement).first()
    if user is None:
        where = "" if actor.can(Permission.ALL_AREAS) else " in your area"
        raise NotFound(f"No user called {username!r}{where}.")
    return user


def still_held() -> Any:
    """A SQL condition on `Household`: still on its advocate's caseload (not exited or
    withdrawn). A leaver's households like this wait to be moved; closed ones stay
    with the advocate who worked them."""
    return col(Household.status).not_in([status.value for status in CLOSED_STATUSES])


@dataclass(frozen=True)
class StaffMember:
    """A line of the users screen."""

    username: str
    display_name: str
    role: UserRole
    local_authority: LocalAuthority | None
    status: AccountStatus
    deactivated_at: datetime | None
    has_password: bool
    keys: list[KeyInfo]
    households: int
    """Households still on their caseload, of those the reader sees."""


@dataclass(frozen=True)
class StaffPage:
    members: list[StaffMember]
    total: int


def staff_page(
    session: Session, *, actor: UserPublic, now: datetime, limit: int, offset: int
) -> StaffPage:
    """The users `actor` looks after, by area, role and name, with their keys and how many
    households are still on their caseload."""
    require(actor, Permission.OVERSEE, "manage users")
    scoped = staff_scope(actor)
    total = int(session.exec(select(func.count()).select_from(User).where(scoped)).one())
    users = session.exec(
        select(User)
        .where(scoped)
        .order_by(col(User.local_authority).nulls_first(), col(User.role), col(User.display_name))
        .limit(limit)
        .offset(offset)
    ).all()
    ids = [user.id or 0 for user in users]
    held = dict(
        session.exec(
            select(Household.advocate_id, func.count())
            .where(col(Household.advocate_id).in_(ids), still_held(), household_scope(actor))
            .group_by(col(Household.advocate_id))
        ).all()
    )
    keys = user_keys(session, ids)
    return StaffPage(
        [
            StaffMember(
                username=user.username,
                display_name=user.display_name,
                role=UserRole(user.role),
                local_authority=LocalAuthority(user.local_authority)
                if user.local_authority
                else None,
                status=account_status(user, now),
                deactivated_at=aware(user.deactivated_at),
                has_password=user.password_hash is not None,
                keys=keys.get(user.id or 0, []),
                households=int(held.get(user.id or 0, 0)),
            )
            for user in users
        ],
        total,
    )
