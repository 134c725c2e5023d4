"""A signed-in session's user, as the database holds them now.

The app signs a user in once, but their account can be deactivated (or locked) while
they work, at a terminal or over SSH. Every database call a screen makes first reads the
user again in the same transaction (`as_signed_in`), and the app asks on a timer too, so
the session ends at the next call or tick: nothing more is read or written as them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from sqlmodel import Session

from hiw_tui.db.core.models import User, UserPublic

if TYPE_CHECKING:
    from hiw_tui.db.core.engine import Query

T = TypeVar("T")


class SessionEnded(Exception):
    """The signed-in user may no longer work: deactivated or locked since signing in.

    Not a `DataError`: no screen explains it in place; the app ends the session with it.
    """


def ended_message(user: User | None) -> str:
    if user is not None and user.deactivated_at is None:
        why = "was locked by an administrator"
    else:
        why = "was deactivated"
    return f"Your account {why}, so this session has ended; work not saved by then was not saved."


def signed_in_user(session: Session, *, actor: UserPublic) -> UserPublic:
    """`actor` as stored now; `SessionEnded` if they may no longer sign in."""
    user = session.get(User, actor.id)
    if user is None or not user.active:
        raise SessionEnded(ended_message(user))
    return UserPublic.model_validate(user)


def as_signed_in(fn: Query[T], actor: UserPublic) -> Callable[[Session], T]:
    """`fn` run as `actor`, checked (and read afresh) in the same transaction first."""

    def acting(session: Session) -> T:
        return fn(session, actor=signed_in_user(session, actor=actor))

    return acting
