"""Dates of case work: when to contact a household again, when support ends, check-ins.

- A contact can set how soon to get in touch again (a welfare check); the next contact
  is due that long after the latest contact.
- Full support lasts up to 12 months from the start date; a short-term case 12 weeks
  (see `hiw_tui.domain.outcomes.short_term_ends`).
- A phased exit schedules check-ins a number of weeks after the exit date; a check-in is
  done once a contact is recorded on or after the day it is due.
- A contact by phone or message rests on the person's consent to be contacted that way;
  logging one with someone who has withdrawn it is allowed (they may have got in touch),
  but the form says so as it is filled in.
"""

from __future__ import annotations

from datetime import date, timedelta

from hiw_tui.domain.codes import ConsentPurpose, ContactMode, HouseholdStatus, Recontact
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


CONSENT_FOR_MODE: dict[ContactMode, frozenset[ConsentPurpose]] = {
    ContactMode.PHONE: frozenset({ConsentPurpose.CONTACT_PHONE}),
    ContactMode.MESSAGE: frozenset({ConsentPurpose.CONTACT_TEXT, ConsentPurpose.CONTACT_EMAIL}),
}
"""The consents a contact made that way rests on (a message is a text or an email); face
to face and video are arranged with the person, and rest on none of them."""


def consent_withdrawn(
    mode: ContactMode, consents: tuple[tuple[ConsentPurpose, str | None, bool], ...]
) -> bool:
    """Whether a person's standing `consents` (purpose, partner, given) withdraw every way
    a contact by `mode` takes. A way never asked about is not withdrawn."""
    ways = CONSENT_FOR_MODE.get(mode, frozenset())
    standing = {purpose: given for purpose, partner, given in consents if partner is None}
    return bool(ways) and all(standing.get(way) is False for way in ways)


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
