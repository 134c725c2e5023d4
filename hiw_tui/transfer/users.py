"""users.csv: the staff the other files name (an advocate, who entered a reading, who
decided a spend), so that an export imported into an empty database names them too.

A programme manager's export writes every user; anyone else's, every user a row in
their scope names (its advocate, who entered or decided what); by username, never a
password or a key. Import only ever adds users: one the database holds is left exactly as it is
(roles, areas and passwords change with `hiw-tui user`, never with a file), and a user
added is given no password and no key, so nobody signs in as them until a manager sets
one. A supervisor's import adds only advocates of their own area; a programme manager's,
any role. Every username a file names must be held already, be in users.csv, or (an
advocate of households.csv) be made an advocate as before.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, union
from sqlalchemy import select as sa_select
from sqlmodel import Session, SQLModel, col, select

from hiw_tui.db.core.models import Household, User, UserPublic
from hiw_tui.db.core.scope import household_scope
from hiw_tui.db.ledger.models import LedgerDecision, LedgerEntry
from hiw_tui.domain.codes import LocalAuthority, UserRole
from hiw_tui.transfer.chunks import chunks
from hiw_tui.transfer.problems import RowError
from hiw_tui.transfer.values import flag_cell, read_flag

USERNAME_MARKS = "._-"


@dataclass(frozen=True, slots=True)
class UserRecord:
    row: int
    username: str
    display_name: str
    role: str
    local_authority: str | None
    active: bool


def read_user(row: int, raw: dict[str, str]) -> UserRecord:
    problems: list[tuple[str, str]] = []
    username = raw["username"].lower()
    problem = username_problem(username)
    if problem is not None:
        problems.append(("username", problem))
    role = raw.get("role") or UserRole.ADVOCATE.value
    if role not in {code.value for code in UserRole}:
        expected = ", ".join(repr(code.value) for code in UserRole)
        problems.append(("role", f"{role!r} is not a code here; expected {expected}"))
    area = raw.get("local_authority") or None
    if area is not None and area not in {code.value for code in LocalAuthority}:
        expected = ", ".join(repr(code.value) for code in LocalAuthority)
        problems.append(("local_authority", f"{area!r} is not a code here; expected {expected}"))
    try:
        active = read_flag(raw.get("active", ""), default=True)
    except ValueError as error:
        problems.append(("active", str(error)))
        active = True
    if problems:
        raise RowError(problems)
    display = raw.get("display_name") or username
    return UserRecord(row, username, display[:120], role, area, active)


def username_problem(username: str) -> str | None:
    if not username:
        return "required"
    if not all(char.isalnum() or char in USERNAME_MARKS for char in username):
        return f"{username!r} is not a username (letters, digits, '.', '_' or '-')"
    return None


def held_users(session: Session, usernames: set[str]) -> dict[str, User]:
    names = sorted(usernames)
    return {
        user.username: user
        for part in chunks(names)
        for user in session.exec(select(User).where(col(User.username).in_(part)))
    }


def new_user_problem(actor: UserPublic, record: UserRecord) -> str | None:
    """Why `actor` may not add this user by import, or None."""
    if actor.role is UserRole.PROGRAMME_MANAGER:
        return None
    if record.role != UserRole.ADVOCATE or record.local_authority != actor.local_authority:
        return "a supervisor's import adds only advocates of their own area"
    return None


def add_users(session: Session, records: list[UserRecord]) -> dict[str, int]:
    """The users of `records`, added (no password, no key): username -> id."""
    added = {}
    for record in records:
        user = User(
            username=record.username,
            display_name=record.display_name,
            role=record.role,
            local_authority=record.local_authority,
            active=record.active,
        )
        session.add(user)
        session.flush()
        added[record.username] = user.id or 0
    return added


def _named_ids(actor: UserPublic) -> Any:
    """SQL: the ids of every user a row in `actor`'s scope names (every column that points
    at a user, of every table with a household)."""
    selects = []
    for table in SQLModel.metadata.sorted_tables:
        if "household_id" not in table.c or table.name == "audit_event":
            continue
        for column in table.c:
            if any(key.column.table.name == User.__tablename__ for key in column.foreign_keys):
                selects.append(_in_scope(table, column, actor))
    advocates: Any = sa_select(col(Household.advocate_id).label("user_id")).where(
        household_scope(actor)
    )
    decided: Any = (
        sa_select(col(LedgerDecision.decided_by).label("user_id"))
        .join(LedgerEntry, col(LedgerEntry.id) == col(LedgerDecision.entry_id))
        .join(Household, col(Household.id) == col(LedgerEntry.household_id))
        .where(household_scope(actor))
    )
    return union(*selects, advocates, decided).subquery("named")


def _in_scope(table: Table, column: Any, actor: UserPublic) -> Any:
    statement = sa_select(column.label("user_id"))
    if table.name != Household.__tablename__:
        statement = statement.join(Household, col(Household.id) == table.c.household_id)
    return statement.where(household_scope(actor), column.is_not(None))


def user_rows(session: Session, actor: UserPublic) -> Iterator[list[Any]]:
    """A programme manager's export: every user; anyone else's: those its rows name."""
    statement = sa_select(User).order_by(col(User.username))
    if actor.role is not UserRole.PROGRAMME_MANAGER:
        named = _named_ids(actor)
        statement = statement.where(col(User.id).in_(sa_select(named.c.user_id)))
    for user in session.scalars(statement):
        yield [
            user.username,
            user.display_name,
            user.role,
            user.local_authority or "",
            flag_cell(user.active),
        ]
