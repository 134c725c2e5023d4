"""Each final Star reading's count of areas scored higher than in the person's first final
reading under the same framework (`star_reading.better_areas`), and each person's latest
final reading's date and count (`person.star_latest_on`, `person.star_better_areas`).

The performance report counts progress from each person's latest reading by its as-of
date against their first. With the count stored it reads one number per person, from
the person row when the latest reading is on or before the as-of date (a report run
for today), else from the reading the index finds. The stored count does not depend on
the as-of date: the first final reading under a framework is the earliest one, and any
reading a report picks as the latest is on or after it, so it is the same first
whatever the date.

Distance travelled compares, area by area, each person's first and latest final scores
(`reading_pairs`). Kept per household and area in `star_change` for everyone's latest
reading of all, a report as of today sums about eight rows a household; a household
with a reading after the report's as-of date is compared from its readings instead,
where each score of a final reading keeps the person's first score in its area
(`star_score.first_score`): one reading a person, not two to pair area by area.

The counts are restated wherever a household's summary is (`refresh_summaries`), so
every change to a reading (new, corrected, made final, imported) restates them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Connection, case, delete, func, insert, update
from sqlalchemy import select as sa_select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from hiw_tui.db.core.models import Household, Person, StarChange, StarReading, StarScore
from hiw_tui.domain.codes import ReadingStatus

FINAL = ReadingStatus.FINAL.value


def end_reading(
    person: Any,
    what: str,
    *,
    latest: bool,
    as_of: date | None = None,
    framework: Any = None,
    outer: Any = Person,
) -> Any:
    """`what` (a column name) of a person's first or latest final reading (by `as_of`,
    under `framework`, if given), correlated to the `outer` query's table: one step down
    the (person, taken_on) index per person, however many readings there are."""
    reading = aliased(StarReading)
    order = (col(reading.taken_on), col(reading.id))
    conditions = [col(reading.person_id) == person, col(reading.status) == FINAL]
    if as_of is not None:
        conditions.append(col(reading.taken_on) <= as_of)
    if framework is not None:
        conditions.append(col(reading.framework_id) == framework)
    return (
        sa_select(getattr(reading, what))
        .where(*conditions)
        .order_by(*([o.desc() for o in order] if latest else order))
        .limit(1)
        .correlate(outer)  # nested two deep for the framework: say it, do not infer it
        .scalar_subquery()
    )


def _first_id(reading: Any) -> Any:
    """The id of the first final reading of `reading`'s person under its framework."""
    return end_reading(
        col(reading.person_id),
        "id",
        latest=False,
        framework=col(reading.framework_id),
        outer=reading,
    )


def _better_areas() -> Any:
    """For the reading being updated: how many areas it scores higher than the person's
    first final reading under its framework (0 for that first one itself)."""
    first_id = _first_id(StarReading)
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


def _first_score() -> Any:
    """For the score being updated: the same area's score in the person's first final
    reading under its reading's framework, if its reading is final and not that first
    one; None where either score is blank."""
    reading, first = aliased(StarReading), aliased(StarScore)
    first_id = _first_id(reading)
    return (
        sa_select(col(first.score))
        .select_from(reading)
        .join(first, col(first.area) == col(StarScore.area))
        .where(
            col(reading.id) == col(StarScore.reading_id),
            col(reading.status) == FINAL,
            col(first.reading_id) == first_id,
            col(first.reading_id) != col(reading.id),
            col(StarScore.score).is_not(None),
        )
        .correlate(StarScore)
        .scalar_subquery()
    )


def reading_pairs(households: Any, as_of: date | None) -> Any:
    """(person, household, area, first score, latest score) for everyone of `households`
    (ids, or a query of them) with two or more final readings by the as-of date (None:
    all), on each area scored in both: the scores of each person's latest final reading,
    each beside the first score it keeps (`first_score`).

    As on the person's record (`hiw_tui.domain.star.first_and_latest`), the first is
    the earliest reading made under the latest one's framework."""
    person = col(Person.id)
    ends = (
        sa_select(
            person.label("person_id"),
            col(Person.household_id).label("household_id"),
            end_reading(person, "id", latest=True, as_of=as_of).label("latest_id"),
        )
        .where(col(Person.household_id).in_(households))
        .cte("ends")
        # computed once, not once per score joined to it
        .prefix_with("MATERIALIZED")
    )
    return (
        sa_select(
            ends.c.person_id,
            ends.c.household_id,
            col(StarScore.area).label("area"),
            col(StarScore.first_score).label("first"),
            col(StarScore.score).label("latest"),
        )
        .select_from(ends)
        .join(StarScore, col(StarScore.reading_id) == ends.c.latest_id)
        .where(col(StarScore.first_score).is_not(None), col(StarScore.score).is_not(None))
        .subquery("pairs")
    )


CHANGE_FIGURES = ("people", "first_total", "latest_total", "improved", "held", "fell")
"""`star_change`'s figures, in the order `change_figures` gives them."""


def change_figures(pairs: Any) -> list[Any]:
    """People, first and latest totals, and how many improved, held or fell back, of
    `reading_pairs` rows."""
    return [
        func.count(),
        func.sum(pairs.c.first),
        func.sum(pairs.c.latest),
        func.sum(case((pairs.c.latest > pairs.c.first, 1), else_=0)),
        func.sum(case((pairs.c.latest == pairs.c.first, 1), else_=0)),
        func.sum(case((pairs.c.latest < pairs.c.first, 1), else_=0)),
    ]


def refresh_progress(session: Session | Connection, household_ids: Sequence[int]) -> None:
    """Restate everything this module keeps for these households."""
    refresh_better_areas(session, household_ids)
    refresh_first_scores(session, household_ids)
    refresh_changes(session, household_ids)


def refresh_first_scores(
    session: Session | Connection, household_ids: Sequence[int] | None
) -> None:
    """Restate `star_score.first_score` on every reading of these households (None: of
    all), before their changes (`refresh_changes`) are summed from them."""
    statement = update(StarScore).values(first_score=_first_score())
    if household_ids is not None:
        if not household_ids:
            return
        readings = sa_select(col(StarReading.id)).where(
            col(StarReading.household_id).in_(household_ids)
        )
        statement = statement.where(col(StarScore.reading_id).in_(readings))
    session.execute(statement.execution_options(synchronize_session=False))


def refresh_changes(session: Session | Connection, household_ids: Sequence[int] | None) -> None:
    """Restate `star_change` and `household.star_latest_on` for these households (None:
    for all), after their people's latest readings (`refresh_better_areas`)."""
    households: Any = household_ids
    clear = delete(StarChange)
    latest = update(Household).values(
        star_latest_on=sa_select(func.max(col(Person.star_latest_on)))
        .where(col(Person.household_id) == col(Household.id))
        .scalar_subquery()
    )
    if household_ids is None:
        households = sa_select(col(Household.id))
    else:
        clear = clear.where(col(StarChange.household_id).in_(household_ids))
        latest = latest.where(col(Household.id).in_(household_ids))
    session.execute(latest.execution_options(synchronize_session=False))
    session.execute(clear)
    pairs = reading_pairs(households, None)
    session.execute(
        insert(StarChange).from_select(
            ["household_id", "area", *CHANGE_FIGURES],
            sa_select(pairs.c.household_id, pairs.c.area, *change_figures(pairs)).group_by(
                pairs.c.household_id, pairs.c.area
            ),
        )
    )


def refresh_better_areas(
    session: Session | Connection, household_ids: Sequence[int] | None
) -> None:
    """Restate the counts on every reading and person of these households (None: of all)."""
    readings = update(StarReading).values(better_areas=_better_areas())
    people = update(Person).values(
        star_latest_on=end_reading(col(Person.id), "taken_on", latest=True),
        star_better_areas=end_reading(col(Person.id), "better_areas", latest=True),
    )
    if household_ids is not None:
        if not household_ids:
            return
        readings = readings.where(col(StarReading.household_id).in_(household_ids))
        people = people.where(col(Person.household_id).in_(household_ids))
    for statement in (readings, people):  # readings first: people copy their counts
        session.execute(statement.execution_options(synchronize_session=False))
