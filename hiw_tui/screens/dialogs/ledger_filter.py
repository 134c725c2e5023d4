"""Which ledger lines to show: one category, and a date range, in a small dialog."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict

from hiw_tui.db.ledger.models import LedgerLine
from hiw_tui.domain.codes import BudgetCategory
from hiw_tui.screens.base.form_fields import code_field, date_field
from hiw_tui.screens.base.local_form import LocalForm
from hiw_tui.widgets.field import FormField


class LedgerFilter(BaseModel):
    model_config = ConfigDict(frozen=True)

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


class LedgerFilterScreen(LocalForm[LedgerFilter, LedgerFilter]):
    """Blank fields filter nothing; Esc leaves the filter as it was. Enter on the category
    opens its list, as in every form."""

    model = LedgerFilter
    heading = "Filter the ledger"
    hint = "Ctrl+S (or Enter in a date) applies, Esc cancels; a blank field filters nothing."

    def __init__(self, current: LedgerFilter) -> None:
        super().__init__()
        self.current = current

    def fields(self) -> list[FormField]:
        return [
            code_field(
                "Category",
                "category",
                BudgetCategory,
                self.current.category,
                prompt="Every category",
            ),
            date_field("From", "date_from", self.current.date_from),
            date_field("To", "date_to", self.current.date_to),
        ]

    def result(self, data: LedgerFilter) -> LedgerFilter:
        return data
