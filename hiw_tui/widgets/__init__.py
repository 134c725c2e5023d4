"""Reusable widgets: they take attributes and post messages; screens coordinate them."""

from hiw_tui.widgets.detail_table import DetailTable, Row
from hiw_tui.widgets.field import FormField
from hiw_tui.widgets.filters import HouseholdFilters
from hiw_tui.widgets.household_table import HouseholdTable
from hiw_tui.widgets.partner_choice import PartnerChoice
from hiw_tui.widgets.text import user_text

__all__ = [
    "DetailTable",
    "FormField",
    "HouseholdFilters",
    "HouseholdTable",
    "PartnerChoice",
    "Row",
    "user_text",
]
