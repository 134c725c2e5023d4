"""One screen per module; each owns its layout, its keys and the work its widgets need."""

from hiw_tui.screens.dialogs import ErrorScreen, HelpScreen, LeaveScreen
from hiw_tui.screens.household_form import HouseholdForm
from hiw_tui.screens.household_list import HouseholdListScreen
from hiw_tui.screens.household_record import HouseholdRecordScreen
from hiw_tui.screens.person_form import PersonForm

__all__ = [
    "ErrorScreen",
    "HelpScreen",
    "HouseholdForm",
    "HouseholdListScreen",
    "HouseholdRecordScreen",
    "LeaveScreen",
    "PersonForm",
]
