"""Dates of case work: when to contact a household again, when support ends, check-ins.

- A contact can set how soon to get in touch again (a welfare check); the next contact
  is due that long after the latest contact.
- Full support lasts up to 12 months from the start date; a short-term case 12 weeks
  (see `hiw_tui.domain.outcomes.short_term_ends`).
- A phased exit schedules check-ins a number of weeks after the exit date; a check-in is
  done once a contact is recorded on or after the day it is due.
"""

from __future__ import annotations

from datetime import date, timedelta

from hiw_tui.domain.codes import HouseholdStatus, Recontact
from hiw_tui.domain.outcomes import short_term_ends

RECONTACT_INTERVAL: dict[Recontact, timedelta] = {
    Recontact.DAILY: timedelta(days=1),
    Recontact.WEEKLY: timedelta(weeks=1),
    Recontact.FORTNIGHTLY: timedelta(weeks=2),
    Recontact.MONTHLY: timedelta(days=30),
}
"""Monthly is taken as 30 days, so the due day never falls on a day that does not exist."""

SUPPORT_MONTHS = 12
NEAR_END = timedelta(weeks=4)
"""How long before the 12-month end a household shows on the advocate's week."""
EXIT_CHECKIN_WEEKS = (2, 6, 12)
"""When the check-ins of a phased exit fall, in weeks after the exit date."""
WEEK_AHEAD = timedelta(days=7)


def next_contact_due(latest: date, recontact: Recontact) -> date | None:
    """When the next contact is due after one on `latest`; None without a set frequency."""
    interval = RECONTACT_INTERVAL.get(recontact)
    return latest + interval if interval else None


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("every month has 28 days")


def support_ends(start: date) -> date:
    """The day a household's 12 months of support run out."""
    return add_months(start, SUPPORT_MONTHS)


def support_ends_for(status: HouseholdStatus, start: date | None) -> date | None:
    """When an open case's support runs out: 12 weeks short term, 12 months in full; None
    for a referral not yet started or a household that has left."""
    if start is None:
        return None
    if status is HouseholdStatus.SHORT_TERM:
        return short_term_ends(start)
    if status is HouseholdStatus.ACTIVE:
        return support_ends(start)
    return None


def checkin_days(exit_on: date, weeks: tuple[int, ...] = EXIT_CHECKIN_WEEKS) -> list[date]:
    return [exit_on + timedelta(weeks=n) for n in weeks]
