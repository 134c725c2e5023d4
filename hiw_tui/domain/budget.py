"""The household support budget's rules, and what its forms submit.

A budget has a cap. A spend counts as *spent* at once, or, above the approval
threshold, as *committed* (waiting) until a supervisor other than the person who
entered it approves it (then spent) or rejects it (then nothing). A reversal gives a
counted spend's amount back. What remains is cap - spent - committed, and no spend may
take it below zero: a waiting spend holds its money so two large spends cannot both
be approved into an overspend.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from pydantic import Field, model_validator

from hiw_tui.domain.case_inputs import FormInput, ShortLine, not_future
from hiw_tui.domain.codes import BudgetCategory, Decision
from hiw_tui.domain.money import Pence, pounds
from hiw_tui.domain.validation import Line, Title

CORE_LIVING_COSTS = frozenset(
    {
        BudgetCategory.FUEL_VOUCHERS,
        BudgetCategory.FOOD,
        BudgetCategory.HYGIENE,
        BudgetCategory.CLOTHING,
    }
)
"""Spending the evaluators asked about, as it might belong elsewhere in the benefits
system: the spend report gives its share of each area's spending."""


@dataclass(frozen=True)
class Balance:
    cap: int
    spent: int = 0
    committed: int = 0

    @property
    def remaining(self) -> int:
        return self.cap - self.spent - self.committed

    def describe(self) -> str:
        """One line for the record, the list's detail and the ledger's heading."""
        waiting = f", {pounds(self.committed)} waiting" if self.committed else ""
        return (
            f"{pounds(self.remaining)} left of {pounds(self.cap)} "
            f"({pounds(self.spent)} spent{waiting})"
        )


class SpendState(StrEnum):
    SPENT = "spent"
    WAITING = "waiting"
    REJECTED = "rejected"


def spend_state(needs_approval: bool, decision: str | None) -> SpendState:
    """Where a spend stands: counted as spent (at once, or once approved), waiting for
    a decision, or rejected."""
    if not needs_approval or decision == Decision.APPROVED:
        return SpendState.SPENT
    return SpendState.WAITING if decision is None else SpendState.REJECTED


@dataclass(frozen=True)
class BudgetPolicy:
    """The programme's budget settings, built once from Settings and handed to whatever
    opens a budget or posts a spend."""

    cap_pence: int
    """A budget's cap when it opens."""
    approval_threshold_pence: int
    """A spend above this waits for a supervisor."""

    def needs_approval(self, amount: int) -> bool:
        return needs_approval(amount, self.approval_threshold_pence)


def needs_approval(amount: int, threshold: int) -> bool:
    """A spend above the threshold waits for a supervisor; one of exactly it does not."""
    return amount > threshold


def overspend(balance: Balance, amount: int) -> str | None:
    """Why `amount` cannot be spent from `balance`, or None when it can."""
    if amount <= balance.remaining:
        return None
    waiting = f" and {pounds(balance.committed)} waiting for approval" if balance.committed else ""
    return (
        f"Only {pounds(balance.remaining)} of this household's budget remains "
        f"({pounds(balance.spent)} spent{waiting})."
    )


class SpendInput(FormInput):
    """One spend from a household's budget, for the household or one member."""

    amount: Pence
    category: BudgetCategory
    payee: Title
    description: ShortLine = ""
    receipt_ref: Line = Field(default="", max_length=60)
    person_id: int | None = Field(default=None, gt=0)
    spent_on: date

    @model_validator(mode="after")
    def _dated(self) -> SpendInput:
        not_future(self.spent_on, "spent_on", "The date of a spend")
        return self


class ReversalInput(FormInput):
    """Why a spend is reversed: a reversal corrects a mistake, it is never silent."""

    reason: Title


class DecisionInput(FormInput):
    """A supervisor's approval or rejection of a waiting spend; a rejection says why."""

    decision: Decision
    note: ShortLine = ""

    @model_validator(mode="after")
    def _explained(self) -> DecisionInput:
        if self.decision is Decision.REJECTED and not self.note:
            raise ValueError("note: Say why the spend is rejected.")
        return self


class CapInput(FormInput):
    """A raised cap for one household's budget, with the reason for it."""

    cap: Pence
    reason: Title
