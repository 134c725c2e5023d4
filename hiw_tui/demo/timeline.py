"""When the demo's households start, and how households of each era of the programme
moved on: the figures its board pack is calibrated to.

Referrals began in March 2018. Households start at about 1,000 a year: the first
programme year (1 March 2018 to 31 March 2019) ramps up from about 480 a year to the
second year's 1,062 (so about 834 start in it), the second year (to 31 March 2020)
holds 1,062, and every year after about 1,000. A demo of the default size
(`default_households`) holds exactly that history up to `today`; a demo of another
size is the same timeline scaled, except that the last 12 months keep at least
`RECENT_FLOOR` households (half of a very small demo), so that every demo has current
cases.

A household's era (`pace`) sets how it moves on. In the first year the programme was
bedding in: plans, steps and first Star readings came later and fewer households took
part, so by 31 March 2019 few of that year's households had finished anything
(published: 460 of 834 completed an activity, 376 improved, 11% into work). From the
second year households move at the programme's settled pace (851 of 1,062, 722, 28%);
from April 2020 fewer of them find work (about 20%).
"""

from __future__ import annotations

import random
from bisect import bisect_left
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate, pairwise

PROGRAMME_START = date(2018, 3, 1)
"""Referrals began in March 2018."""
SECOND_YEAR = date(2019, 4, 1)
"""Programme years run April to March; the first ran from 1 March 2018."""
SETTLED = date(2020, 4, 1)
_RATE: tuple[tuple[date, float], ...] = (
    (PROGRAMME_START, 480.0),
    (SECOND_YEAR, 1062.0),
    (SETTLED - timedelta(days=1), 1062.0),
    (SETTLED, 1050.0),
)
"""Households starting a year, on the days given and linear in between (flat after)."""
RECENT_DAYS = 365
RECENT_FLOOR = 120
"""The fewest households a demo puts in its last 12 months (at most half of it)."""


@dataclass(frozen=True)
class Pace:
    """How the households that started in one era of the programme moved on."""

    engaged: float
    """The share that took part: did steps, moved on in their Star readings."""
    first_step_days: float
    """Mean days from the plan being agreed to its first step done."""
    step_days: float
    """Mean days between steps done after that."""
    first_reading_days: int
    """The latest day after the start that the first Star reading was taken."""
    job: float
    """The share of households taking part where a householder found work of 16+ hours."""
    job_days: float
    """Mean days from the start to that job."""
    drift: tuple[int, int, int, int]
    """How a Star score moves between readings of a household taking part: the weights
    of moving down one point, staying, moving up one and up two."""


_ERAS: tuple[tuple[date, Pace], ...] = (
    (PROGRAMME_START, Pace(0.76, 130.0, 40.0, 45, 0.35, 140.0, (18, 62, 17, 3))),
    (SECOND_YEAR, Pace(0.88, 28.0, 30.0, 14, 0.5, 65.0, (15, 60, 21, 4))),
    (SETTLED, Pace(0.87, 30.0, 30.0, 14, 0.37, 80.0, (15, 58, 23, 4))),
)


def pace(start: date) -> Pace:
    """The pace of a household that started on `start`."""
    found = _ERAS[0][1]
    for begins, era in _ERAS:
        if start >= begins:
            found = era
    return found


def _rate(day: date) -> float:
    """Households starting a year around `day`."""
    for (before, low), (after, high) in pairwise(_RATE):
        if before <= day < after:
            return low + (high - low) * (day - before).days / (after - before).days
    return _RATE[-1][1] if day >= _RATE[-1][0] else _RATE[0][1]


def _first_day(today: date) -> date:
    """The timeline's first day: the programme's, or a year before a `today` before it."""
    return min(PROGRAMME_START, today - timedelta(days=RECENT_DAYS - 1))


def _daily(today: date) -> list[float]:
    """Households starting on each day from the first day to `today`."""
    first = _first_day(today)
    return [_rate(first + timedelta(days=n)) / 365 for n in range((today - first).days + 1)]


def default_households(today: date) -> int:
    """The households the programme would have started by `today`: the demo's default."""
    return round(sum(_daily(today)))


def start_dates(households: int, today: date, rng: random.Random) -> list[date]:
    """`households` start dates in order, spread over the timeline up to `today`: one in
    each equal slice of it (so a year holds its share whatever the draw)."""
    if households <= 0:
        return []
    daily = _daily(today)
    recent = sum(daily[-RECENT_DAYS:])
    earlier = sum(daily) - recent
    share = max(recent / (recent + earlier), min(0.5, RECENT_FLOOR / households))
    boost = share * earlier / ((1 - share) * recent) if share < 1 and recent else 1.0
    weights = daily[:-RECENT_DAYS] + [w * boost for w in daily[-RECENT_DAYS:]]
    cumulative = list(accumulate(weights))
    total = cumulative[-1]
    first = _first_day(today)
    days = (
        bisect_left(cumulative, (index + rng.random()) / households * total)
        for index in range(households)
    )
    return [first + timedelta(days=min(day, len(weights) - 1)) for day in days]
