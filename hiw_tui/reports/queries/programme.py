"""The performance report and distance travelled, counted in the database by the rules of
`hiw_tui.domain.counting`.

Every figure starts from the households started in the period and in the actor's scope
(`started_households`); readings are reduced to each person's first and latest final
reading in SQL, so nothing the size of the readings table reaches Python. Progress
measures read the count of better areas each reading carries
(`hiw_tui.db.readings.progress`); distance travelled compares the two readings' scores.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, case, distinct, func
from sqlalchemy import select as sa_select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from hiw_tui.db.audit import trail
from hiw_tui.db.casework.models import Outcome, Step
from hiw_tui.db.core.errors import NotFound
from hiw_tui.db.core.models import Household, Person, StarScore, User, UserPublic
from hiw_tui.db.core.scope import household_scope
from hiw_tui.db.privacy.visibility import sight
from hiw_tui.db.readings.progress import end_reading
from hiw_tui.domain.codes import StepStatus
from hiw_tui.domain.counting import STARTED_STATUSES, OutcomeTally, Period
from hiw_tui.domain.report_models import AreaChange, Performance
from hiw_tui.domain.sensitive import hidden_areas
from hiw_tui.domain.star import SIGNIFICANT_AREAS


def started_households(session: Session, actor: UserPublic, period: Period) -> Any:
    """A subquery of the ids of households started in `period`, in the actor's scope."""
    statement = select(Household.id).where(
        household_scope(actor),
        col(Household.status).in_([status.value for status in STARTED_STATUSES]),
        col(Household.start_date) <= period.as_of,  # no start date (NULL): never started
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
    person = col(Person.id)
    framework = end_reading(person, "framework_id", latest=True, as_of=period.as_of)
    ends = (
        sa_select(
            person.label("person_id"),
            col(Person.household_id).label("household_id"),
            end_reading(person, "id", latest=False, as_of=period.as_of, framework=framework).label(
                "first_id"
            ),
            end_reading(person, "id", latest=True, as_of=period.as_of).label("latest_id"),
        )
        .where(col(Person.household_id).in_(started))
        .cte("ends")
        # computed once, not once per score joined to it
        .prefix_with("MATERIALIZED")
    )
    first_score, latest_score = aliased(StarScore), aliased(StarScore)
    return (
        sa_select(
            ends.c.person_id,
            ends.c.household_id,
            col(first_score.area).label("area"),
            col(first_score.score).label("first"),
            col(latest_score.score).label("latest"),
        )
        .select_from(ends)
        .join(first_score, col(first_score.reading_id) == ends.c.first_id)
        .join(
            latest_score,
            and_(
                col(latest_score.reading_id) == ends.c.latest_id,
                col(latest_score.area) == col(first_score.area),
            ),
        )
        .where(
            ends.c.first_id != ends.c.latest_id,
            col(first_score.score).is_not(None),
            col(latest_score.score).is_not(None),
        )
        .subquery("pairs")
    )


def distance_travelled(
    session: Session, *, actor: UserPublic, period: Period, audited: bool = False
) -> list[AreaChange]:
    """Average first and latest score, and who improved, held or fell back, per area;
    the health areas only for a reader who may see special-category data."""
    hidden = hidden_areas(sight(actor, safe_contact=None, advocate_id=None))
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
    changes = [
        AreaChange(area, *(int(value) for value in figures))
        for area, *figures in rows
        if area not in hidden
    ]
    report_audit(session, actor, "distance_travelled", period, audited)
    return changes


BATCH = 10_000
"""Rows fetched at a time from the performance report's long results."""


def performance(
    session: Session, *, actor: UserPublic, period: Period, audited: bool = False
) -> Performance:
    """The targets-against-actuals measures and the counts of improvements secured."""
    started = started_households(session, actor, period)
    # Core rows, not the ORM's: plain tuples, for the hundreds of thousands read here,
    # the long results fetched a batch at a time (on PostgreSQL, a server-side cursor).
    connection = session.connection()
    households = connection.execute(sa_select(func.count()).select_from(started.subquery()))
    done = (
        col(Step.status) == StepStatus.DONE,
        col(Step.done_on).is_not(None),
        _within(col(Step.done_on), period),
        col(Step.household_id).in_(started),
    )
    steps, active = connection.execute(
        sa_select(func.count(), func.count(distinct(col(Step.household_id)))).where(*done)
    ).one()
    tally = OutcomeTally()
    for household_id, kind, start, end, hours in connection.execute(
        sa_select(
            col(Outcome.household_id),
            col(Outcome.kind),
            col(Outcome.start_on),
            col(Outcome.end_on),
            col(Outcome.hours),
        )
        .where(col(Outcome.household_id).in_(started), _within(col(Outcome.start_on), period))
        .execution_options(yield_per=BATCH)
    ):
        tally.add(household_id, kind, start, end, hours, period=period)
    # Each person's latest final reading by the as-of date carries its count of areas
    # better than their first (hiw_tui.db.readings.progress): kept on the person when that
    # reading is their latest of all, else one index step; taken once (materialised),
    # then summed and maximised per household.
    latest_on = col(Person.star_latest_on)
    areas = case(
        (latest_on.is_(None), None),
        (latest_on <= period.as_of, col(Person.star_better_areas)),
        else_=end_reading(col(Person.id), "better_areas", latest=True, as_of=period.as_of),
    )
    per_person = (
        sa_select(col(Person.household_id).label("household_id"), areas.label("areas"))
        .where(col(Person.household_id).in_(started))
        .cte("progress")
        .prefix_with("MATERIALIZED")
    )
    progress = 0
    improved = set(tally.achieved)
    for household_id, areas, most in connection.execute(
        sa_select(
            per_person.c.household_id, func.sum(per_person.c.areas), func.max(per_person.c.areas)
        )
        .where(per_person.c.areas > 0)
        .group_by(per_person.c.household_id)
        .execution_options(yield_per=BATCH)
    ):
        progress += int(areas)
        if most >= SIGNIFICANT_AREAS:
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
        trail.record(
            session,
            actor=actor,
            action="export",
            entity=entity,
            entity_id=0,
            changes={"period": [None, period.describe()]},
        )
