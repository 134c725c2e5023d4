"""Case work: action plans, partners, referrals, outcomes, contacts, exits and My week."""

from hiw_tui.db import reexport

__getattr__ = reexport(
    __name__,
    (
        "contacts",
        "exits",
        "models",
        "outcomes",
        "partners",
        "plans",
        "referrals",
        "rows",
        "timeline",
        "timeline_case",
        "timeline_models",
        "timeline_support",
        "week",
    ),
)
