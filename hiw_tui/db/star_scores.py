"""Reading Star readings back: whole readings, a person's summary, a household's due date.

These functions only read the reading tables; saving lives in `hiw_tui.db.readings`.
Callers check scope first: here a person id is taken as already allowed.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, and_, col, select

from hiw_tui.db.models import Person, ReadingPublic, StarReading, StarScore, StarSummary, User
from hiw_tui.domain.codes import ReadingStatus
from hiw_tui.domain.star import area_changes, first_and_latest


def load_readings(
    session: Session, person_ids: Iterable[int], *, final_only: bool = False
) -> dict[int, list[ReadingPublic]]:
    """Each person's readings, oldest first (same-day readings in the order they were saved)."""
    ids = list(person_ids)
    if not ids:
        return {}
    statement = (
        select(StarReading, User.display_name)
        .join(User, col(StarReading.entered_by) == col(User.id))
        .where(col(StarReading.person_id).in_(ids))
        .order_by(col(StarReading.taken_on), col(StarReading.id))
    )
    if final_only:
        statement = statement.where(StarReading.status == ReadingStatus.FINAL.value)
    rows = session.exec(statement).all()
    areas: dict[int, list[StarScore]] = {}
    if rows:
        for score in session.exec(
            select(StarScore).where(col(StarScore.reading_id).in_([r.id for r, _ in rows]))
        ):
            areas.setdefault(score.reading_id, []).append(score)
    readings: dict[int, list[ReadingPublic]] = {}
    for reading, entered_by_name in rows:
        scores = areas.get(reading.id or 0, [])
        readings.setdefault(reading.person_id, []).append(
            ReadingPublic.model_validate(
                {
                    **reading.model_dump(),
                    "entered_by_name": entered_by_name,
                    "scores": {s.area: s.score for s in scores},
                    "area_notes": {s.area: s.note for s in scores if s.note},
                }
            )
        )
    return readings


def summarise(readings: list[ReadingPublic]) -> StarSummary | None:
    """The latest final reading and its change since the first under the same framework."""
    final = [r for r in readings if r.status == ReadingStatus.FINAL.value]
    span = first_and_latest(final)
    if span is None:
        return None
    first, latest = span
    return StarSummary(
        readings=len(final),
        first_on=first.taken_on,
        latest_on=latest.taken_on,
        framework_id=latest.framework_id,
        latest=dict(latest.scores),
        changes=area_changes(first, latest),
        set_aside=sum(1 for r in final if r.framework_id != latest.framework_id),
    )


def scored_through(session: Session, household_id: int) -> date | None:
    """The earliest of the current members' latest final readings; None if one has none."""
    latest = session.exec(
        select(func.max(StarReading.taken_on))
        .select_from(Person)
        .outerjoin(
            StarReading,
            and_(
                col(StarReading.person_id) == col(Person.id),
                col(StarReading.status) == ReadingStatus.FINAL.value,
            ),
        )
        .where(col(Person.household_id) == household_id, col(Person.left_on).is_(None))
        .group_by(col(Person.id))
    ).all()
    if not latest or any(day is None for day in latest):
        return None
    return min(day for day in latest if day is not None)
