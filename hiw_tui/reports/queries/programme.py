"""The performance report and distance travelled, counted in the database by the rules of
`hiw_tui.domain.counting`.

Every figure starts from the households started in the period and in the actor's scope
(`started_households`); readings are reduced to each person's first and latest final
reading in SQL, so nothing the size of the readings table reaches Python. Progress
measures read the count of better areas each reading carries
(`hiw_tui.db.readings.progress`); distance travelled sums the changes each household
keeps (`star_change`), comparing the two readings' scores only for a household with a
reading after the as-of date.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from functools import partial
from typing import Any

from sqlalchemy import and_, case, func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from hiw_tui.db.audit import trail
from hiw_tui.db.casework.models import Outcome, Step
from hiw_tui.db.core.errors import NotFound
from hiw_tui.db.core.models import Household, Person, StarChange, User, UserPublic
from hiw_tui.db.core.scope import household_scope
from hiw_tui.db.core.side_by_side import side_by_side
from hiw_tui.db.privacy.visibility import sight
from hiw_tui.db.readings.progress import (
    CHANGE_FIGURES,
    change_figures,
    end_reading,
    reading_pairs,
)
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


def distance_travelled(
    session: Session, *, actor: UserPublic, period: Period, audited: bool = False
) -> list[AreaChange]:
    """Average first and latest score, and who improved, held or fell back, per area;
    the health areas only for a reader who may see special-category data."""
    hidden = hidden_areas(sight(actor, safe_contact=None, advocate_id=None))
    started = started_households(session, actor, period)
    # Households with a reading after the as-of date are compared from their readings;
    # the rest sum what is kept for their readings of all (hiw_tui.db.readings.progress).
    # A household with no reading (NULL) is in neither: it has nothing to compare.
    latest_on = col(Household.star_latest_on)
    kept = session.execute(
        sa_select(
            col(StarChange.area),
            *(func.sum(getattr(StarChange, name)) for name in CHANGE_FIGURES),
        )
        # Not looked up by household (`+ 0`): read in the order of the index of the area
        # and the figures, which SQLite then sums without a table row or a sort.
        .where((col(StarChange.household_id) + 0).in_(started.where(latest_on <= period.as_of)))
        .group_by(col(StarChange.area))
    )
    pairs = reading_pairs(started.where(latest_on > period.as_of), period.as_of)
    compared = session.execute(
        sa_select(pairs.c.area, *change_figures(pairs)).group_by(pairs.c.area)
    )
    totals: dict[str, list[int]] = {}
    for area, *figures in [*kept, *compared]:
        summed = totals.setdefault(area, [0] * len(figures))
        summed[:] = [a + int(b) for a, b in zip(summed, figures, strict=True)]
    changes = [AreaChange(area, *figures) for area, figures in totals.items() if area not in hidden]
    report_audit(session, actor, "distance_travelled", period, audited)
    return changes


BATCH = 10_000
"""Rows fetched at a time from the performance report's long results."""


def performance(
    session: Session, *, actor: UserPublic, period: Period, audited: bool = False
) -> Performance:
    """The targets-against-actuals measures and the counts of improvements secured."""
    report = Performance.total(performance_by_area(session, actor=actor, period=period).values())
    report_audit(session, actor, "performance_report", period, audited)
    return report


def performance_by_area(
    session: Session, *, actor: UserPublic, period: Period
) -> dict[str, Performance]:
    """`performance` for each local authority with a household started in the period
    (the board pack's columns, counted in one pass rather than one per area). Its four
    counts are independent reads, made side by side (`hiw_tui.db.core.side_by_side`)."""
    # Each statement reads `household` itself: the started households' conditions, not
    # `id IN (...)` of a second pass over the table.
    started = started_households(session, actor, period).whereclause
    tallies, (progress, significant, others), steps, households = side_by_side(
        session,
        (
            partial(_outcomes, started=started, period=period),
            partial(_progress, started=started, period=period),
            partial(_steps, started=started, period=period),
            partial(_households, started=started),
        ),
    )
    improved = {
        code: significant[code] + len(set(tally.achieved) & others[code])
        for code, tally in tallies.items()
    }
    return {
        code: Performance(
            households_started=count,
            households_completed_activity=steps.get(code, (0, 0))[1],
            households_significant_improvement=improved.get(code, significant[code]),
            households_into_work=len(tallies[code].into_work),
            progress_measures=progress[code],
            steps=steps.get(code, (0, 0))[0],
            job_outcomes=tallies[code].job_outcomes,
            work_related_activities=tallies[code].work_related_activities,
            courses=tallies[code].courses,
        )
        for code, count in households.items()
    }


# The four counts below read Core rows, not the ORM's: plain tuples, for the hundreds of
# thousands read here, the long results fetched a batch at a time (on PostgreSQL, a
# server-side cursor). `started` is the started households' condition on `household`.
AREA = col(Household.local_authority)


def _households(session: Session, *, started: Any) -> dict[str, int]:
    """Households started, per area."""
    counted = session.connection().execute(
        sa_select(AREA, func.count()).where(started).group_by(AREA)
    )
    return {code: int(count) for code, count in counted}


def _steps(session: Session, *, started: Any, period: Period) -> dict[str, tuple[int, int]]:
    """Plan steps done in the period, and the households that did one, per area."""
    # Grouped per household first, then by area: a join per household, not per row.
    done = (
        sa_select(col(Step.household_id).label("household_id"), func.count().label("steps"))
        .where(
            col(Step.status) == StepStatus.DONE,
            col(Step.done_on).is_not(None),
            _within(col(Step.done_on), period),
        )
        .group_by(col(Step.household_id))
        .subquery("done")
    )
    counted = session.connection().execute(
        sa_select(AREA, func.sum(done.c.steps), func.count())
        .join(done, done.c.household_id == col(Household.id))
        .where(started)
        .group_by(AREA)
    )
    return {code: (int(count), int(active)) for code, count, active in counted}


def _outcomes(session: Session, *, started: Any, period: Period) -> defaultdict[str, OutcomeTally]:
    """The outcomes counted by the rules, per area."""
    tallies: defaultdict[str, OutcomeTally] = defaultdict(OutcomeTally)
    for code, household_id, kind, start, end, hours in session.connection().execute(
        sa_select(
            AREA,
            col(Outcome.household_id),
            col(Outcome.kind),
            col(Outcome.start_on),
            col(Outcome.end_on),
            col(Outcome.hours),
        )
        .join(Household, col(Household.id) == col(Outcome.household_id))
        .where(started, _within(col(Outcome.start_on), period))
        .execution_options(yield_per=BATCH)
    ):
        tallies[code].add(household_id, kind, start, end, hours, period=period)
    return tallies


def _progress(
    session: Session, *, started: Any, period: Period
) -> tuple[Counter[str], Counter[str], defaultdict[str, set[int]]]:
    """Per area: the progress measures, the households significantly improved by their
    readings, and the ids of the rest (an outcome may still count them as improved)."""
    # Each person's latest final reading by the as-of date carries its count of areas
    # better than their first (hiw_tui.db.readings.progress): kept on the person when that
    # reading is their latest of all, else one index step; taken once (materialised),
    # then summed and maximised per household, every started household (one with no
    # members too) in exactly one of two kinds: significantly improved (counted per
    # area), or not (named). Naming the improved ones instead read 93% of the
    # households one by one.
    latest_on = col(Person.star_latest_on)
    areas = case(
        (latest_on.is_(None), None),
        (latest_on <= period.as_of, col(Person.star_better_areas)),
        else_=end_reading(col(Person.id), "better_areas", latest=True, as_of=period.as_of),
    )
    per_person = (
        sa_select(
            col(Household.id).label("household_id"),
            AREA.label("area"),
            case((areas > 0, areas), else_=0).label("areas"),
        )
        .outerjoin(Person, col(Person.household_id) == col(Household.id))
        .where(started)
        .cte("progress")
        .prefix_with("MATERIALIZED")
    )
    per_household = (
        sa_select(
            per_person.c.household_id,
            per_person.c.area,
            func.sum(per_person.c.areas).label("areas"),
            func.max(per_person.c.areas).label("most"),
        )
        .group_by(per_person.c.household_id, per_person.c.area)
        .subquery("per_household")
    )
    not_significant = case(
        (per_household.c.most >= SIGNIFICANT_AREAS, None), else_=per_household.c.household_id
    )
    progress: Counter[str] = Counter()
    significant: Counter[str] = Counter()
    others: defaultdict[str, set[int]] = defaultdict(set)
    for code, household_id, households_counted, better in session.connection().execute(
        sa_select(
            per_household.c.area, not_significant, func.count(), func.sum(per_household.c.areas)
        ).group_by(per_household.c.area, not_significant)
    ):
        progress[code] += int(better or 0)
        if household_id is None:
            significant[code] += int(households_counted)
        else:
            others[code].add(household_id)
    return progress, significant, others


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
