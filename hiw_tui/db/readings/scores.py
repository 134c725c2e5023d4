"""Reading Star readings back: whole readings, a person's summary, a household's due date.

These functions only read the reading tables; saving lives in `hiw_tui.db.readings.readings`.
Callers check scope first: here a person id is taken as already allowed.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import ColumnElement
from sqlalchemy import select as sa_select
from sqlmodel import Session, and_, col

from hiw_tui.db.core.models import ReadingPublic, StarReading, StarScore, StarSummary, User
from hiw_tui.domain.codes import ReadingStatus
from hiw_tui.domain.star import area_changes, first_and_latest

_READ = (
    StarReading.id,
    StarReading.person_id,
    StarReading.household_id,
    StarReading.framework_id,
    StarReading.framework_version,
    StarReading.taken_on,
    StarReading.completed_by,
    StarReading.status,
    StarReading.notes,
    StarReading.version,
)
"""The columns of a reading that `ReadingPublic` shows."""


def _published(session: Session, where: ColumnElement[bool]) -> list[ReadingPublic]:
    """The readings matching `where`, oldest first (same-day ones in the order saved).

    Read as plain rows, not ORM objects: a household's timeline reads its people's
    readings of all, eight scores each, and making an ORM object of each score was most
    of the time its reading took."""
    rows = session.execute(
        sa_select(*(col(column) for column in _READ), col(User.display_name))
        .join(User, col(StarReading.entered_by) == col(User.id))
        .where(where)
        .order_by(col(StarReading.taken_on), col(StarReading.id))
    ).all()
    areas: dict[int, list[tuple[str, int | None, str]]] = {}
    if rows:
        scored = session.execute(
            sa_select(
                col(StarScore.reading_id),
                col(StarScore.area),
                col(StarScore.score),
                col(StarScore.note),
            ).where(col(StarScore.reading_id).in_([row.id for row in rows]))
        )
        for reading_id, area, score, note in scored:
            areas.setdefault(reading_id, []).append((area, score, note))
    return [
        ReadingPublic.model_validate(
            {
                **row._mapping,
                "entered_by_name": row.display_name,
                "scores": {area: score for area, score, _ in areas.get(row.id, [])},
                "area_notes": {area: note for area, _, note in areas.get(row.id, []) if note},
            }
        )
        for row in rows
    ]


def load_readings(
    session: Session, person_ids: Iterable[int], *, final_only: bool = False
) -> dict[int, list[ReadingPublic]]:
    """Each person's readings, oldest first."""
    ids = list(person_ids)
    if not ids:
        return {}
    where: ColumnElement[bool] = col(StarReading.person_id).in_(ids)
    if final_only:
        where = and_(where, col(StarReading.status) == ReadingStatus.FINAL.value)
    readings: dict[int, list[ReadingPublic]] = {}
    for reading in _published(session, where):
        readings.setdefault(reading.person_id, []).append(reading)
    return readings


def load_reading(session: Session, reading_id: int) -> ReadingPublic:
    """One reading with its scores (the caller has checked it exists and is in scope)."""
    (reading,) = _published(session, col(StarReading.id) == reading_id)
    return reading


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
