"""Star reading rules: change per area, progress measures, significant improvement.

These follow the counting rules in the README (and domain.md):
- a **progress measure** is an area whose latest score is higher than the first;
- a person shows **significant improvement** when the latest reading is at least one
  point higher than the first in three or more areas;
- first and latest are the earliest and latest readings dated on or before the as-of
  date (and on or after the from date, when there is one); the first is taken among
  the readings made under the latest one's framework, so a change of framework
  restarts the comparison instead of mixing scales;
- a reading falls **due** a set number of weeks after a person's latest one; a
  person with no reading yet is due at once.

Only readings made under the same framework are compared: a different framework id
raises `IncomparableReadings` rather than producing a number. An area marked "not
scored" on purpose holds `None` and has no change.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Protocol, TypeVar

from hiw_tui.domain.codes import OPEN_STATUSES

SIGNIFICANT_AREAS = 3
"""Areas that must each improve by at least one point for a significant improvement."""


class IncomparableReadings(ValueError):
    """Two readings made under different frameworks: their scores mean different things."""


class Scored(Protocol):
    """What the rules read of a reading: a `Reading`, or a stored one as the database
    returns it. `scores` maps area code to 1-5, or None where it was not scored."""

    @property
    def framework_id(self) -> str: ...

    @property
    def taken_on(self) -> date: ...

    @property
    def scores(self) -> Mapping[str, int | None]: ...


ScoredT = TypeVar("ScoredT", bound=Scored)


@dataclass(frozen=True)
class Reading:
    """One person's scores on one day. `scores` maps area code to 1-5, or None (not scored)."""

    framework_id: str
    taken_on: date
    scores: Mapping[str, int | None] = field(default_factory=dict)


def score_change(before: int | None, after: int | None) -> int | None:
    """After minus before; None (no change to speak of) where either was not scored."""
    return None if before is None or after is None else after - before


def _same_framework(first: Scored, latest: Scored) -> None:
    if first.framework_id != latest.framework_id:
        raise IncomparableReadings(
            f"Readings made under {first.framework_id!r} and {latest.framework_id!r} "
            "cannot be compared."
        )


def area_changes(first: Scored, latest: Scored) -> dict[str, int | None]:
    """Latest minus first, per area of either reading; None where either is not scored."""
    _same_framework(first, latest)
    return {
        area: score_change(first.scores.get(area), latest.scores.get(area))
        for area in dict.fromkeys([*first.scores, *latest.scores])
    }


def progress_measures(first: Scored, latest: Scored) -> int:
    """The number of areas whose latest score is higher than the first."""
    return sum(1 for change in area_changes(first, latest).values() if change and change > 0)


def significant_improvement(first: Scored, latest: Scored) -> bool:
    """At least one point higher in SIGNIFICANT_AREAS or more areas."""
    return progress_measures(first, latest) >= SIGNIFICANT_AREAS


def first_and_latest(
    readings: Iterable[ScoredT], *, as_of: date = date.max, since: date | None = None
) -> tuple[ScoredT, ScoredT] | None:
    """The earliest and latest readings in the period, or None when it holds none.

    The earliest is looked for among the readings made under the latest one's framework.
    Readings on the same day keep the order they were given in, so the caller's order
    (for example, by when they were saved) breaks ties.
    """
    dated = [
        reading
        for reading in readings
        if reading.taken_on <= as_of and (since is None or reading.taken_on >= since)
    ]
    if not dated:
        return None
    ordered = sorted(dated, key=lambda reading: reading.taken_on)  # stable: ties keep order
    latest = ordered[-1]
    first = next(r for r in ordered if r.framework_id == latest.framework_id)
    return first, latest


def unscored_areas(codes: Sequence[str], scores: Mapping[str, int | None]) -> list[str]:
    """Areas with neither a score nor a deliberate "not scored" (absent from `scores`)."""
    return [code for code in codes if code not in scores]


UNSCORED = "Score it, or 0 if left out"
"""Beside an area a final reading leaves with neither a score nor "not scored" (short:
it sits in the score grid)."""
NOTE_UNSCORED = "Score it to keep its note"
"""Beside an area left for later that has a note: an area left for later has no score
row, so nothing would keep its note."""


def area_problems(
    codes: Sequence[str],
    scores: Mapping[str, int | None],
    area_notes: Mapping[str, str],
    *,
    final: bool,
) -> dict[str, str]:
    """What stops a reading being saved, as {area code: message}, in framework order.

    A draft may leave areas for later; a final reading, which counts, may not: each of
    its areas is scored or marked "not scored" on purpose. In either, an area with a
    note is scored or marked "not scored", so that the note is kept.
    """
    problems: dict[str, str] = {}
    for code in unscored_areas(codes, scores):
        if final:
            problems[code] = UNSCORED
        elif area_notes.get(code):
            problems[code] = NOTE_UNSCORED
    return problems


def next_due(latest: date | None, *, weeks: int, joined: date | None) -> date | None:
    """When the next reading is due: `weeks` after the latest, or on joining if none
    (None before a household only referred has started)."""
    return joined if latest is None else latest + timedelta(weeks=weeks)


def household_due(
    *, status: str, members: int, scored_through: date | None, start: date | None, weeks: int
) -> date | None:
    """When a household next needs a reading, or None when it needs none.

    `scored_through` is the earliest of the current members' latest final readings, or
    None while some current member has none. Only households taking part (active or
    short term) with members fall due.
    """
    if status not in OPEN_STATUSES or members == 0:
        return None
    return next_due(scored_through, weeks=weeks, joined=start)


def change_mark(change: int | None) -> str:
    """A change as a signed number with a symbol, readable without colour: "▲ +2", "▼ -1"."""
    if change is None:
        return "n/s"
    if change > 0:
        return f"▲ +{change}"
    if change < 0:
        return f"▼ {change}"
    return "= 0"
