"""The screens, by area: household, readings, casework, ledger, reports, access; base/
holds what they share (the database hand-off, forms, case lists) and dialogs/ the modals.
Each screen owns its layout, its keys and the work its widgets need.

Only the screens the app needs to start are imported here. The record, with the case
work behind it, and My week are imported when first opened (`hiw_tui.app`): their
tables' models cost start-up time that the household list does not need.
"""

from hiw_tui.screens.dialogs.common import ErrorScreen, HelpScreen, LeaveScreen
from hiw_tui.screens.household.household_form import HouseholdForm
from hiw_tui.screens.household.household_list import HouseholdListScreen
from hiw_tui.screens.household.person_form import PersonForm

__all__ = [
    "ErrorScreen",
    "HelpScreen",
    "HouseholdForm",
    "HouseholdListScreen",
    "LeaveScreen",
    "PersonForm",
]
