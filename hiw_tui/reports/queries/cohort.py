"""The cohort profile: who the people of the started households are, in the published
tables' shape (support needs, needs per person, time since work, age, gender, ethnicity),
and what programmes the households took part in before HiW.

Everyone who has been a member of a household started in the period counts once. Ages
are in completed years on the as-of date. Each share sits beside the programme's
published one (`hiw_tui.domain.cohort`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from functools import partial
from typing import Any

from sqlalchemy import String, and_, case, cast, func, true
from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from hiw_tui.db.core.models import Household, Person, PersonNeed, UserPublic
from hiw_tui.db.core.side_by_side import side_by_side
from hiw_tui.domain import cohort
from hiw_tui.domain.access import Permission
from hiw_tui.domain.codes import (
    Coded,
    Ethnicity,
    Gender,
    Programme,
    SupportNeed,
    TimeSinceWork,
)
from hiw_tui.domain.counting import (
    AGE_BANDS,
    NEED_COUNT_BANDS,
    Period,
    age_band_label,
    born_after,
    need_band_label,
    percent,
)
from hiw_tui.domain.report_models import CohortProfile, Share
from hiw_tui.domain.sensitive import SENSITIVE_NEEDS
from hiw_tui.reports.queries.programme import report_audit, started_households


def _shares(
    counted: Mapping[str, int],
    people: int,
    lines: Iterable[tuple[str, str]],
    published: Mapping[str, float | None] | None = None,
) -> tuple[Share, ...]:
    """One `Share` per (code, label), in order; counts of codes not listed are dropped."""
    return tuple(
        Share(
            code,
            label,
            counted.get(code, 0),
            percent(counted.get(code, 0), people),
            (published or {}).get(code),
        )
        for code, label in lines
    )


def _coded(codes: type[Coded]) -> list[tuple[str, str]]:
    return [(code.value, code.label) for code in codes]


def _needs(session: Session, *, started: Any, sensitive: bool) -> dict[str, int]:
    """People holding each support need (the special-category ones only for a reader
    who may see them)."""
    need_filter = true() if sensitive else col(PersonNeed.need).not_in(SENSITIVE_NEEDS)
    counted = session.execute(
        sa_select(col(PersonNeed.need), func.count())
        .join(Person, col(Person.id) == col(PersonNeed.person_id))
        .where(col(Person.household_id).in_(started), need_filter)
        .group_by(col(PersonNeed.need))
    )
    return {str(need): int(count) for need, count in counted}


PER_PERSON = ("age", "gender", "ethnicity", "time_since_work", "needs")
"""What `_per_person` counts people by."""


def _per_person(session: Session, *, started: Any, period: Period) -> dict[str, Counter[str]]:
    """People counted by each of `PER_PERSON` (age band, gender, ethnicity, time since
    work, needs held as each keeps the count, `person.need_count`): one pass over the
    people, each of the profile's tables a sum over it."""
    born = col(Person.date_of_birth)
    age = case(
        (born > born_after(AGE_BANDS[0][0], period.as_of), age_band_label(None, None)),
        *(
            (born > born_after(high + 1, period.as_of), age_band_label(low, high))
            for low, high in AGE_BANDS
            if high is not None
        ),
        else_=age_band_label(*AGE_BANDS[-1]),
    )
    grouped = (
        age,
        col(Person.gender),
        col(Person.ethnicity),
        col(Person.time_since_work),
        col(Person.need_count),
    )
    counted: dict[str, Counter[str]] = {column: Counter() for column in PER_PERSON}
    for *codes, count in session.execute(
        sa_select(*grouped, func.count())
        .select_from(Person)
        .where(col(Person.household_id).in_(started))
        .group_by(*grouped)
    ):
        for column, code in zip(PER_PERSON, codes, strict=True):
            counted[column][str(code)] += count
    return counted


def _need_band(needs: int) -> str:
    """The label of the band (`NEED_COUNT_BANDS`) a person holding `needs` needs is in."""
    for low, high in NEED_COUNT_BANDS:
        if high is None or needs <= high:
            return need_band_label(low, high)
    raise AssertionError("the last band has no upper end")


def cohort_profile(
    session: Session, *, actor: UserPublic, period: Period, audited: bool = False
) -> CohortProfile:
    started = started_households(session, actor, period)
    sensitive = actor.can(Permission.SENSITIVE)
    counted, needs, (households, before) = side_by_side(
        session,
        (
            partial(_per_person, started=started, period=period),
            partial(_needs, started=started, sensitive=sensitive),
            partial(_before_hiw, started=started),
        ),
    )
    people = counted["age"].total()
    need_counts = Counter[str]()
    for needs_held, count in counted["needs"].items():
        need_counts[_need_band(int(needs_held))] += count
    ages = counted["age"]
    age_labels = [age_band_label(low, high) for low, high in AGE_BANDS]
    published_ages = {
        age_band_label(low, high): cohort.AGE_BAND_PERCENT.get((low, high if high else 120))
        for low, high in AGE_BANDS
    }
    under = age_band_label(None, None)
    age_lines = ([(under, under)] if ages.get(under) else []) + [(a, a) for a in age_labels]
    tables = {
        "Support needs": _shares(
            needs,
            people,
            [line for line in _coded(SupportNeed) if sensitive or line[0] not in SENSITIVE_NEEDS],
            _published(cohort.SUPPORT_NEED_PERCENT),
        ),
        "Needs per person": _shares(
            need_counts,
            people,
            [(need_band_label(*b), need_band_label(*b)) for b in NEED_COUNT_BANDS],
            cohort.NEEDS_PER_PERSON_PERCENT,
        ),
        "Time since last work": _shares(
            counted["time_since_work"],
            people,
            _coded(TimeSinceWork),
            _published(cohort.TIME_SINCE_WORK_PERCENT),
        ),
        "Age": _shares(ages, people, age_lines, published_ages),
        "Gender": _shares(
            counted["gender"], people, _coded(Gender), _published(cohort.GENDER_PERCENT)
        ),
        "Ethnicity": _shares(
            counted["ethnicity"],
            people,
            _coded(Ethnicity),
            {Ethnicity.WHITE_BRITISH.value: cohort.ETHNICITY_PERCENT[Ethnicity.WHITE_BRITISH]},
        ),
    }
    withheld: tuple[str, ...] = ()
    if not sensitive:  # counts of special-category data, whole or in part
        withheld = ("Needs per person", "Ethnicity")
        tables = {title: lines for title, lines in tables.items() if title not in withheld}
    report_audit(session, actor, "cohort_profile", period, audited)
    return CohortProfile(
        people=people,
        tables=tables,
        withheld=withheld,
        households=households,
        household_tables={BEFORE_HIW: before},
    )


BEFORE_HIW = "Programmes before HiW"
OTHER_PROGRAMME = ("other", "Another, written in")
NOT_RECORDED = ("not_recorded", "Not recorded")


def _before_hiw(session: Session, *, started: Any) -> tuple[int, tuple[Share, ...]]:
    """The started households, and how many took part in each programme before HiW (a
    household in several counts in each), wrote in another, or have none recorded.

    The codes are a JSON list: its text holds each code in quotes on both databases."""
    codes = cast(col(Household.previous_programme_codes), String)
    written = col(Household.previous_programmes) != ""
    counted = {
        programme.value: func.sum(case((codes.like(f'%"{programme.value}"%'), 1), else_=0))
        for programme in Programme
    }
    counted[OTHER_PROGRAMME[0]] = func.sum(case((written, 1), else_=0))
    counted[NOT_RECORDED[0]] = func.sum(
        case((and_(codes.not_like('%"%'), col(Household.previous_programmes) == ""), 1), else_=0)
    )
    statement = sa_select(func.count(), *counted.values()).where(started.whereclause)
    total, *sums = session.execute(statement).one()
    found = {code: int(value or 0) for code, value in zip(counted, sums, strict=True)}
    return int(total), _shares(
        found, int(total), [*_coded(Programme), OTHER_PROGRAMME, NOT_RECORDED]
    )


def _published(shares: Mapping[Any, float]) -> dict[str, float]:
    return {code.value: share for code, share in shares.items()}
