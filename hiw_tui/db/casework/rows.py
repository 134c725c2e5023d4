"""Creating and editing one case-work row: version-checked, audited, in the caller's
transaction. The query modules for plans, partners, referrals, outcomes and contacts
all save through these two functions, so every such change is kept the same way."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlmodel import Session, SQLModel

from hiw_tui.db.audit import trail
from hiw_tui.db.core.errors import Conflict, FieldError, NotFound
from hiw_tui.db.core.models import Person, UserPublic
from hiw_tui.db.households.households import household_in_scope

T = TypeVar("T", bound=SQLModel)


def create_row(
    session: Session,
    actor: UserPublic,
    row: T,
    *,
    entity: str,
    household_id: int | None,
    values: dict[str, Any],
) -> T:
    """Insert `row` and audit `values` as its new fields."""
    session.add(row)
    session.flush()
    trail.record(
        session,
        actor=actor,
        action="create",
        entity=entity,
        entity_id=row.id,  # type: ignore[attr-defined]  # every case-work table has an id
        household_id=household_id,
        changes=trail.diff({}, values),
    )
    return row


def update_row(
    session: Session,
    actor: UserPublic,
    row: SQLModel,
    *,
    entity: str,
    household_id: int | None,
    version: int,
    values: dict[str, Any],
    action: str = "update",
) -> bool:
    """Write `values` onto `row`, opened at `version`; a stale version raises Conflict.

    Returns whether anything changed (an unchanged save writes and audits nothing).
    """
    before = {name: getattr(row, name) for name in values}
    current_version: int = row.version  # type: ignore[attr-defined]  # as every such table
    if current_version != version:
        raise Conflict(entity, before, values, current_version)
    changes = trail.diff(before, values)
    if not changes:
        return False
    for name, value in values.items():
        setattr(row, name, value)
    row.version = current_version + 1
    session.flush()
    trail.record(
        session,
        actor=actor,
        action=action,
        entity=entity,
        entity_id=row.id,  # type: ignore[attr-defined]  # every case-work table has an id
        household_id=household_id,
        changes=changes,
    )
    return True


def locked(session: Session, model: type[T], row_id: int) -> T | None:
    """The row, locked for update until the transaction ends (PostgreSQL; SQLite's write
    transactions are already exclusive)."""
    return session.get(model, row_id, with_for_update=True)


def check_member(session: Session, household_id: int, person_id: int | None, field: str) -> None:
    """Refuse a person who is not (and never was) a member of the household."""
    if person_id is None:
        return
    person = session.get(Person, person_id)
    if person is None or person.household_id != household_id:
        raise FieldError(field, "Choose a member of this household.")


def open_list(
    session: Session, actor: UserPublic, household_id: int, entity: str, *, audited: bool
) -> None:
    """Before reading one of a household's lists (its plans, referrals, ...): refuse a
    household outside the actor's scope, and audit the opening as a view."""
    household_in_scope(session, actor, household_id, lock=False)
    if not audited:
        return
    trail.record(
        session,
        actor=actor,
        action="view",
        entity=entity,
        entity_id=household_id,
        household_id=household_id,
    )


def save_household_row(
    session: Session,
    actor: UserPublic,
    model: type[T],
    *,
    entity: str,
    household_id: int,
    values: dict[str, Any],
    row_id: int | None,
    version: int | None,
) -> T:
    """Create a row of one of a household's lists (`row_id` None), or update one opened at
    `version`. The caller has locked the household and checked the values."""
    if row_id is None:
        row = model(household_id=household_id, entered_by=actor.id, **values)
        return create_row(
            session, actor, row, entity=entity, household_id=household_id, values=values
        )
    stored = locked(session, model, row_id)
    if stored is None or getattr(stored, "household_id", None) != household_id:
        raise NotFound(f"That {entity} is no longer on this household's record.")
    update_row(
        session,
        actor,
        stored,
        entity=entity,
        household_id=household_id,
        version=version or 0,
        values=values,
    )
    return stored
