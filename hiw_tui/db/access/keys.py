"""SSH public keys kept per app user: the embedded server signs a user in by one.

A supervisor or manager lists and removes them (`hiw_tui.db.access.leavers`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlmodel import Session, col, select

from hiw_tui.db.access.auth import aware
from hiw_tui.db.audit import trail
from hiw_tui.db.core.errors import FieldError, NotFound
from hiw_tui.db.core.models import User, UserKey, UserPublic
from hiw_tui.domain.text import clean_line

if TYPE_CHECKING:
    import asyncssh


def parse_key(text: str) -> asyncssh.SSHKey:
    """The first key in an OpenSSH public key file's text; FieldError if there is none.
    (The SSH library is imported here, when a key is read: the screens that import this
    module through the users' and caseloads' are opened without it.)"""
    import asyncssh

    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    try:
        return asyncssh.import_public_key(lines[0])
    except (IndexError, asyncssh.KeyImportError, ValueError) as error:
        raise FieldError("keyfile", "Not an OpenSSH public key (e.g. id_ed25519.pub).") from error


def add_key(session: Session, *, username: str, text: str) -> UserKey:
    user = session.exec(select(User).where(User.username == clean_line(username).lower())).first()
    if user is None:
        raise NotFound(f"No user called {username!r}.")
    key = parse_key(text)
    fingerprint = key.get_fingerprint("sha256")
    if session.exec(select(UserKey.id).where(UserKey.fingerprint == fingerprint)).first():
        raise FieldError("keyfile", f"Key {fingerprint} already signs a user in.")
    row = UserKey(
        user_id=user.id or 0,
        public_key=" ".join(key.export_public_key("openssh").decode().split()[:2]),
        fingerprint=fingerprint,
        comment=clean_line(key.get_comment() or "")[:200],
    )
    session.add(row)
    session.flush()
    trail.record(
        session,
        actor=UserPublic.model_validate(user),
        action="add_key",
        entity="user",
        entity_id=user.id or 0,
        changes={"key": [None, fingerprint]},
    )
    return row


def user_for_key(session: Session, *, username: str, key: asyncssh.SSHKey) -> UserPublic | None:
    """The active user called `username` if `key` is one of theirs."""
    user = session.exec(
        select(User)
        .join(UserKey, col(UserKey.user_id) == col(User.id))
        .where(
            User.username == clean_line(username).lower(),
            UserKey.fingerprint == key.get_fingerprint("sha256"),
            col(User.active),
        )
    ).first()
    return UserPublic.model_validate(user) if user else None


def all_keys(session: Session, *, username: str | None = None) -> list[tuple[str, str]]:
    """(username, key) for every active user's keys, or `username`'s."""
    statement = (
        select(User.username, UserKey.public_key)
        .join(UserKey, col(UserKey.user_id) == col(User.id))
        .where(col(User.active))
        .order_by(col(User.username), col(UserKey.id))
    )
    if username is not None:
        name = clean_line(username).lower()
        if session.exec(select(User.id).where(User.username == name)).first() is None:
            raise NotFound(f"No user called {username!r}.")
        statement = statement.where(User.username == name)
    return [(name, key) for name, key in session.exec(statement)]


@dataclass(frozen=True)
class KeyInfo:
    """One of a user's SSH keys: what tells it apart, never the key itself."""

    fingerprint: str
    comment: str
    added_at: datetime


def user_keys(session: Session, user_ids: list[int]) -> dict[int, list[KeyInfo]]:
    """Each of the users' keys, by user id, oldest first."""
    keys: dict[int, list[KeyInfo]] = {}
    if user_ids:
        for key in session.exec(
            select(UserKey).where(col(UserKey.user_id).in_(user_ids)).order_by(col(UserKey.id))
        ):
            info = KeyInfo(key.fingerprint, key.comment, aware(key.added_at) or key.added_at)
            keys.setdefault(key.user_id, []).append(info)
    return keys
