"""Date arithmetic the screens and reports share."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

_DATE_SHAPE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DAY_FIRST = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})")
DATE_SHAPE_MESSAGE = "A date as YYYY-MM-DD."


class NotARealDate(ValueError):
    """The shape of a date, but no such day (1981-02-30, 2026-13-01)."""


def read_date(text: str) -> date:
    """`text` as a date: YYYY-MM-DD (and the other ISO forms `date.fromisoformat` takes).

    The ValueError's message is what a person reads: a day that does not exist, such as
    1981-02-30, is "not a real date", which a wrong shape is not.
    """
    text = text.strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        if _DATE_SHAPE.fullmatch(text):
            raise NotARealDate(f"{text} is not a real date.") from None
        raise ValueError(DATE_SHAPE_MESSAGE) from None


class TwoDigitYear(ValueError):
    """A day-first date with a two-digit year (05/01/20): 1920 or 2020 cannot be told."""


def read_import_date(text: str) -> date:
    """`text` as a date, as a CRM export writes one: YYYY-MM-DD (as `read_date`), or
    day-first DD/MM/YYYY or D/M/YYYY, as UK systems write dates. Never month-first:
    12/31/2020 is the 12th of a 31st month, "not a real date". The forms keep to ISO.
    """
    text = text.strip()
    day_first = _DAY_FIRST.fullmatch(text)
    if not day_first:
        return read_date(text)
    day, month, year = day_first.groups()
    if len(year) == 2:
        raise TwoDigitYear(f"{text} has a two-digit year.")
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        raise NotARealDate(f"{text} is not a real date.") from None


def whole_months(start: date, end: date) -> int:
    """Completed calendar months from `start` to `end` (0 if `end` is before `start`)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        months -= 1
    return max(months, 0)


def age_on(born: date, day: date) -> int:
    """Age in completed years on `day`."""
    return whole_months(born, day) // 12


def years_before(day: date, years: int) -> date:
    """The same day `years` years earlier (28 February for a 29 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year - years, day=28)


def months_on_programme(start: date, end: date | None, today: date) -> int:
    """Months from the start date to the end date, or to today while still open."""
    return whole_months(start, min(end, today) if end else today)


def as_utc(moment: datetime) -> datetime:
    """A stored time with its zone: SQLite hands times back without one (stored as UTC)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def local_day(moment: datetime) -> date:
    """The day a stored time falls on where the app runs."""
    return as_utc(moment).astimezone().date()


def local_time(moment: datetime) -> str:
    """A stored time as the person at the terminal reads it: their local date and time."""
    return as_utc(moment).astimezone().strftime("%Y-%m-%d %H:%M")


MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def plain_date(day: date) -> str:
    """A date as people write it, "5 March 2026", whatever the machine's locale."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
