"""The ledger's integrity check: every budget, and the spending kept by month,
recomputed from its append-only rows."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import func, or_, union
from sqlalchemy import select as sa_select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from hiw_tui.db.core.models import Household
from hiw_tui.db.ledger.models import Budget, BudgetCap, LedgerDecision, LedgerEntry
from hiw_tui.db.ledger.monthly import check_spend_months
from hiw_tui.db.ledger.sums import COMMITTED, SPENT
from hiw_tui.domain.codes import EntryKind
from hiw_tui.domain.money import pounds


def check_ledger(session: Session) -> list[str]:
    """Every difference between the stored budgets and what their rows add up to.

    The comparison runs in the database, which returns only the budgets that differ,
    so the check streams however many households there are.
    """
    totals = (
        sa_select(
            col(LedgerEntry.household_id).label("household_id"),
            SPENT.label("spent"),
            COMMITTED.label("committed"),
        )
        .outerjoin(LedgerDecision, col(LedgerDecision.entry_id) == col(LedgerEntry.id))
        .group_by(col(LedgerEntry.household_id))
        .subquery()
    )
    latest = select(func.max(BudgetCap.id)).group_by(col(BudgetCap.household_id))
    caps = (
        sa_select(col(BudgetCap.household_id).label("household_id"), col(BudgetCap.cap_pence))
        .where(col(BudgetCap.id).in_(latest))
        .subquery()
    )
    with_rows = union(
        select(Budget.household_id), select(totals.c.household_id), select(caps.c.household_id)
    ).subquery()
    spent, committed = func.coalesce(totals.c.spent, 0), func.coalesce(totals.c.committed, 0)
    budget_id, cap = col(Budget.household_id), caps.c.cap_pence
    differs = or_(
        budget_id.is_(None),
        cap.is_(None),
        col(Budget.cap_pence) != cap,
        col(Budget.spent_pence) != spent,
        col(Budget.committed_pence) != committed,
        spent + committed > cap,
    )
    statement = (
        sa_select(
            col(Household.reference),
            budget_id,
            col(Budget.cap_pence),
            col(Budget.spent_pence),
            col(Budget.committed_pence),
            cap,
            spent,
            committed,
        )
        .select_from(with_rows)
        .join(Household, col(Household.id) == with_rows.c.household_id)
        .outerjoin(Budget, budget_id == with_rows.c.household_id)
        .outerjoin(totals, totals.c.household_id == with_rows.c.household_id)
        .outerjoin(caps, caps.c.household_id == with_rows.c.household_id)
        .where(differs)
        .order_by(col(Household.reference))
    )
    problems = [
        f"{reference}: {problem}"
        for reference, opened, *figures in session.execute(statement)
        for problem in _compare(opened is not None, *figures)
    ]
    return problems + list(_mismatched_rows(session)) + list(check_spend_months(session))


def _compare(
    opened: bool,
    kept_cap: int,
    kept_spent: int,
    kept_committed: int,
    cap: int | None,
    spent: int,
    committed: int,
) -> Iterator[str]:
    """What differs between one budget as kept and as its rows compute it."""
    if not opened:
        yield "has ledger rows but no budget"
        return
    pairs = (
        ("cap", kept_cap, cap),
        ("spent", kept_spent, spent),
        ("committed", kept_committed, committed),
    )
    for what, kept, computed in pairs:
        if kept != computed:
            shown = "none" if computed is None else pounds(computed)
            yield f"{what} is kept as {pounds(kept)} but its rows say {shown}"
    if cap is not None and spent + committed > cap:
        yield f"overspent: {pounds(spent + committed)} against a cap of {pounds(cap)}"


def _mismatched_rows(session: Session) -> Iterator[str]:
    """Reversals that do not mirror their spend, and decisions on spends that needed none."""
    original = aliased(LedgerEntry)
    for reversal_id in session.exec(
        select(LedgerEntry.id)
        .join(original, col(original.id) == col(LedgerEntry.reverses_id))
        .where(
            or_(
                col(original.amount_pence) != col(LedgerEntry.amount_pence),
                col(original.household_id) != col(LedgerEntry.household_id),
                col(original.kind) != EntryKind.SPEND,
            )
        )
    ).all():
        yield f"reversal {reversal_id} does not mirror the spend it reverses"
    for entry_id in session.exec(
        select(LedgerDecision.entry_id)
        .join(LedgerEntry, col(LedgerEntry.id) == col(LedgerDecision.entry_id))
        .where(~col(LedgerEntry.needs_approval))
    ).all():
        yield f"spend {entry_id} was decided but never needed approval"
