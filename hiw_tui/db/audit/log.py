"""The audit browser's query: the trail filtered by user, household and dates, in scope.

A programme manager or an auditor reads all of it; a supervisor the rows about their
area's households and the rows of their area's users (sign-ins, searches). Browsing is
itself audited, as a search of the trail, against the household filtered on (so it shows
in that household's own history).

Each row's changes are shown as the reader may see them (`shown_event` in
`hiw_tui.db.privacy.visibility`): a safe-contact household's contact details, in a
creation row or in the old and new values of a correction, only to its advocate, and
special-category values only to a role with the permission. A search term that is a
safe-contact member's postcode or phone number is withheld in the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, or_
from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from hiw_tui.db.audit import trail
from hiw_tui.db.core.models import AuditEvent, Household, User, UserPublic
from hiw_tui.db.core.scope import household_scope, require
from hiw_tui.db.privacy.visibility import shown_event, withheld_terms
from hiw_tui.domain.access import Permission
from hiw_tui.domain.text import clean_line


@dataclass(frozen=True)
class AuditFilter:
    username: str = ""
    household_ref: str = ""
    date_from: date | None = None
    date_to: date | None = None


@dataclass(frozen=True)
class AuditLine:
    seq: int
    at: datetime
    username: str
    action: str
    entity: str
    entity_id: int
    household_ref: str
    changes: dict[str, Any]


@dataclass(frozen=True)
class AuditPage:
    lines: list[AuditLine]
    total: int
    offset: int


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)


def audit_page(
    session: Session, *, actor: UserPublic, where: AuditFilter, limit: int, offset: int
) -> AuditPage:
    """Newest first."""
    require(actor, Permission.AUDIT_LOG, "read the audit trail")
    conditions: list[Any] = []
    if not actor.can(Permission.ALL_AREAS):
        area_households = sa_select(col(Household.id)).where(household_scope(actor))
        area_users = sa_select(col(User.id)).where(
            col(User.local_authority) == actor.local_authority
        )
        conditions.append(
            or_(
                col(AuditEvent.household_id).in_(area_households),
                col(AuditEvent.actor_id).in_(area_users),
            )
        )
    if where.username:
        conditions.append(User.username == clean_line(where.username).lower())
    if where.household_ref:
        conditions.append(Household.reference == clean_line(where.household_ref).upper())
    if where.date_from:
        conditions.append(col(AuditEvent.at) >= _midnight(where.date_from))
    if where.date_to:
        conditions.append(col(AuditEvent.at) < _midnight(where.date_to + timedelta(days=1)))
    joined = (
        sa_select(
            AuditEvent,
            col(User.username),
            col(Household.reference),
            col(Household.safe_contact),
            col(Household.advocate_id),
        )
        .outerjoin(User, col(User.id) == col(AuditEvent.actor_id))
        .outerjoin(Household, col(Household.id) == col(AuditEvent.household_id))
        .where(*conditions)
    )
    total = int(
        session.execute(sa_select(func.count()).select_from(joined.subquery())).scalar_one()
    )
    rows = session.execute(
        joined.order_by(col(AuditEvent.seq).desc()).limit(limit).offset(offset)
    ).all()
    filtered = (
        session.execute(
            sa_select(col(Household.id)).where(
                col(Household.reference) == clean_line(where.household_ref).upper()
            )
        ).scalar_one_or_none()
        if where.household_ref
        else None
    )
    trail.record(
        session,
        actor=actor,
        action="search",
        entity="audit",
        entity_id=0,
        household_id=filtered,
        changes={
            name: [None, str(value)]
            for name, value in vars(where).items()
            if value not in ("", None)
        },
    )
    withheld = withheld_terms(session, actor, [event.changes for event, *_ in rows])
    return AuditPage(
        [
            AuditLine(
                seq=event.seq or 0,
                at=event.at,
                username=username or "(no such user)",
                action=event.action,
                entity=event.entity,
                entity_id=event.entity_id,
                household_ref=reference or "",
                changes=shown_event(
                    actor,
                    entity=event.entity,
                    changes=withheld(event.changes),
                    safe_contact=safe_contact,
                    advocate_id=advocate_id,
                ),
            )
            for event, username, reference, safe_contact, advocate_id in rows
        ],
        total,
        offset,
    )
