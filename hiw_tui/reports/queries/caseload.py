"""The caseload report: per advocate, households by status, plan steps overdue, Star
readings due and what the open households' budgets have left.

A household counts once it was referred or started by the as-of date, in the status it
had then as far as its dates tell: one that started after the as-of date was still
referred; one that left after it was still referred (never started) or active (a
short-term case that left is not told apart); otherwise its status now (a conversion
from short term keeps no date). Overdue steps and readings due are judged on the as-of
date by My week's rules (`steps_due`, `readings_due`), which read the households as
they stand. The budget left is each open household's cap (the default for a budget not
yet opened; caps keep no date) less what was spent and what waits, from spends dated by
the as-of date. The from date does not apply: a caseload is everything on it. Every
advocate in the actor's scope has a line, those with no households too.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import and_, case, func, or_
from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from hiw_tui.db.access.users import list_advocates
from hiw_tui.db.casework.models import Step
from hiw_tui.db.casework.week import overdue_steps, readings_due
from hiw_tui.db.core.models import Household, User, UserPublic
from hiw_tui.db.ledger.models import Budget, LedgerDecision, LedgerEntry
from hiw_tui.db.ledger.sums import COMMITTED, SPENT
from hiw_tui.domain.casework_reports import CaseloadLine
from hiw_tui.domain.codes import CLOSED_STATUSES, HouseholdStatus
from hiw_tui.domain.counting import Period
from hiw_tui.reports.queries.programme import report_audit
from hiw_tui.reports.queries.scoped import households_in_scope


def _on_caseload_by(as_of: date) -> Any:
    """Referred or started by `as_of` (a household with neither date: always)."""
    start, referred = col(Household.start_date), col(Household.referred_on)
    return or_(start <= as_of, referred <= as_of, and_(start.is_(None), referred.is_(None)))


def status_as_of(as_of: date) -> Any:
    """A household's status on `as_of`, as far as its start and end dates tell."""
    start, status = col(Household.start_date), col(Household.status)
    left_since = and_(
        status.in_([s.value for s in CLOSED_STATUSES]), col(Household.end_date) > as_of
    )
    referred, active = HouseholdStatus.REFERRED.value, HouseholdStatus.ACTIVE.value
    return case(
        (start > as_of, referred),
        (left_since, case((start.is_(None), referred), else_=active)),
        else_=status,
    )


def caseload(
    session: Session,
    *,
    actor: UserPublic,
    period: Period,
    default_cap: int,
    reading_due_weeks: int,
    audited: bool = False,
) -> list[CaseloadLine]:
    """A line per advocate, by display name; each query grouped by advocate in SQL."""
    scoped = [*households_in_scope(session, actor, period), _on_caseload_by(period.as_of)]
    advocate, then = col(Household.advocate_id), status_as_of(period.as_of)
    still_open = then.not_in([status.value for status in CLOSED_STATUSES])
    statuses: dict[int, dict[str, int]] = {}
    for advocate_id, status, count in session.execute(
        sa_select(advocate, then, func.count()).where(*scoped).group_by(advocate, then)
    ):
        statuses.setdefault(advocate_id, {})[status] = int(count)
    overdue = _per_advocate(
        session,
        sa_select(advocate, func.count())
        .select_from(Step)
        .join(Household, col(Household.id) == col(Step.household_id))
        .where(*scoped, *overdue_steps(period.as_of)),
    )
    due = _per_advocate(
        session,
        sa_select(advocate, func.count()).where(
            *scoped, *readings_due(period.as_of, reading_due_weeks)
        ),
    )
    caps = _per_advocate(
        session,
        sa_select(advocate, func.sum(func.coalesce(col(Budget.cap_pence), default_cap)))
        .select_from(Household)
        .outerjoin(Budget, col(Budget.household_id) == col(Household.id))
        .where(*scoped, still_open),
    )
    used = _per_advocate(
        session,
        sa_select(advocate, SPENT + COMMITTED)
        .select_from(LedgerEntry)
        .join(Household, col(Household.id) == col(LedgerEntry.household_id))
        .outerjoin(LedgerDecision, col(LedgerDecision.entry_id) == col(LedgerEntry.id))
        .where(*scoped, still_open, col(LedgerEntry.spent_on) <= period.as_of),
    )
    people = {
        user.id: (user.username, user.display_name)
        for user in list_advocates(session, actor=actor, local_authority=period.local_authority)
        if period.advocate in (None, user.username)
    }
    held = set(statuses) - set(people)
    if held:  # a household's advocate since moved, made inactive or of another area
        for user_id, username, name in session.execute(
            sa_select(col(User.id), col(User.username), col(User.display_name)).where(
                col(User.id).in_(held)
            )
        ):
            people[user_id] = (username, name)
    lines = [
        CaseloadLine(
            advocate=username,
            name=name,
            statuses=statuses.get(user_id, {}),
            overdue_steps=overdue.get(user_id, 0),
            readings_due=due.get(user_id, 0),
            budget_left=caps.get(user_id, 0) - used.get(user_id, 0),
        )
        for user_id, (username, name) in people.items()
    ]
    report_audit(session, actor, "caseload_report", period, audited)
    return sorted(lines, key=lambda line: (line.name.casefold(), line.advocate))


def _per_advocate(session: Session, statement: Any) -> dict[int, int]:
    """advocate id -> the figure, from a statement of (advocate id, figure) rows."""
    grouped = statement.group_by(col(Household.advocate_id))
    return {advocate_id: int(figure or 0) for advocate_id, figure in session.execute(grouped)}
