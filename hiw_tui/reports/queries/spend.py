"""The spend report: what was spent, by category, area, advocate or month, in scope."""

from __future__ import annotations

from datetime import date

from sqlalchemy import case, extract, func, or_
from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from hiw_tui.db.audit import trail
from hiw_tui.db.core.models import Household, User, UserPublic
from hiw_tui.db.core.scope import household_scope
from hiw_tui.db.ledger.models import LedgerDecision, LedgerEntry, SpendRow
from hiw_tui.db.ledger.sums import COMMITTED, COUNTED, SPENT, WAITING
from hiw_tui.domain.codes import BudgetCategory, LocalAuthority


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
    spent_on = col(LedgerEntry.spent_on)
    year, month = extract("year", spent_on), extract("month", spent_on)
    statement = (
        sa_select(
            year,
            month,
            col(Household.local_authority),
            col(User.username),
            col(LedgerEntry.category),
            func.sum(case((or_(COUNTED, WAITING), 1), else_=0)),
            SPENT,
            COMMITTED,
        )
        .join(Household, col(Household.id) == col(LedgerEntry.household_id))
        .join(User, col(User.id) == col(Household.advocate_id))
        .outerjoin(LedgerDecision, col(LedgerDecision.entry_id) == col(LedgerEntry.id))
        .where(household_scope(actor))
        .group_by(year, month, Household.local_authority, User.username, LedgerEntry.category)
        .order_by(year, month, Household.local_authority, User.username, LedgerEntry.category)
    )
    if date_from is not None:
        statement = statement.where(col(LedgerEntry.spent_on) >= date_from)
    if date_to is not None:
        statement = statement.where(col(LedgerEntry.spent_on) <= date_to)
    if local_authority is not None:
        statement = statement.where(col(Household.local_authority) == local_authority)
    if advocate is not None:
        statement = statement.where(col(User.username) == advocate)
    rows = [
        SpendRow(
            month=f"{int(y):04d}-{int(m):02d}",
            local_authority=LocalAuthority(area),
            advocate=username,
            category=BudgetCategory(category),
            entries=int(entries),
            spent=int(spent),
            waiting=int(waiting),
        )
        for y, m, area, username, category, entries, spent, waiting in session.execute(statement)
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
