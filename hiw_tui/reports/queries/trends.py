"""The trends report: month by month, households started, outcomes and spending.

- A row per calendar month of the period; without a from date the period is the twelve
  calendar months to the as-of date (from the first of the month eleven months before
  the as-of date's month), so a year is seen whole and every month's row is a month.
- **Started**: households started in the month by the counting rules.
- **Outcomes**: job outcomes, work-related activity and courses of 5+ hours by the
  counting rules, in the month of their start, of the members of households started by
  the as-of date (whenever they started: a job found in March by a household that
  started the year before counts in March); a job is judged as of the as-of date.
- **Spent**: as the spend report counts it, in the month of each spend (a reversal in
  the month it was made), for every household in scope.

Started and outcomes are each one query grouped by month in SQL (a job's 28 days are
compared there too); spending is the spend report's, added up by month, so the two
reports always agree.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from sqlalchemy import Date, and_, case, func, or_
from sqlalchemy import select as sa_select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement
from sqlmodel import Session, col

from hiw_tui.db.casework.models import Outcome
from hiw_tui.db.core.models import Household, UserPublic
from hiw_tui.domain.casework import add_months
from hiw_tui.domain.casework_reports import MonthLine
from hiw_tui.domain.codes import WORK_RELATED, OutcomeKind
from hiw_tui.domain.counting import Period
from hiw_tui.domain.outcomes import COURSE_HOURS, JOB_HOURS, SUSTAINED
from hiw_tui.reports.queries.programme import report_audit, started_households
from hiw_tui.reports.queries.scoped import month_code, month_of, within
from hiw_tui.reports.queries.spend import spend_report

MONTHS = 12
"""Months the report covers when no from date is given."""


def trend_period(period: Period) -> Period:
    """`period` with its from date: the one given, or the first of the month `MONTHS` - 1
    months before the as-of date's."""
    if period.date_from is not None:
        return period
    return replace(period, date_from=add_months(period.as_of.replace(day=1), 1 - MONTHS))


def months(period: Period) -> list[str]:
    """YYYY-MM of every month from the from date's to the as-of date's."""
    assert period.date_from is not None
    day, shown = period.date_from.replace(day=1), []
    while day <= period.as_of:
        shown.append(f"{day:%Y-%m}")
        day = add_months(day, 1)
    return shown


class _days_after(FunctionElement[date]):
    """A date column `days` days on, as a date, on either database (`days` is written
    into the SQL: it is a whole number of the code's, never a user's)."""

    type = Date()
    inherit_cache = False

    def __init__(self, day: Any, days: int) -> None:
        self.days = int(days)
        super().__init__(day)


@compiles(_days_after, "sqlite")
def _days_after_sqlite(element: _days_after, compiler: SQLCompiler, **kw: Any) -> str:
    return f"date({compiler.process(element.clauses, **kw)}, '+{element.days} days')"


@compiles(_days_after, "postgresql")
def _days_after_postgresql(element: _days_after, compiler: SQLCompiler, **kw: Any) -> str:
    return f"({compiler.process(element.clauses, **kw)} + {element.days})"


def _counted_as(as_of: date) -> Any:
    """What an outcome counts as by the counting rules (`hiw_tui.domain.outcomes`), in
    SQL: "job", "work_related", "course", or NULL for none."""
    kind, hours, start = col(Outcome.kind), col(Outcome.hours), col(Outcome.start_on)
    job = and_(
        kind == OutcomeKind.JOB.value,
        hours >= JOB_HOURS,
        start <= as_of - SUSTAINED,
        or_(
            col(Outcome.end_on).is_(None), col(Outcome.end_on) >= _days_after(start, SUSTAINED.days)
        ),
    )
    return case(
        (job, "job"),
        (kind.in_([k.value for k in WORK_RELATED]), "work_related"),
        (and_(kind == OutcomeKind.COURSE.value, hours >= COURSE_HOURS), "course"),
        else_=None,
    )


def trends(
    session: Session, *, actor: UserPublic, period: Period, audited: bool = False
) -> list[MonthLine]:
    """A line per month of `trend_period(period)`, oldest first."""
    covered = trend_period(period)
    figures: dict[str, dict[str, int]] = {month: {} for month in months(covered)}

    def add(rows: Any, name: str | None = None) -> None:
        for year, month, *rest in session.execute(rows):
            key, value = (name, rest[0]) if name else rest
            if key is not None:
                line = figures.setdefault(month_code(year, month), {})
                line[key] = line.get(key, 0) + int(value or 0)

    start = col(Household.start_date)
    started = started_households(session, actor, covered)
    add(
        sa_select(*month_of(start), func.count())
        .where(col(Household.id).in_(started))
        .group_by(*month_of(start)),
        "started",
    )
    counted_as = _counted_as(covered.as_of)
    on = col(Outcome.start_on)
    by_then = started_households(session, actor, replace(covered, date_from=None))
    add(
        sa_select(*month_of(on), counted_as, func.count())
        .where(col(Outcome.household_id).in_(by_then), within(on, covered))
        .group_by(*month_of(on), counted_as)
    )
    spent = spend_report(
        session,
        actor=actor,
        date_from=covered.date_from,
        date_to=covered.as_of,
        local_authority=covered.local_authority,
        advocate=covered.advocate,
    )
    for row in spent:
        line = figures.setdefault(row.month, {})
        line["spent"] = line.get("spent", 0) + row.spent
    report_audit(session, actor, "trends_report", covered, audited)
    return [
        MonthLine(
            month=month,
            started=line.get("started", 0),
            job_outcomes=line.get("job", 0),
            work_related_activities=line.get("work_related", 0),
            courses=line.get("course", 0),
            spent=line.get("spent", 0),
        )
        for month, line in sorted(figures.items())
    ]
