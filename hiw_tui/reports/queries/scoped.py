"""What the case-work reports share: the households a report may count (the actor's
scope through `household_scope`, narrowed to the period's area and advocate), a date
column within the period, and a date column's calendar month."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, extract
from sqlmodel import Session, col, select

from hiw_tui.db.core.errors import NotFound
from hiw_tui.db.core.models import Household, User, UserPublic
from hiw_tui.db.core.scope import household_scope
from hiw_tui.domain.counting import Period


def households_in_scope(session: Session, actor: UserPublic, period: Period) -> list[Any]:
    """Conditions on `Household`: in the actor's scope, and in the period's local
    authority and advocate's caseload where it names them."""
    conditions = [household_scope(actor)]
    if period.local_authority is not None:
        conditions.append(col(Household.local_authority) == period.local_authority)
    if period.advocate is not None:
        advocate_id = session.exec(select(User.id).where(User.username == period.advocate)).first()
        if advocate_id is None:
            raise NotFound(f"No user called {period.advocate}.")
        conditions.append(col(Household.advocate_id) == advocate_id)
    return conditions


def within(column: Any, period: Period) -> Any:
    """`column` (a date) on or before the as-of date, and on or after the from date."""
    condition = column <= period.as_of
    if period.date_from is not None:
        condition = and_(condition, column >= period.date_from)
    return condition


def month_of(column: Any) -> tuple[Any, Any]:
    """The year and the month of a date column, on either database."""
    return extract("year", column), extract("month", column)


def month_code(year: Any, month: Any) -> str:
    """YYYY-MM, from the two numbers `month_of` gives (floats on SQLite, decimals on
    PostgreSQL)."""
    return f"{int(year):04d}-{int(month):02d}"
