"""The spend report: what was spent, by category, area, advocate or month, in scope.

Whole months come from the spending kept by month (`spend_month`, restated from the
ledger whenever it changes: `hiw_tui.db.ledger.monthly`); the days of a month only
partly in the report's dates come from the ledger's rows themselves. Both are grouped
the same way, so a report over any dates equals one added up from the ledger.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from hiw_tui.db.audit import trail
from hiw_tui.db.core.models import Household, User, UserPublic
from hiw_tui.db.core.scope import household_scope
from hiw_tui.db.ledger.models import LedgerEntry, SpendMonth, SpendRow
from hiw_tui.db.ledger.monthly import ledger_groups
from hiw_tui.domain.casework import add_months
from hiw_tui.domain.codes import BudgetCategory, LocalAuthority

AREAS = {area.value: area for area in LocalAuthority}
CATEGORIES = {category.value: category for category in BudgetCategory}
"""Codes by value, looked up once per row of tens of thousands (faster than the enum's
own call)."""
Key = tuple[str, str, str, str]
"""(YYYY-MM, local authority, advocate's username, category): the report's order."""


def spend_report(
    session: Session,
    *,
    actor: UserPublic,
    date_from: date | None = None,
    date_to: date | None = None,
    local_authority: str | None = None,
    advocate: str | None = None,
    audited: bool = False,
) -> list[SpendRow]:
    """Spending by month, area, advocate and category, in the actor's scope.

    A spend counts in the month of its date; a reversal nets it off in the month the
    reversal was made. Rejected spends count nowhere; waiting ones show as waiting.
    `audited` records the report as an export (a file or a printout leaving the app).
    """
    first, after = whole_months(date_from, date_to)
    totals: dict[Key, list[int]] = {}

    def add(key: Key, entries: int, spent: int, waiting: int) -> None:
        line = totals.get(key)
        if line is None:
            totals[key] = [entries, spent, waiting]
        else:
            line[0], line[1], line[2] = line[0] + entries, line[1] + spent, line[2] + waiting

    kept = col(SpendMonth.month)
    statement = (
        sa_select(
            kept,
            col(SpendMonth.local_authority),
            col(User.username),
            col(SpendMonth.category),
            col(SpendMonth.entries),
            col(SpendMonth.spent_pence),
            col(SpendMonth.waiting_pence),
        )
        .join(User, col(User.id) == col(SpendMonth.advocate_id))
        .where(household_scope(actor, SpendMonth), *_named(SpendMonth, local_authority, advocate))
    )
    if first is not None:
        statement = statement.where(kept >= first)
    if after is not None:
        statement = statement.where(kept < after)
    if first is None or after is None or first < after:
        months: dict[date, str] = {}
        for month, area, username, category, entries, spent, waiting in session.execute(statement):
            shown = months.get(month) or months.setdefault(month, f"{month:%Y-%m}")
            add((shown, area, username, category), entries, spent, waiting)
    spent_on = col(LedgerEntry.spent_on)
    for start, end in _partial_days(date_from, date_to, first, after):
        part = ledger_groups(
            [
                household_scope(actor),
                spent_on >= start,
                spent_on <= end,
                *_named(Household, local_authority, advocate),
            ]
        )
        for _, username, area, year, month, category, *figures in session.execute(part):
            key = (f"{int(year):04d}-{int(month):02d}", area, username, category)
            add(key, *(int(figure) for figure in figures))
    rows = [
        SpendRow(month, AREAS[area], username, CATEGORIES[category], entries, spent, waiting)
        for (month, area, username, category), (entries, spent, waiting) in sorted(totals.items())
    ]
    if audited:
        trail.record(
            session,
            actor=actor,
            action="export",
            entity="spend_report",
            entity_id=0,
            changes={"rows": [None, len(rows)]},
        )
    return rows


def advocate_names(session: Session, usernames: Iterable[str]) -> dict[str, str]:
    """Each advocate's name by username: the report's screen and printout name people,
    its files keep the username (one word, the same in every file)."""
    wanted = sorted(set(usernames))
    if not wanted:
        return {}
    statement = sa_select(col(User.username), col(User.display_name)).where(
        col(User.username).in_(wanted)
    )
    return {username: name for username, name in session.execute(statement)}


def whole_months(date_from: date | None, date_to: date | None) -> tuple[date | None, date | None]:
    """The first whole month in the dates (its first day; None: from the first spend) and
    the first day after the last whole one (None: to the last spend)."""
    first = None
    if date_from is not None:
        first = date_from if date_from.day == 1 else add_months(date_from.replace(day=1), 1)
    after = None
    if date_to is not None:
        month_ends = (date_to + timedelta(days=1)).day == 1
        after = add_months(date_to.replace(day=1), 1) if month_ends else date_to.replace(day=1)
    return first, after


def _partial_days(
    date_from: date | None, date_to: date | None, first: date | None, after: date | None
) -> Iterator[tuple[date, date]]:
    """The days of the dates outside their whole months, as (first, last) ranges."""
    if date_from is not None and first is not None and first != date_from:
        end = first - timedelta(days=1)
        end = end if date_to is None else min(end, date_to)
        if date_from <= end:
            yield date_from, end
    if date_to is not None and after is not None and after != date_to + timedelta(days=1):
        start = after if first is None else max(after, first)
        if date_from is not None:
            start = max(start, date_from)
        if start <= date_to:
            yield start, date_to


def _named(held: Any, local_authority: str | None, advocate: str | None) -> list[Any]:
    """Conditions for the area and the advocate (a username) the report is narrowed to."""
    conditions = []
    if local_authority is not None:
        conditions.append(held.local_authority == local_authority)
    if advocate is not None:
        conditions.append(col(User.username) == advocate)
    return conditions
