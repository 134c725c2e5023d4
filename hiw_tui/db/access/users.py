"""App users: advocates, supervisors (one local authority each) and programme managers."""

from __future__ import annotations

from sqlmodel import Session, col, select

from hiw_tui.db.core.errors import FieldError, NotFound
from hiw_tui.db.core.models import User, UserPublic
from hiw_tui.domain.access import Permission, role_can
from hiw_tui.domain.codes import LocalAuthority, UserRole
from hiw_tui.domain.text import clean_line


def add_user(
    session: Session,
    *,
    username: str,
    display_name: str,
    role: UserRole,
    local_authority: LocalAuthority | None = None,
) -> UserPublic:
    """Create a user. Advocates and supervisors belong to one local authority."""
    username = clean_line(username).lower()
    if not username or not username.replace(".", "").replace("_", "").replace("-", "").isalnum():
        raise FieldError("username", "Letters, digits, '.', '_' or '-' only.")
    everywhere = role_can(role, Permission.ALL_AREAS)
    if not everywhere and local_authority is None:
        raise FieldError("local_authority", f"A {role.label.lower()} needs a local authority.")
    if session.exec(select(User.id).where(User.username == username)).first() is not None:
        raise FieldError("username", f"There is already a user called {username}.")
    user = User(
        username=username,
        display_name=clean_line(display_name) or username,
        role=role.value,
        local_authority=None if everywhere else local_authority,
    )
    session.add(user)
    session.flush()
    return UserPublic.model_validate(user)


def get_user(session: Session, *, username: str) -> UserPublic:
    user = session.exec(select(User).where(User.username == clean_line(username).lower())).first()
    if user is None:
        raise NotFound(f"No user called {username!r}. Add one with: hiw-tui user add")
    return UserPublic.model_validate(user)


def list_advocates(
    session: Session, *, actor: UserPublic, local_authority: str | None = None
) -> list[UserPublic]:
    """Active advocates the actor can see, optionally of one local authority, by name."""
    statement = select(User).where(User.role == UserRole.ADVOCATE.value, col(User.active))
    if actor.role is UserRole.ADVOCATE:
        statement = statement.where(User.id == actor.id)
    elif actor.role is UserRole.SUPERVISOR:
        statement = statement.where(User.local_authority == actor.local_authority)
    if local_authority is not None:
        statement = statement.where(User.local_authority == local_authority)
    users = session.exec(statement.order_by(col(User.display_name)))
    return [UserPublic.model_validate(user) for user in users]


def list_users(session: Session) -> list[UserPublic]:
    """Every user, for administrators at the command line."""
    return [
        UserPublic.model_validate(user)
        for user in session.exec(select(User).order_by(col(User.username)))
    ]
