"""The audit trail: written in the same transaction as the read or change it records."""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlmodel import Session, col, select

from hiw_tui.db.audit import chain
from hiw_tui.db.core.models import AuditEvent, AuditPublic, Household, UserPublic, utcnow
from hiw_tui.db.core.scope import household_scope
from hiw_tui.db.privacy.visibility import shown_event
from hiw_tui.domain.sensitive import redact_changes


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
    actor: UserPublic | None,
    action: str,
    entity: str,
    entity_id: int,
    household_id: int | None = None,
    changes: dict[str, Any] | None = None,
) -> None:
    """Add an audit row to the transaction: it is chained and written as the transaction
    commits, and lost with it if it rolls back. Sensitive values in `changes` are
    replaced (see `hiw_tui.domain.sensitive`). `actor` is None only for a failed sign-in
    under a name that is no user."""
    chain.queue(
        session,
        {
            "at": utcnow(),
            "actor_id": actor.id if actor else None,
            "action": action,
            "entity": entity,
            "entity_id": entity_id,
            "household_id": household_id,
            "changes": chain.normalised(redact_changes(changes or {})),
        },
    )


def record_search(session: Session, *, actor: UserPublic, term: str, place: str) -> None:
    """Audit a search for households by name, reference or postcode (`place`: where)."""
    record(
        session,
        actor=actor,
        action="search",
        entity=place,
        entity_id=0,
        changes={"term": [None, term[:80]]},
    )


def events_for_household(
    session: Session, *, actor: UserPublic, household_id: int, limit: int = 100
) -> list[AuditPublic]:
    """The newest audit rows about one household the actor may see, newest first, each
    as the actor may read it (see `hiw_tui.db.privacy.visibility`)."""
    household = session.exec(
        select(Household).where(Household.id == household_id, household_scope(actor))
    ).first()
    if household is None:
        return []
    statement = (
        select(AuditEvent)
        .where(AuditEvent.household_id == household_id)
        .order_by(col(AuditEvent.id).desc())
        .limit(limit)
    )
    return [
        AuditPublic.model_validate(event).model_copy(
            update={
                "changes": shown_event(
                    actor,
                    entity=event.entity,
                    changes=event.changes,
                    safe_contact=household.safe_contact,
                    advocate_id=household.advocate_id,
                )
            }
        )
        for event in session.exec(statement)
    ]
