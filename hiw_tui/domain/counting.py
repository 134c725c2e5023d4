"""The programme's counting rules: who and what the reports count, and as of when.

The published reports give no definitions, so these are the project's (domain.md,
README "Counting rules"). The database layer turns them into queries; nothing else
decides what counts.

- **Household started**: start date in the period (on or before the as-of date, on or
  after the from date if given) and status active, exited or withdrawn. A short-term
  case counts once converted to full registration; a referred one never, nor any
  household without a start date.
- **Completed at least one agreed activity**: a started household with an action-plan
  step marked done in the period (a step of the household's own plan counts too).
- **Significant improvement**: a started household with a member who scores at least
  1 point higher on 3 or more Star areas (`hiw_tui.domain.star.SIGNIFICANT_AREAS`) in
  their latest reading than in their first, or who has a job outcome, a work-related
  activity or a course in the period.
- **Job outcome**, **course**: `hiw_tui.domain.outcomes`.
- **Moved into employment %**: started households with a job outcome / households
  started x 100, one decimal place (half up); 0.0 when none started.
- **Progress measures**: (person, Star area) pairs whose latest score beats their first.
- **Steps**: steps marked done. **Work-related activity**: work experience and
  volunteering. **Courses**: courses of 5 hours or more.
- Counts cover every person who has been a member of a started household (members
  since removed included: their outcomes happened on the programme). An outcome counts
  by its start date, a step by the day it was done, both within the period. First and
  latest readings are the earliest and latest *final* readings dated on or before the
  as-of date (the from date does not apply: progress is measured from the first
  reading), the first among those made under the latest one's framework
  (`hiw_tui.domain.star`); an area left unscored in either is not compared.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from hiw_tui.domain.codes import HouseholdStatus, OutcomeKind
from hiw_tui.domain.dates import years_before
from hiw_tui.domain.outcomes import course_counts, is_job_outcome

SUMMARY = (
    "Counting rules. A household started: a start date in the period and status active, "
    "exited or withdrawn (referred never; short-term once fully registered). Completed "
    "an activity: a member's action-plan step done in the period. Significant "
    "improvement: a member scoring at least 1 point higher on 3 or more Star areas in "
    "their latest reading than their first, or with a job outcome, work-related activity "
    "or course. Job outcome: 16+ hours a week, lasting at least 28 days. Into work %: "
    "started households with a job outcome / households started. Progress measures: "
    "(person, Star area) pairs whose latest score beats their first. Courses: 5+ hours. "
    "Nothing dated after the period's end counts."
)
"""The rules above in a paragraph, for printed reports."""

STARTED_STATUSES = (HouseholdStatus.ACTIVE, HouseholdStatus.EXITED, HouseholdStatus.WITHDRAWN)
WORK_RELATED = (OutcomeKind.WORK_EXPERIENCE, OutcomeKind.VOLUNTEERING)


@dataclass(frozen=True)
class Period:
    """What a report covers: as of a date, optionally from a date, for the whole scope
    or one local authority or one advocate (a username)."""

    as_of: date
    date_from: date | None = None
    local_authority: str | None = None
    advocate: str | None = None

    def holds(self, day: date) -> bool:
        return day <= self.as_of and (self.date_from is None or day >= self.date_from)

    def span(self) -> str:
        """The dates it covers, in words."""
        if self.date_from is not None:
            return f"{self.date_from.isoformat()} to {self.as_of.isoformat()}"
        return f"as of {self.as_of.isoformat()}"

    def describe(self) -> str:
        span = self.span()
        where = [self.local_authority.replace("_", " ").title()] if self.local_authority else []
        if self.advocate:
            where.append(f"advocate {self.advocate}")
        return ", ".join([span, *where])


@dataclass
class OutcomeTally:
    """Outcomes of started households' members, counted by the rules."""

    job_outcomes: int = 0
    work_related_activities: int = 0
    courses: int = 0
    into_work: set[int] = field(default_factory=set)
    """Households with a job outcome."""
    achieved: set[int] = field(default_factory=set)
    """Households with any counted outcome (one way to significant improvement)."""

    def add(
        self,
        household_id: int,
        kind: str,
        start: date,
        end: date | None,
        hours: float,
        *,
        period: Period,
    ) -> None:
        """Count one outcome, if it counts in `period`."""
        if not period.holds(start):
            return
        if kind == OutcomeKind.JOB:
            if not is_job_outcome(start, end, hours, as_of=period.as_of):
                return
            self.job_outcomes += 1
            self.into_work.add(household_id)
        elif kind in WORK_RELATED:
            self.work_related_activities += 1
        elif kind == OutcomeKind.COURSE and course_counts(hours):
            self.courses += 1
        else:
            return
        self.achieved.add(household_id)


def percent(part: int, whole: int) -> float:
    """`part` of `whole` as a percentage to one decimal place, rounded half up."""
    if whole == 0:
        return 0.0
    share = Decimal(part) * 100 / Decimal(whole)
    return float(share.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


AGE_BANDS = ((16, 25), (26, 35), (36, 45), (46, 55), (56, 65), (66, None))
"""The published age bands, in completed years on the as-of date."""


def age_band_label(low: int | None, high: int | None) -> str:
    if low is None:
        return f"Under {AGE_BANDS[0][0]}"
    return f"{low}+" if high is None else f"{low}-{high}"


def born_after(age: int, as_of: date) -> date:
    """People born after this day are younger than `age` on `as_of`."""
    return years_before(as_of, age)


NEED_COUNT_BANDS = ((0, 0), (1, 2), (3, 4), (5, 6), (7, 8), (9, None))
"""Bands of how many support needs a person has (the published 3-4, 7-8, 9 or more)."""


def need_band_label(low: int, high: int | None) -> str:
    if high is None:
        return f"{low} or more"
    return str(low) if low == high else f"{low}-{high}"
