"""A household's register, read from the append-only rows, with its running balance.

The register holds every cap set, spend and reversal in the order they were entered
(a spend may be dated earlier than it was entered: the date column shows its date,
the order what the budget went through). Each line's `left` is
what remained of the budget after it: a cap raises it by what it added, a counted or
waiting spend lowers it, a reversal gives back, and a rejected spend does nothing. The
last line's `left` is the budget's remaining amount now.

A household's ledger is bounded by its budget (a few hundred lines at the very most),
so it is read whole.
"""

from __future__ import annotations

from sqlalchemy import select as sa_select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from hiw_tui.db.core.models import Household, Person, User
from hiw_tui.db.ledger.models import (
    Budget,
    BudgetCap,
    LedgerDecision,
    LedgerEntry,
    LedgerLine,
    LedgerView,
)
from hiw_tui.domain.budget import BudgetPolicy, SpendState, spend_state
from hiw_tui.domain.codes import EntryKind
from hiw_tui.domain.dates import as_utc


def ledger_view(session: Session, household: Household, policy: BudgetPolicy) -> LedgerView:
    household_id = household.id or 0
    budget = session.get(Budget, household_id)
    lines = sorted(
        [*_cap_lines(session, household_id), *_entry_lines(session, household_id)],
        key=lambda line: (as_utc(line.entered_at), line.kind != "cap", line.id),
    )
    left, shown = 0, []
    for line in lines:
        left += line.change
        shown.append(line.model_copy(update={"left": left}))
    return LedgerView(
        household_id=household_id,
        reference=household.reference,
        opened=budget is not None,
        cap=budget.cap_pence if budget else policy.cap_pence,
        spent=budget.spent_pence if budget else 0,
        committed=budget.committed_pence if budget else 0,
        lines=tuple(shown),
    )


def _cap_lines(session: Session, household_id: int) -> list[LedgerLine]:
    rows = session.exec(
        select(BudgetCap, User.display_name)
        .join(User, col(User.id) == col(BudgetCap.set_by))
        .where(BudgetCap.household_id == household_id)
        .order_by(col(BudgetCap.id))
    )
    lines, before = [], 0
    for cap, name in rows:
        lines.append(
            LedgerLine(
                kind="cap",
                id=cap.id or 0,
                on=cap.set_at.date(),
                amount=cap.cap_pence,
                change=cap.cap_pence - before,
                left=0,
                entered_by=cap.set_by,
                entered_by_name=name,
                entered_at=cap.set_at,
                reason=cap.reason,
            )
        )
        before = cap.cap_pence
    return lines


def _entry_lines(session: Session, household_id: int) -> list[LedgerLine]:
    reversal = aliased(LedgerEntry)
    decider = aliased(User)
    rows = session.execute(
        sa_select(
            LedgerEntry,
            col(User.display_name),
            col(Person.given_name),
            col(Person.family_name),
            col(reversal.id),
            LedgerDecision,
            col(decider.display_name),
        )
        .join(User, col(User.id) == col(LedgerEntry.entered_by))
        .outerjoin(Person, col(Person.id) == col(LedgerEntry.person_id))
        .outerjoin(reversal, col(reversal.reverses_id) == col(LedgerEntry.id))
        .outerjoin(LedgerDecision, col(LedgerDecision.entry_id) == col(LedgerEntry.id))
        .outerjoin(decider, col(decider.id) == col(LedgerDecision.decided_by))
        .where(col(LedgerEntry.household_id) == household_id)
    )
    return [
        LedgerLine(
            kind=entry.kind,
            id=entry.id or 0,
            on=entry.spent_on,
            amount=entry.amount_pence,
            change=_change(entry, decision),
            left=0,
            category=entry.category,
            payee=entry.payee,
            description=entry.description,
            receipt_ref=entry.receipt_ref,
            person_name=f"{given} {family}" if given else None,
            entered_by=entry.entered_by,
            entered_by_name=name,
            entered_at=entry.entered_at,
            reason=entry.reason,
            reverses_id=entry.reverses_id,
            reversed_by_id=reversed_by,
            needs_approval=entry.needs_approval,
            decision=decision.decision if decision else None,
            decided_by_name=decided_by,
            decision_note=decision.note if decision else "",
        )
        for entry, name, given, family, reversed_by, decision, decided_by in rows
    ]


def _change(entry: LedgerEntry, decision: LedgerDecision | None) -> int:
    if entry.kind == EntryKind.REVERSAL:
        return entry.amount_pence
    state = spend_state(entry.needs_approval, decision.decision if decision else None)
    return 0 if state is SpendState.REJECTED else -entry.amount_pence
