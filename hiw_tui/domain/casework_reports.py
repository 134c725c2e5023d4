"""What the case-work reports hold (caseload, exits, referrals, welfare checks, trends):
plain values, counted by `hiw_tui.reports.queries` and laid out as tables by
`hiw_tui.reports.casework_tables` and `hiw_tui.reports.trends`."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class CaseloadLine:
    """One advocate's caseload as the records stand, judged on the as-of date."""

    advocate: str
    """Username."""
    name: str
    """Display name."""
    statuses: dict[str, int] = field(default_factory=dict)
    """Household status code -> households."""
    overdue_steps: int = 0
    readings_due: int = 0
    budget_left: int = 0
    """Pence: what the open households' budgets have left."""


@dataclass(frozen=True)
class Counted:
    """One line of a count: a code, its words and how many."""

    code: str
    label: str
    count: int


@dataclass(frozen=True)
class Onward:
    """Onward referrals after exit to one partner service."""

    partner: str
    kind: str
    """A `PartnerKind` code."""
    referrals: int


@dataclass(frozen=True)
class ExitFigures:
    statuses: tuple[Counted, ...]
    """Exited and withdrawn: households that left in the period."""
    reasons: tuple[Counted, ...]
    destinations: tuple[Counted, ...]
    onward: tuple[Onward, ...]
    households_referred_on: int
    """Households that left in the period with an onward referral."""


@dataclass(frozen=True)
class ReferralLine:
    """Referrals made in the period to one partner service, by status as of the as-of date."""

    partner: str
    kind: str
    statuses: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Reach:
    """People and households."""

    people: int = 0
    households: int = 0


@dataclass(frozen=True)
class WelfareFigures:
    contacted: Reach
    contactable: Reach
    asked_again: Reach
    by_frequency: dict[str, Reach]
    """`Recontact` code (daily ... monthly) -> who asked to be contacted that often."""


@dataclass(frozen=True)
class MonthLine:
    """One calendar month of the trends report."""

    month: str
    """YYYY-MM."""
    started: int = 0
    job_outcomes: int = 0
    work_related_activities: int = 0
    courses: int = 0
    spent: int = 0
    """Pence, net of reversals made in the month."""

    @property
    def outcomes(self) -> int:
        return self.job_outcomes + self.work_related_activities + self.courses
