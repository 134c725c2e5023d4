"""Which ledger lines to show: one category, and a date range, in a small dialog."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select, Static

from hiw_tui.db.ledger.models import LedgerLine
from hiw_tui.domain.codes import BudgetCategory
from hiw_tui.screens.base.form_fields import code_field, date_field, read_date


@dataclass(frozen=True)
class LedgerFilter:
    category: str | None = None
    date_from: date | None = None
    date_to: date | None = None

    def keeps(self, line: LedgerLine) -> bool:
        if self.category is not None and line.category != self.category:
            return False
        if self.date_from is not None and line.on < self.date_from:
            return False
        return self.date_to is None or line.on <= self.date_to

    def describe(self) -> str:
        if self == LedgerFilter():
            return ""
        parts = [BudgetCategory(self.category).label] if self.category else []
        if self.date_from or self.date_to:
            start = self.date_from.isoformat() if self.date_from else "the start"
            end = self.date_to.isoformat() if self.date_to else "today"
            parts.append(f"{start} to {end}")
        return "Showing " + ", ".join(parts)


class LedgerFilterScreen(ModalScreen[LedgerFilter | None]):
    """Enter in a date, or Ctrl+S, applies the filter (blank fields filter nothing); Esc
    leaves it as it was. Enter on the category opens its list, as in every form."""

    BINDINGS = [
        Binding("ctrl+s", "apply", "Apply"),
        Binding("escape", "cancel", "Cancel"),
    ]
    AUTO_FOCUS = "FormField > Horizontal > *"

    def __init__(self, current: LedgerFilter) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Filter the ledger", classes="dialog-title")
            yield code_field(
                "Category",
                "category",
                BudgetCategory,
                self.current.category,
                prompt="Every category",
            )
            yield date_field("From", "date_from", self.current.date_from)
            yield date_field("To", "date_to", self.current.date_to)
            yield Static("Enter in a date applies, Esc cancels; a blank field filters nothing.")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_apply()

    def action_apply(self) -> None:
        try:
            date_from, date_to = read_date(self, "date_from"), read_date(self, "date_to")
        except ValueError:
            return
        category = self.query_one("#category", Select).value
        chosen = None if category is Select.NULL else str(category)
        self.dismiss(LedgerFilter(chosen, date_from, date_to))

    def action_cancel(self) -> None:
        self.dismiss(None)
