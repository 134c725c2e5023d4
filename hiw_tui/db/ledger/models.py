"""The support-budget tables and the read models of the ledger.

`ledger_entry`, `ledger_decision` and `budget_cap` are append-only: the database's own
triggers refuse UPDATE and DELETE on them (migration 0004). `budget` holds each opened
budget's running totals, changed in the same transaction as every row appended; a
CHECK keeps it from ever showing an overspend, and `hiw-tui ledger check` recomputes it
from the append-only rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from sqlalchemy import CheckConstraint, DateTime, Index
from sqlmodel import Field, SQLModel

from hiw_tui.db.core.models import ReadModel, ref_field, utcnow
from hiw_tui.domain.budget import Balance, SpendState, spend_state
from hiw_tui.domain.codes import BudgetCategory, Decision, EntryKind, LocalAuthority


class Budget(SQLModel, table=True):
    """A household's budget, opened at its first spend or cap change."""

    __tablename__ = "budget"
    __table_args__ = (
        CheckConstraint("spent_pence >= 0 AND committed_pence >= 0", name="ck_budget_positive"),
        CheckConstraint("spent_pence + committed_pence <= cap_pence", name="ck_budget_cap"),
    )

    household_id: int = Field(foreign_key="household.id", primary_key=True)
    cap_pence: int
    spent_pence: int = 0
    committed_pence: int = 0

    @property
    def balance(self) -> Balance:
        return Balance(self.cap_pence, self.spent_pence, self.committed_pence)


class BudgetCap(SQLModel, table=True):
    """A budget's cap as set: the opening cap, then each raise with its reason."""

    __tablename__ = "budget_cap"

    id: int | None = Field(default=None, primary_key=True)
    ref: str | None = ref_field()
    household_id: int = Field(foreign_key="household.id", index=True)
    cap_pence: int
    reason: str = Field(max_length=200)
    set_by: int = Field(foreign_key="app_user.id")
    set_at: datetime = Field(default_factory=utcnow, sa_type=DateTime(timezone=True))


class LedgerEntry(SQLModel, table=True):
    """A spend, or the reversal of one (`reverses_id`, at most one per spend)."""

    __tablename__ = "ledger_entry"
    __table_args__ = (
        CheckConstraint("amount_pence > 0", name="ck_ledger_entry_amount"),
        Index("ix_ledger_entry_household_on", "household_id", "spent_on"),
        Index("ix_ledger_entry_spent_on", "spent_on"),
    )

    id: int | None = Field(default=None, primary_key=True)
    ref: str | None = ref_field()
    household_id: int = Field(foreign_key="household.id")
    kind: str = Field(max_length=16)
    spent_on: date
    amount_pence: int
    category: str = Field(max_length=32)
    payee: str = Field(max_length=200)
    description: str = Field(default="", max_length=200)
    receipt_ref: str = Field(default="", max_length=60)
    person_id: int | None = Field(default=None, foreign_key="person.id")
    reverses_id: int | None = Field(default=None, foreign_key="ledger_entry.id", unique=True)
    reason: str = Field(default="", max_length=200)
    needs_approval: bool = False
    entered_by: int = Field(foreign_key="app_user.id")
    entered_at: datetime = Field(default_factory=utcnow, sa_type=DateTime(timezone=True))
    idempotency_key: str = Field(max_length=64, unique=True)


class LedgerDecision(SQLModel, table=True):
    """The approval or rejection of a spend that waited for one (at most one each)."""

    __tablename__ = "ledger_decision"

    id: int | None = Field(default=None, primary_key=True)
    entry_id: int = Field(foreign_key="ledger_entry.id", unique=True)
    decision: str = Field(max_length=16)
    note: str = Field(default="", max_length=200)
    decided_by: int = Field(foreign_key="app_user.id")
    decided_at: datetime = Field(default_factory=utcnow, sa_type=DateTime(timezone=True))


class SpendMonth(SQLModel, table=True):
    """Spending kept per advocate, area, month and category, as the spend report counts
    it, so the report reads thousands of these rather than every ledger row. A group is
    kept wherever the ledger has rows, even where they net to nothing (a rejected spend,
    a reversal in a later month). Restated for an advocate from the ledger
    (`hiw_tui.db.ledger.monthly`) whenever their households' ledgers, advocate or area
    change; `hiw-tui ledger check` compares."""

    __tablename__ = "spend_month"

    advocate_id: int = Field(foreign_key="app_user.id", primary_key=True)
    local_authority: str = Field(max_length=32, primary_key=True)
    month: date = Field(primary_key=True)
    """The first day of the month."""
    category: str = Field(max_length=32, primary_key=True)
    entries: int
    spent_pence: int
    waiting_pence: int


def budget_balance(budget: Budget | None) -> Balance | None:
    """An opened budget's balance; None for one not opened (the default cap applies)."""
    return budget.balance if budget is not None else None


# ---- read models ----


class LedgerLine(ReadModel):
    """One line of a household's register: a cap set, a spend or a reversal.

    `change` is what the line did to the remaining budget (a rejected spend: nothing),
    `left` what remained after it, in the register's order.
    """

    kind: Literal["cap"] | EntryKind
    """"cap" (the cap was set), or what the entry was."""
    id: int
    on: date
    amount: int
    change: int
    left: int
    category: BudgetCategory | None = None
    payee: str = ""
    description: str = ""
    receipt_ref: str = ""
    person_name: str | None = None
    entered_by: int
    entered_by_name: str
    entered_at: datetime
    reason: str = ""
    reverses_id: int | None = None
    reversed_by_id: int | None = None
    needs_approval: bool = False
    decision: Decision | None = None
    decided_by_name: str | None = None
    decision_note: str = ""

    @property
    def state(self) -> SpendState | None:
        """Where a spend stands; None for a cap or a reversal."""
        if self.kind != EntryKind.SPEND:
            return None
        return spend_state(self.needs_approval, self.decision)

    @property
    def pending(self) -> bool:
        return self.state is SpendState.WAITING

    @property
    def reversible(self) -> bool:
        """A counted spend not yet reversed (a waiting or rejected one is decided instead)."""
        return self.state is SpendState.SPENT and self.reversed_by_id is None


class LedgerView(ReadModel):
    """A household's budget and its register, oldest line first."""

    household_id: int
    reference: str
    opened: bool
    """Whether the budget has been opened; if not, the cap is the default now in force."""
    cap: int
    spent: int
    committed: int
    lines: tuple[LedgerLine, ...] = ()

    @property
    def balance(self) -> Balance:
        return Balance(self.cap, self.spent, self.committed)


class PendingSpend(ReadModel):
    """A spend waiting for a supervisor, on the approvals list."""

    id: int
    household_id: int
    reference: str
    local_authority: LocalAuthority
    on: date
    amount: int
    category: BudgetCategory
    payee: str
    description: str
    entered_by: int
    entered_by_name: str
    entered_at: datetime
    """When it was entered: the queue's order, and how long it has waited."""
    balance: Balance
    """Its household's budget now, this spend among what is waiting."""


@dataclass(frozen=True, slots=True)
class SpendRow:
    """Spending in one month, area, advocate and category (reversals netted off). A plain
    class: the spend report makes one for each of tens of thousands of groups."""

    month: str
    local_authority: LocalAuthority
    advocate: str
    category: BudgetCategory
    entries: int
    spent: int
    waiting: int
