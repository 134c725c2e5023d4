"""Every report kind, in the order the reports screen offers them: a code (the command's
`hiw-tui report KIND`), a name, a short name for the screen's tab line and a line
saying what it counts. Adding a kind here is all the screen, its chooser, its keys (the
first nine have 1-9) and the command line need; `hiw_tui.reports.build` makes it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    code: str
    name: str
    short: str
    """At most 11 characters: ten of them fit the tab line on two lines of 80."""
    about: str
    """What it counts, in a few words (the chooser)."""
    from_date: str = "a blank From counts from the start"
    """What its From date does (the period dialog)."""


KINDS: tuple[Kind, ...] = (
    Kind("performance", "Performance", "Performance", "targets against actuals, improvements"),
    Kind("cohort", "Cohort profile", "Cohort", "who the participants are"),
    Kind("distance", "Distance travelled", "Distance", "Star scores, first to latest"),
    Kind("spend", "Spending", "Spending", "support budgets by category, area, month"),
    Kind(
        "board",
        "Board pack",
        "Board",
        "target periods side by side, by area",
        "From does not apply: the pack is of the target periods ending by As of",
    ),
    Kind(
        "caseload",
        "Caseload",
        "Caseload",
        "per advocate: statuses, due work, budget",
        "From does not apply: the caseload is as of one day",
    ),
    Kind("exits", "Exits", "Exits", "reasons, destinations, onward referrals"),
    Kind("referrals", "Referrals", "Referrals", "by partner service and status"),
    Kind("welfare", "Welfare checks", "Welfare", "contacted, contactable, contact again"),
    Kind(
        "trends",
        "Trends",
        "Trends",
        "starts, outcomes and spending by month",
        "a blank From shows the 12 months to As of",
    ),
)
REPORTS = tuple(kind.code for kind in KINDS)
BY_CODE = {kind.code: kind for kind in KINDS}
