"""Spending a household's support budget: spends, reversals, approvals and cap raises.

Every write locks the household row first (`SELECT ... FOR UPDATE` on PostgreSQL; an
SQLite write transaction is already exclusive), then checks and appends in the same
transaction, so two spends against one household are never both checked against the
same remaining amount. A spend carries an idempotency key: saving it again (a double
keypress, a retry after a lost connection) returns the entry already saved.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, select

from hiw_tui.db.audit import trail
from hiw_tui.db.casework.rows import check_member
from hiw_tui.db.core.errors import DataError, FieldError, Forbidden, NotFound
from hiw_tui.db.core.models import Household, User, UserPublic
from hiw_tui.db.core.scope import household_scope
from hiw_tui.db.households.households import household_in_scope
from hiw_tui.db.ledger.models import (
    Budget,
    BudgetCap,
    LedgerDecision,
    LedgerEntry,
    LedgerView,
    PendingSpend,
)
from hiw_tui.db.ledger.register import ledger_view
from hiw_tui.domain.access import Permission
from hiw_tui.domain.budget import (
    CapInput,
    DecisionInput,
    ReversalInput,
    SpendInput,
    SpendState,
    needs_approval,
    overspend,
    spend_state,
)
from hiw_tui.domain.codes import CLOSED_STATUSES, Decision, EntryKind
from hiw_tui.domain.money import pounds

OPENING_REASON = "Opening budget (the default cap)"


def household_ledger(
    session: Session,
    *,
    actor: UserPublic,
    household_id: int,
    default_cap: int,
    audited: bool = True,
) -> LedgerView:
    """The household's budget and register; opening it is audited as a view."""
    household = household_in_scope(session, actor, household_id, lock=False)
    if audited:
        trail.record(
            session,
            actor=actor,
            action="view",
            entity="ledger",
            entity_id=household_id,
            household_id=household_id,
        )
    return ledger_view(session, household, default_cap)


def _budget(session: Session, actor: UserPublic, household_id: int, default_cap: int) -> Budget:
    """The household's budget row, opened with the default cap if it has none yet. The
    caller holds the household's lock, so two writers never both open it."""
    budget = session.get(Budget, household_id, with_for_update=True)
    if budget is not None:
        return budget
    budget = Budget(household_id=household_id, cap_pence=default_cap)
    session.add(budget)
    session.add(
        BudgetCap(
            household_id=household_id, cap_pence=default_cap, reason=OPENING_REASON, set_by=actor.id
        )
    )
    session.flush()
    return budget


def record_spend(
    session: Session,
    *,
    actor: UserPublic,
    household_id: int,
    data: SpendInput,
    idempotency_key: str,
    default_cap: int,
    threshold: int,
) -> LedgerView:
    """Append a spend, or refuse one the budget cannot cover (beside the amount)."""
    household = household_in_scope(session, actor, household_id, lock=True)
    already = session.exec(
        select(LedgerEntry).where(LedgerEntry.idempotency_key == idempotency_key)
    ).first()
    if already is not None:
        if (already.household_id, already.amount_pence) != (household_id, data.amount):
            raise DataError("This entry's key was used for a different spend; nothing was saved.")
        return ledger_view(session, household, default_cap)
    if household.status in CLOSED_STATUSES:
        raise DataError("This household has left the programme: its budget takes no new spends.")
    check_member(session, household_id, data.person_id, "person_id")
    budget = _budget(session, actor, household_id, default_cap)
    refused = overspend(budget.balance, data.amount)
    if refused:
        raise FieldError("amount", refused)
    waits = needs_approval(data.amount, threshold)
    entry = LedgerEntry(
        household_id=household_id,
        kind=EntryKind.SPEND,
        spent_on=data.spent_on,
        amount_pence=data.amount,
        category=data.category,
        payee=data.payee,
        description=data.description,
        receipt_ref=data.receipt_ref,
        person_id=data.person_id,
        needs_approval=waits,
        entered_by=actor.id,
        idempotency_key=idempotency_key,
    )
    session.add(entry)
    if waits:
        budget.committed_pence += data.amount
    else:
        budget.spent_pence += data.amount
    session.flush()
    _audit(session, actor, "create", entry, data.model_dump())
    return ledger_view(session, household, default_cap)


def reverse_spend(
    session: Session,
    *,
    actor: UserPublic,
    household_id: int,
    entry_id: int,
    data: ReversalInput,
    today: date,
    default_cap: int,
) -> LedgerView:
    """Append the reversal of a counted spend, giving its amount back to the budget."""
    household = household_in_scope(session, actor, household_id, lock=True)
    spend = session.get(LedgerEntry, entry_id)
    if spend is None or spend.household_id != household_id or spend.kind != EntryKind.SPEND:
        raise NotFound("That spend is not on this household's ledger.")
    if _reversal_of(session, entry_id) is not None:
        raise DataError("This spend has already been reversed.")
    decision = _decision_on(session, entry_id)
    if (
        spend_state(spend.needs_approval, decision.decision if decision else None)
        is not SpendState.SPENT
    ):
        raise DataError("A spend waiting for approval or rejected is decided, not reversed.")
    budget = _budget(session, actor, household_id, default_cap)
    copied = ("amount_pence", "category", "payee", "description", "receipt_ref", "person_id")
    reversal = LedgerEntry(
        **{name: getattr(spend, name) for name in copied},
        household_id=household_id,
        kind=EntryKind.REVERSAL,
        spent_on=today,
        reverses_id=entry_id,
        reason=data.reason,
        entered_by=actor.id,
        idempotency_key=f"reversal-of-{entry_id}",
    )
    session.add(reversal)
    budget.spent_pence -= spend.amount_pence
    session.flush()
    _audit(session, actor, "reverse", reversal, {"reverses": entry_id, "reason": data.reason})
    return ledger_view(session, household, default_cap)


def decide_spend(
    session: Session,
    *,
    actor: UserPublic,
    entry_id: int,
    data: DecisionInput,
    default_cap: int,
) -> LedgerView:
    """A supervisor approves or rejects a waiting spend someone else entered."""
    _require_supervisor(actor, "approve or reject a spend")
    spend = session.get(LedgerEntry, entry_id)
    if spend is None:
        raise NotFound("That spend no longer exists.")
    household = household_in_scope(session, actor, spend.household_id, lock=True)
    if not spend.needs_approval or spend.kind != EntryKind.SPEND:
        raise DataError("That spend did not need approval.")
    if _decision_on(session, entry_id) is not None:
        raise DataError("That spend has already been decided.")
    if spend.entered_by == actor.id:
        raise Forbidden("You entered this spend: another supervisor decides it.")
    budget = _budget(session, actor, spend.household_id, default_cap)
    budget.committed_pence -= spend.amount_pence
    if data.decision is Decision.APPROVED:
        budget.spent_pence += spend.amount_pence
    decision = LedgerDecision(
        entry_id=entry_id, decision=data.decision, note=data.note, decided_by=actor.id
    )
    session.add(decision)
    session.flush()
    _audit(session, actor, data.decision.value, spend, data.model_dump())
    return ledger_view(session, household, default_cap)


def raise_cap(
    session: Session,
    *,
    actor: UserPublic,
    household_id: int,
    data: CapInput,
    default_cap: int,
) -> LedgerView:
    """A supervisor raises one household's cap, with the reason kept beside it."""
    _require_supervisor(actor, "raise a budget")
    household = household_in_scope(session, actor, household_id, lock=True)
    budget = _budget(session, actor, household_id, default_cap)
    if data.cap <= budget.cap_pence:
        raise FieldError("cap", f"The cap is {pounds(budget.cap_pence)}: enter a higher one.")
    before = budget.cap_pence
    budget.cap_pence = data.cap
    row = BudgetCap(
        household_id=household_id, cap_pence=data.cap, reason=data.reason, set_by=actor.id
    )
    session.add(row)
    session.flush()
    trail.record(
        session,
        actor=actor,
        action="raise",
        entity="budget",
        entity_id=household_id,
        household_id=household_id,
        changes={"cap_pence": [before, data.cap], "reason": [None, data.reason]},
    )
    return ledger_view(session, household, default_cap)


def pending_spends(session: Session, *, actor: UserPublic, limit: int = 200) -> list[PendingSpend]:
    """Spends waiting for a decision in the actor's scope, oldest first."""
    decided = select(LedgerDecision.entry_id)
    rows = session.exec(
        select(LedgerEntry, Household.reference, Household.local_authority, User.display_name)
        .join(Household, col(Household.id) == col(LedgerEntry.household_id))
        .join(User, col(User.id) == col(LedgerEntry.entered_by))
        .where(
            col(LedgerEntry.needs_approval),
            col(LedgerEntry.id).not_in(decided),
            household_scope(actor),
        )
        .order_by(col(LedgerEntry.id))
        .limit(limit)
    )
    return [
        PendingSpend(
            id=entry.id or 0,
            household_id=entry.household_id,
            reference=reference,
            local_authority=area,
            on=entry.spent_on,
            amount=entry.amount_pence,
            category=entry.category,
            payee=entry.payee,
            description=entry.description,
            entered_by=entry.entered_by,
            entered_by_name=name,
        )
        for entry, reference, area, name in rows
    ]


def _require_supervisor(actor: UserPublic, what: str) -> None:
    if not actor.can(Permission.OVERSEE):
        raise Forbidden(f"Only a supervisor or programme manager can {what}.")


def _reversal_of(session: Session, entry_id: int) -> LedgerEntry | None:
    return session.exec(select(LedgerEntry).where(LedgerEntry.reverses_id == entry_id)).first()


def _decision_on(session: Session, entry_id: int) -> LedgerDecision | None:
    return session.exec(select(LedgerDecision).where(LedgerDecision.entry_id == entry_id)).first()


def _audit(
    session: Session, actor: UserPublic, action: str, entry: LedgerEntry, values: dict[str, object]
) -> None:
    trail.record(
        session,
        actor=actor,
        action=action,
        entity="ledger_entry",
        entity_id=entry.id or 0,
        household_id=entry.household_id,
        changes=trail.diff({}, values),
    )
