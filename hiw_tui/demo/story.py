"""What happens to one demo household: whether it takes part, finds work, and how and
when it leaves.

Support lasts up to 12 months from the start (`hiw_tui.domain.casework.support_ends`).
Most households stay the 12 months and exit (reason completed); one where a householder
starts work of 16+ hours that lasts may exit soon after (reason job); a few move away
or stop being eligible; one that does not take part withdraws within months. A
household whose end falls after `today` is still active (or, started in the last
weeks, only referred or on short-term support). The case work drawn for it
(`hiw_tui.demo.casework`) follows its story, so nothing falls after its end.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TypeVar

from hiw_tui.demo.timeline import Pace, pace
from hiw_tui.domain.casework import support_ends
from hiw_tui.domain.codes import Destination, ExitReason, HouseholdStatus

T = TypeVar("T")
JOB_SETTLES = 28
"""Days a job must last to be a job outcome."""
_DESTINATIONS = {  # after 12 months
    Destination.OTHER_PROGRAMME: 35,
    Destination.EDUCATION: 15,
    Destination.NONE: 35,
    Destination.OTHER: 15,
}
_EARLY_EXITS = {  # households taking part that leave early without work
    ExitReason.MOVED_AWAY: 5,
    ExitReason.NOT_ELIGIBLE: 2,
    ExitReason.OTHER: 2,
}


@dataclass(frozen=True)
class Story:
    """One household's course through the programme."""

    start: date
    """The start date (for a household only referred, the day it was referred)."""
    status: HouseholdStatus
    end: date | None
    today: date
    pace: Pace
    engaged: bool
    """Takes part: does its steps and moves on."""
    job_on: date | None
    """When a householder started work of 16+ hours (on or before `last`)."""
    job_lasts: bool
    """Whether that job lasted four weeks or more."""
    reason: ExitReason | None
    destination: Destination | None
    phased: bool
    """A phased exit: check-ins follow."""

    @property
    def last(self) -> date:
        """The last day of its case work: its end, or today while it is open."""
        return self.end or self.today

    @property
    def started(self) -> bool:
        return self.status is not HouseholdStatus.REFERRED

    @property
    def closed(self) -> bool:
        return self.end is not None


def _pick(rng: random.Random, weights: dict[T, int]) -> T:
    return rng.choices(list(weights), list(weights.values()))[0]


def draw_story(rng: random.Random, start: date, today: date) -> Story:
    """The story of a household starting on `start`, as it stands on `today`."""
    era = pace(start)
    engaged = rng.random() < era.engaged
    support_end = support_ends(start)
    job_on: date | None = None
    job_lasts = False
    if engaged and rng.random() < era.job:
        on = start + timedelta(days=14 + int(rng.expovariate(1 / era.job_days)))
        if on < support_end - timedelta(days=JOB_SETTLES):
            job_on, job_lasts = on, rng.random() < 0.9
    reason: ExitReason
    destination = Destination.NONE
    if not engaged:
        planned = start + timedelta(days=rng.randint(60, 300))
        reason = ExitReason.DISENGAGED
    elif job_on is not None and job_lasts and rng.random() < 0.35:
        planned = min(support_end, job_on + timedelta(days=rng.randint(JOB_SETTLES, 120)))
        reason, destination = ExitReason.JOB, Destination.JOB
    elif rng.random() < 0.09:
        planned = start + timedelta(days=rng.randint(60, 330))
        reason = _pick(rng, _EARLY_EXITS)
        destination = Destination.OTHER if rng.random() < 0.3 else Destination.NONE
    else:
        planned = support_end - timedelta(days=rng.randint(0, 14))
        reason = ExitReason.COMPLETED
        destination = _pick(rng, _DESTINATIONS)
        if job_on is not None and job_lasts:
            destination = Destination.JOB
    if planned <= today:
        status = HouseholdStatus.EXITED if engaged else HouseholdStatus.WITHDRAWN
        return Story(
            start,
            status,
            planned,
            today,
            era,
            engaged,
            job_on if job_on is not None and job_on <= planned else None,
            job_lasts,
            reason,
            destination,
            phased=engaged and rng.random() < 0.4,
        )
    status = HouseholdStatus.ACTIVE
    days = (today - start).days
    if days < 30 and rng.random() < 0.4:
        status = HouseholdStatus.REFERRED
    elif days < 84 and rng.random() < 0.15:
        status = HouseholdStatus.SHORT_TERM
    return Story(
        start,
        status,
        None,
        today,
        era,
        engaged,
        job_on if job_on is not None and job_on <= today else None,
        job_lasts,
        None,
        None,
        phased=False,
    )
