"""Date arithmetic the screens and reports share."""

from __future__ import annotations

from datetime import date


def whole_months(start: date, end: date) -> int:
    """Completed calendar months from `start` to `end` (0 if `end` is before `start`)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        months -= 1
    return max(months, 0)


def age_on(born: date, day: date) -> int:
    """Age in completed years on `day`."""
    return whole_months(born, day) // 12


def months_on_programme(start: date, end: date | None, today: date) -> int:
    """Months from the start date to the end date, or to today while still open."""
    return whole_months(start, min(end, today) if end else today)
