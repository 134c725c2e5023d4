"""The performance report and distance travelled, counted in the database by the rules of
`hiw_tui.domain.counting`.

Every figure starts from the households started in the period and in the actor's scope
(`started_households`); readings are reduced to each person's first and latest final
reading in SQL, so nothing the size of the readings table reaches Python.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, case, distinct, func
from sqlalchemy import select as sa_select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from hiw_tui.db import audit
from hiw_tui.db.case_models import Outcome, Step
from hiw_tui.db.errors import NotFound
from hiw_tui.db.models import Household, StarReading, StarScore, User, UserPublic
from hiw_tui.db.scope import household_scope
from hiw_tui.domain.codes import ReadingStatus, StepStatus
from hiw_tui.domain.counting import STARTED_STATUSES, OutcomeTally, Period
from hiw_tui.domain.report_models import AreaChange, Performance
from hiw_tui.domain.star import SIGNIFICANT_AREAS


def started_households(session: Session, actor: UserPublic, period: Period) -> Any:
    """A subquery of the ids of households started in `period`, in the actor's scope."""
    statement = select(Household.id).where(
        household_scope(actor),
        col(Household.status).in_([status.value for status in STARTED_STATUSES]),
        col(Household.start_date) <= period.as_of,
    )
    if period.date_from is not None:
        statement = statement.where(col(Household.start_date) >= period.date_from)
    if period.local_authority is not None:
        statement = statement.where(col(Household.local_authority) == period.local_authority)
    if period.advocate is not None:
        advocate_id = session.exec(select(User.id).where(User.username == period.advocate)).first()
        if advocate_id is None:
            raise NotFound(f"No user called {period.advocate}.")
        statement = statement.where(col(Household.advocate_id) == advocate_id)
    return statement


def _within(column: Any, period: Period) -> Any:
    condition = column <= period.as_of
    if period.date_from is not None:
        condition = and_(condition, column >= period.date_from)
    return condition


def _reading_pairs(started: Any, period: Period) -> Any:
    """(person, household, area, first score, latest score) for everyone with two or
    more final readings by the as-of date, on each area scored in both.

    As on the person's record (`hiw_tui.domain.star.first_and_latest`), the first is
    the earliest reading made under the latest one's framework."""
    order = (col(StarReading.taken_on), col(StarReading.id))
    ranked = (
        sa_select(
            col(StarReading.id).label("reading_id"),
            col(StarReading.person_id).label("person_id"),
            col(StarReading.household_id).label("household_id"),
            col(StarReading.framework_id).label("framework_id"),
            func.row_number()
            .over(
                partition_by=(col(StarReading.person_id), col(StarReading.framework_id)),
                order_by=order,
            )
            .label("from_first"),
            func.row_number()
            .over(partition_by=col(StarReading.person_id), order_by=[o.desc() for o in order])
            .label("from_latest"),
        )
        .where(
            col(StarReading.status) == ReadingStatus.FINAL,
            col(StarReading.taken_on) <= period.as_of,
            col(StarReading.household_id).in_(started),
        )
        .cte("ranked")
    )
    first, latest = ranked.alias("first_reading"), ranked.alias("latest_reading")
    first_score, latest_score = aliased(StarScore), aliased(StarScore)
    return (
        sa_select(
            first.c.person_id,
            first.c.household_id,
            col(first_score.area).label("area"),
            col(first_score.score).label("first"),
            col(latest_score.score).label("latest"),
        )
        .select_from(first)
        .join(
            latest,
            and_(
                latest.c.person_id == first.c.person_id,
                latest.c.framework_id == first.c.framework_id,
                latest.c.reading_id != first.c.reading_id,
            ),
        )
        .join(first_score, col(first_score.reading_id) == first.c.reading_id)
        .join(
            latest_score,
            and_(
                col(latest_score.reading_id) == latest.c.reading_id,
                col(latest_score.area) == col(first_score.area),
            ),
        )
        .where(
            first.c.from_first == 1,
            latest.c.from_latest == 1,
            col(first_score.score).is_not(None),
            col(latest_score.score).is_not(None),
        )
        .subquery("pairs")
    )


def distance_travelled(
    session: Session, *, actor: UserPublic, period: Period, audited: bool = False
) -> list[AreaChange]:
    """Average first and latest score, and who improved, held or fell back, per area."""
    pairs = _reading_pairs(started_households(session, actor, period), period)
    rows = session.execute(
        sa_select(
            pairs.c.area,
            func.count(),
            func.sum(pairs.c.first),
            func.sum(pairs.c.latest),
            func.sum(case((pairs.c.latest > pairs.c.first, 1), else_=0)),
            func.sum(case((pairs.c.latest == pairs.c.first, 1), else_=0)),
            func.sum(case((pairs.c.latest < pairs.c.first, 1), else_=0)),
        ).group_by(pairs.c.area)
    )
    changes = [AreaChange(area, *(int(value) for value in figures)) for area, *figures in rows]
    report_audit(session, actor, "distance_travelled", period, audited)
    return changes


def performance(
    session: Session, *, actor: UserPublic, period: Period, audited: bool = False
) -> Performance:
    """The targets-against-actuals measures and the counts of improvements secured."""
    started = started_households(session, actor, period)
    households = session.execute(sa_select(func.count()).select_from(started.subquery()))
    done = (
        col(Step.status) == StepStatus.DONE,
        col(Step.done_on).is_not(None),
        _within(col(Step.done_on), period),
        col(Step.household_id).in_(started),
    )
    steps, active = session.execute(
        sa_select(func.count(), func.count(distinct(col(Step.household_id)))).where(*done)
    ).one()
    tally = OutcomeTally()
    for household_id, kind, start, end, hours in session.execute(
        sa_select(
            col(Outcome.household_id),
            col(Outcome.kind),
            col(Outcome.start_on),
            col(Outcome.end_on),
            col(Outcome.hours),
        ).where(col(Outcome.household_id).in_(started), _within(col(Outcome.start_on), period))
    ):
        tally.add(household_id, kind, start, end, hours, period=period)
    pairs = _reading_pairs(started, period)
    better = func.sum(case((pairs.c.latest > pairs.c.first, 1), else_=0))
    per_person = (
        sa_select(pairs.c.household_id, better.label("areas"))
        .group_by(pairs.c.person_id, pairs.c.household_id)
        .subquery()
    )
    progress = 0
    improved = set(tally.achieved)
    for household_id, areas in session.execute(
        sa_select(per_person.c.household_id, per_person.c.areas).where(per_person.c.areas > 0)
    ):
        progress += int(areas)
        if areas >= SIGNIFICANT_AREAS:
            improved.add(household_id)
    report = Performance(
        households_started=int(households.scalar_one()),
        households_completed_activity=int(active),
        households_significant_improvement=len(improved),
        households_into_work=len(tally.into_work),
        progress_measures=progress,
        steps=int(steps),
        job_outcomes=tally.job_outcomes,
        work_related_activities=tally.work_related_activities,
        courses=tally.courses,
    )
    report_audit(session, actor, "performance_report", period, audited)
    return report


def report_audit(
    session: Session, actor: UserPublic, entity: str, period: Period, audited: bool
) -> None:
    """Record a report that leaves the app (a file, a printout) as an export."""
    if audited:
        audit.record(
            session,
            actor=actor,
            action="export",
            entity=entity,
            entity_id=0,
            changes={"period": [None, period.describe()]},
        )
