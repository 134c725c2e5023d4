"""Spends waiting for a supervisor's decision, across the households a supervisor sees.

The person who entered a spend cannot decide it: they see it here, marked, and the
decision waits for a colleague.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from rich.console import RenderableType
from rich.text import Text
from textual.binding import Binding

from hiw_tui.db.core.engine import Query
from hiw_tui.db.ledger.models import LedgerView, PendingSpend
from hiw_tui.db.ledger.posting import pending_spends
from hiw_tui.domain.codes import Decision, EntryKind
from hiw_tui.domain.dates import local_day, local_time
from hiw_tui.domain.money import pounds
from hiw_tui.domain.text import clean_line
from hiw_tui.screens.base.case_list import CaseListScreen
from hiw_tui.screens.ledger.ledger_forms import OWN_SPEND, DecisionForm
from hiw_tui.widgets.text import short_name, user_text


class ApprovalsScreen(CaseListScreen[PendingSpend]):
    TITLE = "Approvals"
    EDIT_ACTIONS = frozenset({"decide", "new"})
    BINDINGS = [
        Binding("a", "decide('approved')", "Approve"),
        Binding("x", "decide('rejected')", "Reject"),
        Binding("enter", "decide('approved')", "Decide", show=False),
        Binding("n", "new", "New", show=False),
    ]
    COLUMNS = (
        ("ref", "Ref"),
        ("entered", "Entered"),
        ("amount", "Amount"),
        ("what", "What"),
        ("by", "Entered by"),
    )
    STRETCH = "what"
    EMPTY = "No spend is waiting for approval."

    def list_query(self, *, audited: bool) -> Query[list[PendingSpend]]:
        # Audited for each household on the queue: it shows their payees and purposes.
        return partial(pending_spends, audited=audited)

    def heading(self) -> Text:
        return Text("Spends above the approval threshold, longest waiting first", style="bold")

    def cells(self, item: PendingSpend) -> Sequence[RenderableType]:
        mine = " (you)" if item.entered_by == self.hiw_app.actor.id else ""
        return (
            Text(item.reference),
            Text(local_day(item.entered_at).isoformat()),
            Text(pounds(item.amount), justify="right"),
            user_text(f"{item.category.label}: {item.payee}"),
            user_text(short_name(item.entered_by_name, 16 - len(mine))).append(mine),
        )

    def detail(self, item: PendingSpend) -> RenderableType:
        area = item.local_authority.label
        mine = f"\n{OWN_SPEND}" if item.entered_by == self.hiw_app.actor.id else ""
        payee: list[str | Text] = ["  paid to ", user_text(item.payee)] if item.description else []
        return Text.assemble(
            user_text(item.description or item.payee, style="bold"),
            *payee,
            f"  ({area})\nSpent on {item.on.isoformat()}, entered {local_time(item.entered_at)}",
            f"\n{item.reference}'s budget: {item.balance.describe()}",
            mine,
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not super().check_action(action, parameters):
            return False
        if action == "decide":
            item = self.current()
            return item is not None and item.entered_by != self.hiw_app.actor.id
        return action != "new"

    def action_decide(self, decision: str) -> None:
        item = self.current()
        if item is None or item.entered_by == self.hiw_app.actor.id:
            return
        form = DecisionForm(
            item,
            Decision(decision),
            reference=item.reference,
            balance=item.balance,
            policy=self.hiw_app.budget_policy,
        )
        self.app.push_screen(form, partial(self._decided, item))

    def action_edit(self) -> None:
        """Enter on a spend (the table's own key) decides it, as the screen's Enter does."""
        self.action_decide(Decision.APPROVED.value)

    def _decided(self, item: PendingSpend, view: LedgerView | None) -> None:
        """Say what was decided, as the spend leaves the queue, and what is left."""
        if view is not None:
            line = next(x for x in view.lines if x.kind == EntryKind.SPEND and x.id == item.id)
            said = "Approved" if line.decision == Decision.APPROVED else "Rejected"
            payee = clean_line(item.payee)
            self.notify(
                f"{said}: {pounds(item.amount)} for {view.reference}, paid to {payee}. "
                f"Budget: {view.balance.describe()}",
                markup=False,
            )
        self.action_reload()
