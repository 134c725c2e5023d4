"""Each final Star reading's count of areas scored higher than in the person's first final
reading under the same framework, kept on the reading (`star_reading.better_areas`).

The performance report counts progress from each person's latest reading by its as-of
date against their first; with the count stored, it reads one number per person instead
of comparing two readings' scores. The stored count does not depend on the as-of date:
the first final reading under a framework is the earliest one, and any reading a report
picks as the latest is on or after it, so it is the same first whatever the date.

The counts are restated wherever a household's summary is (`refresh_summaries`), so
every change to a reading (new, corrected, made final, imported) restates them.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, case, func, update
from sqlalchemy import select as sa_select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from hiw_tui.db.models import StarReading, StarScore
from hiw_tui.domain.codes import ReadingStatus

FINAL = ReadingStatus.FINAL.value


def _better_areas() -> object:
    """For the reading being updated: how many areas it scores higher than the person's
    first final reading under its framework (0 for that first one itself)."""
    first = aliased(StarReading)
    first_id = (
        sa_select(col(first.id))
        .where(
            col(first.person_id) == col(StarReading.person_id),
            col(first.status) == FINAL,
            col(first.framework_id) == col(StarReading.framework_id),
        )
        .order_by(col(first.taken_on), col(first.id))
        .limit(1)
        .correlate(StarReading)
        .scalar_subquery()
    )
    mine, theirs = aliased(StarScore), aliased(StarScore)
    better = (
        sa_select(func.count())
        .select_from(mine)
        .join(theirs, col(theirs.area) == col(mine.area))
        .where(
            col(mine.reading_id) == col(StarReading.id),
            col(theirs.reading_id) == first_id,
            col(mine.score) > col(theirs.score),  # a blank score on either side: not counted
        )
        .correlate(StarReading)
        .scalar_subquery()
    )
    return case((col(StarReading.status) == FINAL, better), else_=None)


def refresh_better_areas(
    session: Session | Connection, household_ids: Sequence[int] | None
) -> None:
    """Restate `better_areas` on every reading of these households (None: of all)."""
    statement = (
        update(StarReading)
        .values(better_areas=_better_areas())
        .execution_options(synchronize_session=False)
    )
    if household_ids is None:
        session.execute(statement)
    elif household_ids:
        session.execute(statement.where(col(StarReading.household_id).in_(household_ids)))
