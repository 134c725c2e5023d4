"""The ledger's forms: a spend, a reversal, a supervisor's decision and a raised cap.

Each saves one append-only row through its query function and dismisses with the
household's ledger as it now stands. The spend form says live what the amount typed
would leave, or why it cannot be spent, and keeps one idempotency key for its life:
saving twice (a double keypress, a retry after a lost connection) saves once.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from functools import partial

from rich.text import Text
from textual.widget import Widget
from textual.widgets import Input, Static

from hiw_tui.db.core.engine import Query
from hiw_tui.db.core.models import HouseholdPublic
from hiw_tui.db.ledger.models import LedgerLine, LedgerView, PendingSpend
from hiw_tui.db.ledger.posting import decide_spend, raise_cap, record_spend, reverse_spend
from hiw_tui.domain.budget import (
    Balance,
    BudgetPolicy,
    CapInput,
    DecisionInput,
    ReversalInput,
    SpendInput,
    overspend,
)
from hiw_tui.domain.codes import BudgetCategory, Decision
from hiw_tui.domain.money import parse_pounds, pounds
from hiw_tui.screens.base.form import FormScreen
from hiw_tui.screens.base.form_fields import (
    choice_field,
    code_field,
    date_field,
    member_choices,
    text_field,
)
from hiw_tui.widgets.field import FormField
from hiw_tui.widgets.text import user_text


class SpendForm(FormScreen[SpendInput, LedgerView]):
    model = SpendInput
    heading = "Record a spend"

    def __init__(
        self,
        record: HouseholdPublic,
        balance: Balance,
        *,
        policy: BudgetPolicy,
        today: date,
    ) -> None:
        super().__init__()
        self.record, self.balance, self.today, self.policy = record, balance, today, policy
        self.idempotency_key = uuid.uuid4().hex

    def fields(self) -> Sequence[Widget]:
        return [
            text_field("Amount (£)", "amount", hint="e.g. 12.50"),
            Static(self._effect("")[1], id="spend-effect", markup=False),
            code_field("Category", "category", BudgetCategory, None),
            text_field("Paid to", "payee"),
            text_field("What for", "description"),
            text_field("Receipt ref.", "receipt_ref"),
            choice_field(
                "For", "person_id", member_choices(self.record), None, prompt="The whole household"
            ),
            date_field("Date", "spent_on", self.today),
        ]

    def _effect(self, typed: str) -> tuple[str | None, str]:
        """What is wrong with the amount typed (None: nothing), and what it would do."""
        left = f"{pounds(self.balance.remaining)} left."
        if not typed.strip():
            threshold = pounds(self.policy.approval_threshold_pence)
            return None, f"{left} Above {threshold} waits for a supervisor."
        try:
            amount = parse_pounds(typed)
        except ValueError as error:
            return str(error), left
        refused = overspend(self.balance, amount)
        if refused:  # what remains is said in the refusal; what to do, below it
            return refused, RAISE_CAP
        after = f"{pounds(self.balance.remaining - amount)} left after this"
        if self.policy.needs_approval(amount):
            return None, f"⌛ {after}; it waits for a supervisor's approval."
        return None, f"✓ {after}."

    def on_input_changed(self, event: Input.Changed) -> None:
        """Say at once, beside the amount, what is wrong with it or what it leaves."""
        if event.input.id == "amount":
            problem, effect = self._effect(event.value)
            self.query_one("#field-amount", FormField).show_error(problem)
            self.query_one("#spend-effect", Static).update(effect)

    def show_errors(self, errors: dict[str, str]) -> None:
        """An amount the budget cannot meet stays marked beside it while other fields are
        marked too (the model alone, which checks the others, cannot see it)."""
        problem, _ = self._effect(self.query_one("#amount", Input).value)
        if errors and problem and "amount" not in errors:
            errors = {"amount": problem, **errors}
        super().show_errors(errors)

    def save(self, data: SpendInput) -> Query[LedgerView]:
        return partial(
            record_spend,
            data=data,
            household_id=self.record.id,
            idempotency_key=self.idempotency_key,
            policy=self.policy,
        )


def _entry_summary(line: LedgerLine | PendingSpend) -> Static:
    category = line.category.label if line.category else ""
    summary = Text.assemble(
        (f"{line.on.isoformat()}  {pounds(line.amount)}  {category}\n", "bold"),
        user_text(f"{line.payee}: {line.description}" if line.description else line.payee),
        f"\nEntered by {line.entered_by_name}",
    )
    return Static(summary, classes="entry-summary")


class ReversalForm(FormScreen[ReversalInput, LedgerView]):
    model = ReversalInput
    heading = "Reverse a spend"

    def __init__(
        self, household_id: int, line: LedgerLine, *, today: date, policy: BudgetPolicy
    ) -> None:
        super().__init__()
        self.household_id, self.line, self.today, self.policy = household_id, line, today, policy

    def fields(self) -> Sequence[Widget]:
        return [
            text_field("Reason", "reason", hint="why this spend is wrong"),
            _entry_summary(self.line),
            Static("The spend stays on the ledger; its amount goes back to the budget."),
        ]

    def save(self, data: ReversalInput) -> Query[LedgerView]:
        return partial(
            reverse_spend,
            data=data,
            household_id=self.household_id,
            entry_id=self.line.id,
            today=self.today,
            policy=self.policy,
        )


class DecisionForm(FormScreen[DecisionInput, LedgerView]):
    """Approve or reject a waiting spend; `line` is a ledger line or a pending spend."""

    model = DecisionInput
    heading = "Decide a spend waiting for approval"
    AUTO_FOCUS = "#note"
    """The decision is made by the key that opened the form (a or x); what is typed
    next is the note, which a rejection needs."""

    def __init__(
        self,
        line: LedgerLine | PendingSpend,
        decision: Decision,
        *,
        reference: str,
        balance: Balance,
        policy: BudgetPolicy,
    ) -> None:
        """`reference` and `balance` are the spend's household and its budget now (the
        spend among what is waiting), which the decision is made against."""
        super().__init__()
        self.line, self.decision, self.policy = line, decision, policy
        self.reference, self.balance = reference, balance

    def fields(self) -> Sequence[Widget]:
        return [
            code_field("Decision", "decision", Decision, self.decision.value),
            text_field("Note", "note", hint="needed when rejecting"),
            _entry_summary(self.line),
            Static(
                f"{self.reference}'s budget now:\n{self.balance.describe()}\n"
                "Approving spends what is waiting; rejecting gives it back to the budget.",
                markup=False,
            ),
        ]

    def save(self, data: DecisionInput) -> Query[LedgerView]:
        return partial(decide_spend, data=data, entry_id=self.line.id, policy=self.policy)


OWN_SPEND = "You entered this spend: a colleague decides it."
RAISE_CAP = "A supervisor can raise the cap: C on the ledger."


class CapForm(FormScreen[CapInput, LedgerView]):
    model = CapInput
    heading = "Raise this household's budget"

    def __init__(self, household_id: int, balance: Balance, *, policy: BudgetPolicy) -> None:
        super().__init__()
        self.household_id, self.balance, self.policy = household_id, balance, policy

    def fields(self) -> Sequence[Widget]:
        return [
            text_field("New cap (£)", "cap", hint=f"more than {pounds(self.balance.cap)}"),
            text_field("Reason", "reason"),
            Static(f"Now: {self.balance.describe()}", markup=False),
        ]

    def save(self, data: CapInput) -> Query[LedgerView]:
        return partial(raise_cap, data=data, household_id=self.household_id, policy=self.policy)
