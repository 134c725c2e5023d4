"""A household's support-budget ledger: the register with its running balance, newest
first, and the keys that append to it (a spend, a reversal, a decision, a raised cap).

Nothing here edits or deletes a line: a mistake is reversed, with a reason, and the
reversal is a line of its own. The filter hides lines, never changes what is left: the
Left column is always what remained of the whole budget after that line.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any

from rich.console import RenderableType
from rich.text import Text
from textual.binding import Binding

from hiw_tui.db.core.engine import Query
from hiw_tui.db.core.models import HouseholdPublic
from hiw_tui.db.ledger.models import LedgerLine, LedgerView
from hiw_tui.db.ledger.posting import household_ledger
from hiw_tui.domain.access import Permission
from hiw_tui.domain.budget import Balance, SpendState
from hiw_tui.domain.codes import CLOSED_STATUSES, BudgetCategory, Decision
from hiw_tui.domain.dates import local_time
from hiw_tui.domain.money import pounds
from hiw_tui.screens.base.case_list import CaseListScreen
from hiw_tui.screens.base.form import FormScreen
from hiw_tui.screens.dialogs.ledger_filter import LedgerFilter, LedgerFilterScreen
from hiw_tui.screens.ledger.ledger_forms import (
    OWN_SPEND,
    CapForm,
    DecisionForm,
    ReversalForm,
    SpendForm,
)
from hiw_tui.settings import Settings
from hiw_tui.widgets.text import user_text


def line_status(line: LedgerLine) -> str:
    """What became of a line, in words (never by colour alone)."""
    if line.kind == "cap":
        return "budget set"
    if line.kind == "reversal":
        return "reversal"
    if line.state is SpendState.WAITING:
        return "⌛ waiting"
    if line.state is SpendState.REJECTED:
        return "✗ rejected"
    if line.reversed_by_id is not None:
        return "↺ reversed"
    return "✓ approved" if line.decision else "✓ spent"


class LedgerScreen(CaseListScreen[LedgerLine]):
    TITLE = "Support budget"
    EDIT_ACTIONS = frozenset({"decide", "new", "raise_cap", "reverse"})
    BINDINGS = [
        Binding("n", "new", "Spend"),
        Binding("r", "reverse", "Reverse"),
        Binding("a", "decide('approved')", "Approve"),
        Binding("x", "decide('rejected')", "Reject"),
        Binding("slash", "filter", "Filter", key_display="/"),
        Binding("C", "raise_cap", "Raise cap", show=False),
        Binding("enter", "edit", "Details", show=False),  # a line is never edited
    ]
    COLUMNS = (
        ("on", "Date"),
        ("what", "What"),
        ("amount", "Amount"),
        ("status", "Status"),
        ("left", "Left"),
    )
    STRETCH = "what"
    EMPTY = "Nothing spent yet: n records a spend."

    def __init__(self, record: HouseholdPublic) -> None:
        super().__init__(record)
        self.view: LedgerView | None = None
        self.filter = LedgerFilter()

    @property
    def settings(self) -> Settings:
        return self.hiw_app.settings

    def list_query(self, *, audited: bool) -> Query[LedgerView]:
        return partial(
            household_ledger,
            household_id=self.household_id,
            policy=self.hiw_app.budget_policy,
            audited=audited,
        )

    @property
    def balance(self) -> Balance:
        if self.view is not None:
            return self.view.balance
        return Balance(self.settings.budget_cap_pence)

    def received(self, result: Any) -> list[LedgerLine]:
        self.view = result
        return [line for line in reversed(result.lines) if self.filter.keeps(line)]

    def row_key(self, item: LedgerLine) -> str:
        return f"{item.kind}-{item.id}"

    def heading(self) -> Text:
        title = super().heading()
        title.append(f"\n{self.balance.describe()}", style="")
        shown = self.filter.describe()
        if shown:
            title.append(f"\n{shown} (/ changes it)", style="italic")
        return title

    def cells(self, item: LedgerLine) -> Sequence[RenderableType]:
        if item.kind == "cap":
            what = Text("Budget")
        else:
            what = user_text(f"{_category(item)}: {item.payee}")
        sign = "+" if item.change > 0 else "-" if item.change < 0 else " "
        return (
            Text(item.on.isoformat()),
            what,
            Text(f"{sign}{pounds(item.amount)}", justify="right"),
            Text(line_status(item)),
            Text(pounds(item.left), justify="right"),
        )

    def detail(self, item: LedgerLine) -> RenderableType:
        entered = f"{item.entered_by_name}, {local_time(item.entered_at)}"
        if item.kind == "cap":
            return Text.assemble(
                ("Cap ", "bold"),
                pounds(item.amount),
                ": ",
                user_text(item.reason),
                f"\nSet by {entered}",
            )
        parts: list[Any] = [
            (f"{_category(item)}: ", "bold"),
            user_text(item.description or item.payee, style="bold"),
            *(["  paid to ", user_text(item.payee)] if item.description else []),
            f"  for {item.person_name or 'the household'}",
            f"  receipt {item.receipt_ref or '—'}",
        ]
        if item.decision:  # what the enterer most needs to know, before who entered it
            parts += [f"\n{item.decision.capitalize()} by {item.decided_by_name}: "]
            parts += [user_text(item.decision_note or "—")]
        if item.reverses_id:
            parts += ["\nReverses an earlier spend: ", user_text(item.reason)]
        parts.append(f"\nEntered by {entered}")
        return Text.assemble(*parts)

    def _supervises(self) -> bool:
        return self.hiw_app.actor.can(Permission.OVERSEE)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not super().check_action(action, parameters):
            return False
        line = self.current()
        if action == "decide":  # offered on any waiting spend; one's own is refused, saying why
            return self._supervises() and line is not None and line.pending
        if action == "raise_cap":
            return self._supervises()
        if action == "reverse":
            return line is not None and line.reversible
        if action == "new":  # a household that has left takes no new spends
            return self.record is None or self.record.status not in CLOSED_STATUSES
        return True

    def form(self, item: LedgerLine | None) -> FormScreen[Any, Any]:
        assert self.record is not None
        return SpendForm(
            self.record,
            self.balance,
            policy=self.hiw_app.budget_policy,
            today=self.hiw_app.today(),
        )

    def action_edit(self) -> None:
        """A line is never edited: its details are already below the table."""

    def action_back(self) -> None:
        self.dismiss(None)  # the record then shows the budget as it now stands

    def action_reverse(self) -> None:
        line = self.current()
        if line is None or not line.reversible or self.record is None:
            return
        form = ReversalForm(
            self.record.id,
            line,
            today=self.hiw_app.today(),
            policy=self.hiw_app.budget_policy,
        )
        self.app.push_screen(form, self._saved)

    def action_decide(self, decision: str) -> None:
        """A supervisor decides a waiting spend that someone else entered."""
        line = self.current()
        if line is None or not line.pending or not self._supervises():
            return
        if line.entered_by == self.hiw_app.actor.id:
            self.notify(OWN_SPEND, severity="warning")
            return
        form = DecisionForm(
            line,
            Decision(decision),
            reference=self.record.reference if self.record else "",
            balance=self.balance,
            policy=self.hiw_app.budget_policy,
        )
        self.app.push_screen(form, self._saved)

    def action_raise_cap(self) -> None:
        if self.record is not None:
            form = CapForm(self.record.id, self.balance, policy=self.hiw_app.budget_policy)
            self.app.push_screen(form, self._saved)

    def action_filter(self) -> None:
        def chosen(choice: LedgerFilter | None) -> None:
            if choice is not None and self.view is not None:
                self.filter = choice
                self.post_message(self.Loaded(self.view))

        self.app.push_screen(LedgerFilterScreen(self.filter), chosen)


def _category(line: LedgerLine) -> str:
    """What a spend was for, as its category's label (Other when none was given)."""
    return (line.category or BudgetCategory.OTHER).label
