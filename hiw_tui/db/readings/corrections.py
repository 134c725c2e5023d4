"""Corrections of final readings, as a person's reading history shows them.

A correction is written once: its audit row, in the transaction that changes the
reading (`update_reading`), keeps the reason beside each changed field's old and new
value, and the audit trail's chain vouches for it. So the history reads those rows back
rather than keeping a second copy beside the reading, and every correction made before
the history showed them shows too. Each is shown as the reader may see it
(`shown_event`): for a reader without the permission, the health areas' scores and
notes read as hidden, as they do in the audit trail.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from hiw_tui.db.core.models import AuditEvent, Household, User, UserPublic
from hiw_tui.db.privacy.visibility import shown_event

CORRECT = "correct"
"""The audit action of a correction of a final reading."""
REASON = "reason"
"""The field of a correction's audit row that keeps why it was made."""


@dataclass(frozen=True)
class Correction:
    """One correction of a final reading: when, by whom, why, and what it changed."""

    reading_id: int
    at: datetime
    by_name: str
    reason: str
    changes: dict[str, list[Any]] = field(default_factory=dict)
    """field -> [old, new]: `taken_on`, `completed_by`, `notes`, `score.<area>` and
    `note.<area>`, as the reader may see them ("(hidden)" where they may not)."""


def reading_corrections(
    session: Session, *, actor: UserPublic, household: Household, reading_ids: Sequence[int]
) -> dict[int, tuple[Correction, ...]]:
    """reading id -> its corrections, newest first, for the readings of `household`
    (already checked to be in `actor`'s scope). A row emptied by an erasure is left out."""
    if not reading_ids:
        return {}
    rows = session.exec(
        select(AuditEvent, User.display_name)
        .outerjoin(User, col(User.id) == col(AuditEvent.actor_id))
        .where(
            AuditEvent.household_id == household.id,
            AuditEvent.action == CORRECT,
            AuditEvent.entity == "star_reading",
            col(AuditEvent.entity_id).in_(list(reading_ids)),
        )
        .order_by(col(AuditEvent.id).desc())
    )
    found: dict[int, list[Correction]] = {}
    for event, name in rows:
        if not event.changes:
            continue
        shown = shown_event(
            actor,
            entity=event.entity,
            changes=event.changes,
            safe_contact=household.safe_contact,
            advocate_id=household.advocate_id,
        )
        reason = shown.get(REASON)
        found.setdefault(event.entity_id, []).append(
            Correction(
                reading_id=event.entity_id,
                at=event.at,
                by_name=name or "?",
                reason=reason if isinstance(reason, str) else "",
                changes={
                    key: value
                    for key, value in shown.items()
                    if key != REASON and isinstance(value, list) and len(value) == 2
                },
            )
        )
    return {reading_id: tuple(found_) for reading_id, found_ in found.items()}
