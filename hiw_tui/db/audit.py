"""The audit trail: written in the same transaction as the read or change it records."""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlmodel import Session, col, select

from hiw_tui.db.models import AuditEvent, AuditPublic, Household, UserPublic
from hiw_tui.db.scope import household_scope


def plain(value: Any) -> Any:
    """A JSON-safe copy of a field value (dates as ISO text, sets as sorted lists)."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, set | frozenset | tuple | list):
        return sorted(plain(item) for item in value)
    return value


def diff(old: dict[str, Any], new: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for the fields whose value changes."""
    return {
        name: [plain(old.get(name)), plain(value)]
        for name, value in new.items()
        if plain(old.get(name)) != plain(value)
    }


def record(
    session: Session,
    *,
    actor: UserPublic,
    action: str,
    entity: str,
    entity_id: int,
    household_id: int | None = None,
    changes: dict[str, Any] | None = None,
) -> None:
    session.add(
        AuditEvent(
            actor_id=actor.id,
            action=action,
            entity=entity,
            entity_id=entity_id,
            household_id=household_id,
            changes=changes or {},
        )
    )


def events_for_household(
    session: Session, *, actor: UserPublic, household_id: int, limit: int = 100
) -> list[AuditPublic]:
    """The newest audit rows about one household the actor may see, newest first."""
    visible = select(Household.id).where(Household.id == household_id, household_scope(actor))
    statement = (
        select(AuditEvent)
        .where(col(AuditEvent.household_id).in_(visible))
        .order_by(col(AuditEvent.id).desc())
        .limit(limit)
    )
    return [AuditPublic.model_validate(event) for event in session.exec(statement)]
