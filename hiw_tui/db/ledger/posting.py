"""Spending a household's support budget: spends, reversals, approvals and cap raises.

One function, `post`, changes a budget, whoever posts (a ledger screen, the import,
the demo): it locks the household rows and then their budgets (`SELECT ... FOR UPDATE`
on PostgreSQL, always in ascending household id so two posters never wait on each
other; an SQLite write transaction is already exclusive), opens a budget not yet
opened, checks each row against the cap in order, and appends the rows with the
totals they move and their audit rows, in the caller's transaction. So a spend is never
checked against a remaining amount that another writer has already spent, and the
totals never take a path of their own. What a budget opens at and what waits for
approval come from one `BudgetPolicy`, built once from Settings.

A spend carries an idempotency key: saving it again (a double keypress, a retry after a
lost connection) returns the entry already saved.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from hiw_tui.db.audit import trail
from hiw_tui.db.casework.rows import check_member
from hiw_tui.db.core.errors import DataError, FieldError, Forbidden, NotFound
from hiw_tui.db.core.ids import new_ids
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
from hiw_tui.db.ledger.monthly import advocates_of, months_of, restate_spend_months
from hiw_tui.db.ledger.register import ledger_view
from hiw_tui.domain.access import Permission
from hiw_tui.domain.budget import (
    BudgetPolicy,
    CapInput,
    DecisionInput,
    ReversalInput,
    SpendInput,
    SpendState,
    overspend,
    spend_state,
)
from hiw_tui.domain.codes import (
    CLOSED_STATUSES,
    BudgetCategory,
    Decision,
    EntryKind,
    LocalAuthority,
)
from hiw_tui.domain.money import pounds

OPENING_REASON = "Opening budget (the default cap)"
LOCK_CHUNK = 1_000
"""Households locked per statement (a bound on the statement's parameters)."""


@dataclass(frozen=True)
class Posting:
    """One row appended to a household's ledger: a spend, a reversal, a decision on a
    waiting spend, or a cap set."""

    household_id: int
    row: LedgerEntry | LedgerDecision | BudgetCap
    audit: tuple[str, dict[str, Any]] | None = None
    """(action, changes) for its audit row; None where the caller audits the whole
    batch once (an import, the demo)."""
    opens: bool = False
    """A cap set (`row`) that opens the budget, in place of the policy's opening cap."""
    spend: LedgerEntry | None = None
    """For a reversal or a decision on a spend posted earlier in the same call: that
    spend, whose id it takes (`reverses_id`, `entry_id`) once it has one."""
    line: int = 0
    """The file row it was read from (an import), so that a refusal can name it."""


class Overspent(FieldError):
    """`post` refused `posting`: it would take more than its budget has left. Shown
    beside the amount on a form; an import reports the row (`posting.line`)."""

    def __init__(self, posting: Posting, message: str) -> None:
        super().__init__("amount", message)
        self.posting = posting


def household_ledger(
    session: Session,
    *,
    actor: UserPublic,
    household_id: int,
    policy: BudgetPolicy,
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
    return ledger_view(session, household, policy)


def lock_budgets(session: Session, household_ids: Iterable[int]) -> dict[int, Budget]:
    """Lock the households' rows, then their opened budgets, until the transaction ends;
    the budgets as they are now (read again, whatever the session held before)."""
    ordered = sorted(set(household_ids))
    budgets: dict[int, Budget] = {}
    for start in range(0, len(ordered), LOCK_CHUNK):
        part = ordered[start : start + LOCK_CHUNK]
        session.exec(
            select(Household.id)
            .where(col(Household.id).in_(part))
            .order_by(col(Household.id))
            .with_for_update()
        ).all()
    for start in range(0, len(ordered), LOCK_CHUNK):
        part = ordered[start : start + LOCK_CHUNK]
        statement = (
            select(Budget)
            .where(col(Budget.household_id).in_(part))
            .order_by(col(Budget.household_id))
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        budgets.update((budget.household_id, budget) for budget in session.exec(statement))
    return budgets


def post(
    session: Session, *, actor: UserPublic, policy: BudgetPolicy, postings: Sequence[Posting]
) -> dict[int, Budget]:
    """Append `postings` in order and move their budgets' totals with them: the one way a
    budget changes. A budget not yet opened opens at the policy's cap, or with its first
    posting if that `opens` it. A posting that would take more than remains is
    refused (`Overspent`, a FieldError on "amount") and nothing is written. Rows are
    inserted in the order posted (each table's), so their ids follow it. The spending kept
    by month for the report is restated with them (`monthly`). The budgets, after."""
    budgets = lock_budgets(session, (posting.household_id for posting in postings))
    _number_entries(session, postings)
    decisions: list[LedgerDecision] = []
    for posting in postings:
        row = posting.row
        budget = budgets.get(posting.household_id)
        if budget is None:
            opening = row if posting.opens and isinstance(row, BudgetCap) else None
            budget = _open(session, actor, posting, policy, opening)
            budgets[posting.household_id] = budget
            if opening is not None:
                continue
        spent, committed = _moves(session, posting)
        refused = overspend(budget.balance, spent + committed) if spent + committed > 0 else None
        if refused:
            raise Overspent(posting, refused)
        budget.spent_pence += spent
        budget.committed_pence += committed
        if isinstance(row, BudgetCap):
            budget.cap_pence = row.cap_pence
        _link(session, posting)
        if isinstance(row, LedgerDecision):
            decisions.append(row)
        else:
            session.add(row)
    session.flush()  # the new spends, before the decisions on them
    session.add_all(decisions)
    session.flush()
    for posting in postings:
        if posting.audit is not None:
            _audit(session, actor, posting)
    spending = [p for p in postings if not isinstance(p.row, BudgetCap)]
    months = months_of(_spent_on(session, p) for p in spending)
    if months is not None:
        advocates = advocates_of(session, (p.household_id for p in spending))
        restate_spend_months(session, advocates, months)
    return budgets


def _spent_on(session: Session, posting: Posting) -> date:
    """The date an entry, or the spend a decision is on, counts in the spend report."""
    row = posting.row
    entry = (
        posting.spend or session.get(LedgerEntry, row.entry_id)
        if isinstance(row, LedgerDecision)
        else row
    )
    assert isinstance(entry, LedgerEntry)
    return entry.spent_on


def _open(
    session: Session,
    actor: UserPublic,
    first: Posting,
    policy: BudgetPolicy,
    opening: BudgetCap | None,
) -> Budget:
    """A budget opened at `opening`'s cap, or at the policy's with the opening reason as
    `first` is entered (the register puts a cap before a spend entered with it)."""
    if opening is None:
        opening = BudgetCap(
            household_id=first.household_id,
            cap_pence=policy.cap_pence,
            reason=OPENING_REASON,
            set_by=actor.id,
        )
        row = first.row
        if isinstance(row, LedgerEntry):
            opening.set_at = row.entered_at
        elif isinstance(row, BudgetCap):
            opening.set_at = row.set_at
    budget = Budget(household_id=first.household_id, cap_pence=opening.cap_pence)
    session.add(budget)
    session.add(opening)
    return budget


def _number_entries(session: Session, postings: Sequence[Posting]) -> None:
    """Give the new entries among `postings` their ids, in the order posted, so that a
    reversal or decision posted with its spend can name it without a flush each (an
    import posts tens of thousands)."""
    entries = [
        posting.row
        for posting in postings
        if isinstance(posting.row, LedgerEntry) and posting.row.id is None
    ]
    table: Any = LedgerEntry.__table__  # type: ignore[attr-defined]  # a table model
    for entry, entry_id in zip(entries, new_ids(session, table, len(entries)), strict=True):
        entry.id = entry_id


def _link(session: Session, posting: Posting) -> None:
    """Point a reversal or a decision at the spend posted before it in the same call."""
    if posting.spend is None:
        return
    if isinstance(posting.row, LedgerEntry):
        posting.row.reverses_id = posting.spend.id
    elif isinstance(posting.row, LedgerDecision):
        posting.row.entry_id = posting.spend.id or 0


def _moves(session: Session, posting: Posting) -> tuple[int, int]:
    """What appending the posting's row adds to its budget's (spent, committed)."""
    row = posting.row
    if isinstance(row, LedgerEntry):
        if row.kind == EntryKind.REVERSAL:
            return -row.amount_pence, 0
        return (0, row.amount_pence) if row.needs_approval else (row.amount_pence, 0)
    if isinstance(row, LedgerDecision):
        spend = posting.spend or session.get(LedgerEntry, row.entry_id)
        amount = spend.amount_pence if spend is not None else 0
        return (amount if row.decision == Decision.APPROVED else 0), -amount
    return 0, 0


def record_spend(
    session: Session,
    *,
    actor: UserPublic,
    household_id: int,
    data: SpendInput,
    idempotency_key: str,
    policy: BudgetPolicy,
) -> LedgerView:
    """Append a spend, or refuse one the budget cannot cover (beside the amount)."""
    household = household_in_scope(session, actor, household_id, lock=True)
    already = session.exec(
        select(LedgerEntry).where(LedgerEntry.idempotency_key == idempotency_key)
    ).first()
    if already is not None:
        if (already.household_id, already.amount_pence) != (household_id, data.amount):
            raise DataError("This entry's key was used for a different spend; nothing was saved.")
        return ledger_view(session, household, policy)
    if household.status in CLOSED_STATUSES:
        raise DataError("This household has left the programme: its budget takes no new spends.")
    check_member(session, household_id, data.person_id, "person_id")
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
        needs_approval=policy.needs_approval(data.amount),
        entered_by=actor.id,
        idempotency_key=idempotency_key,
    )
    audit = ("create", trail.diff({}, data.model_dump()))
    post(session, actor=actor, policy=policy, postings=[Posting(household_id, entry, audit)])
    return ledger_view(session, household, policy)


def reverse_spend(
    session: Session,
    *,
    actor: UserPublic,
    household_id: int,
    entry_id: int,
    data: ReversalInput,
    today: date,
    policy: BudgetPolicy,
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
    audit = ("reverse", trail.diff({}, {"reverses": entry_id, "reason": data.reason}))
    post(session, actor=actor, policy=policy, postings=[Posting(household_id, reversal, audit)])
    return ledger_view(session, household, policy)


def decide_spend(
    session: Session,
    *,
    actor: UserPublic,
    entry_id: int,
    data: DecisionInput,
    policy: BudgetPolicy,
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
    decision = LedgerDecision(
        entry_id=entry_id, decision=data.decision, note=data.note, decided_by=actor.id
    )
    audit = (data.decision.value, trail.diff({}, data.model_dump()))
    post(
        session,
        actor=actor,
        policy=policy,
        postings=[Posting(spend.household_id, decision, audit)],
    )
    return ledger_view(session, household, policy)


def raise_cap(
    session: Session,
    *,
    actor: UserPublic,
    household_id: int,
    data: CapInput,
    policy: BudgetPolicy,
) -> LedgerView:
    """A supervisor raises one household's cap, with the reason kept beside it."""
    _require_supervisor(actor, "raise a budget")
    household = household_in_scope(session, actor, household_id, lock=True)
    budget = lock_budgets(session, [household_id]).get(household_id)
    before = budget.cap_pence if budget is not None else policy.cap_pence
    if data.cap <= before:
        raise FieldError("cap", f"The cap is {pounds(before)}: enter a higher one.")
    row = BudgetCap(
        household_id=household_id, cap_pence=data.cap, reason=data.reason, set_by=actor.id
    )
    audit = ("raise", {"cap_pence": [before, data.cap], "reason": [None, data.reason]})
    post(session, actor=actor, policy=policy, postings=[Posting(household_id, row, audit)])
    return ledger_view(session, household, policy)


def pending_spends(
    session: Session, *, actor: UserPublic, limit: int = 200, audited: bool = True
) -> list[PendingSpend]:
    """Spends waiting for a decision in the actor's scope, longest waiting first: in the
    order entered (by when, not by row: an import writes rows out of that order), as a
    spend may be dated earlier than it was entered. A spend's payee
    and description are its household's data: reading the queue is audited as a view
    of each household on it."""
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
        .order_by(col(LedgerEntry.entered_at), col(LedgerEntry.id))
        .limit(limit)
    ).all()
    households = {entry.household_id for entry, *_ in rows}
    budgets = session.exec(select(Budget).where(col(Budget.household_id).in_(households)))
    balances = {budget.household_id: budget.balance for budget in budgets}
    spends = [
        PendingSpend(
            id=entry.id or 0,
            household_id=entry.household_id,
            reference=reference,
            local_authority=LocalAuthority(area),
            on=entry.spent_on,
            amount=entry.amount_pence,
            category=BudgetCategory(entry.category),
            payee=entry.payee,
            description=entry.description,
            entered_by=entry.entered_by,
            entered_by_name=name,
            entered_at=entry.entered_at,
            balance=balances[entry.household_id],  # opened by the spend at the latest
        )
        for entry, reference, area, name in rows
    ]
    for household_id in sorted(households if audited else ()):
        trail.record(
            session,
            actor=actor,
            action="view",
            entity="approvals",
            entity_id=household_id,
            household_id=household_id,
        )
    return spends


def _require_supervisor(actor: UserPublic, what: str) -> None:
    if not actor.can(Permission.OVERSEE):
        raise Forbidden(f"Only a supervisor or programme manager can {what}.")


def _reversal_of(session: Session, entry_id: int) -> LedgerEntry | None:
    return session.exec(select(LedgerEntry).where(LedgerEntry.reverses_id == entry_id)).first()


def _decision_on(session: Session, entry_id: int) -> LedgerDecision | None:
    return session.exec(select(LedgerDecision).where(LedgerDecision.entry_id == entry_id)).first()


def _audit(session: Session, actor: UserPublic, posting: Posting) -> None:
    """A posting's audit row: a cap set is the budget's, anything else its spend's."""
    assert posting.audit is not None
    action, changes = posting.audit
    row = posting.row
    entity, entity_id = "ledger_entry", row.entry_id if isinstance(row, LedgerDecision) else row.id
    if isinstance(row, BudgetCap):
        entity, entity_id = "budget", posting.household_id
    trail.record(
        session,
        actor=actor,
        action=action,
        entity=entity,
        entity_id=entity_id or 0,
        household_id=posting.household_id,
        changes=changes,
    )
