"""Demo Star readings: final readings about every 12 weeks from soon after the start,
scores drifting up for a household that takes part and barely moving for one that
does not."""

from __future__ import annotations

import random
from datetime import date, timedelta

from hiw_tui.demo.rows import Ids, Row, Rows, at
from hiw_tui.demo.story import Story
from hiw_tui.domain.codes import CompletedBy, ReadingStatus

COMPLETED_BY_WEIGHT = {
    CompletedBy.TOGETHER: 85,
    CompletedBy.ADVOCATE: 10,
    CompletedBy.PARTICIPANT: 5,
}
_STARTING = ((1, 2, 3, 4), (25, 40, 25, 10))
_DRIFT = (-1, 0, 1, 2)
_NOT_TAKING_PART = (20, 66, 13, 1)


class Readings:
    """Draws each person's readings into a batch's rows."""

    def __init__(
        self,
        rng: random.Random,
        ids: Ids,
        framework: tuple[str, str],
        codes: tuple[str, ...],
        reading_weeks: int,
    ) -> None:
        self.rng = rng
        self.ids = ids
        self.framework = framework
        """The framework's id and version."""
        self.codes = codes
        self.reading_weeks = reading_weeks
        self.completed_by = list(COMPLETED_BY_WEIGHT), list(COMPLETED_BY_WEIGHT.values())

    def person(
        self,
        story: Story,
        person_id: int,
        household_id: int,
        advocate_id: int,
        into: Rows,
    ) -> date | None:
        """Final readings from soon after the start to the household's last day; the
        date of the latest, or None when none fell before it."""
        rng = self.rng
        last = story.last
        taken = story.start + timedelta(days=rng.randint(0, story.pace.first_reading_days))
        current = dict(zip(self.codes, rng.choices(*_STARTING, k=len(self.codes)), strict=True))
        drift = story.pace.drift if story.engaged else _NOT_TAKING_PART
        latest = None
        framework_id, framework_version = self.framework
        while taken <= last:
            reading_id = self.ids.next("reading")
            into.readings.append(
                {
                    "id": reading_id,
                    "person_id": person_id,
                    "household_id": household_id,
                    "framework_id": framework_id,
                    "framework_version": framework_version,
                    "taken_on": taken,
                    "completed_by": rng.choices(*self.completed_by)[0].value,
                    "status": ReadingStatus.FINAL.value,
                    "notes": "",
                    "entered_by": advocate_id,
                    "created_at": at(taken, 16),
                    "updated_at": at(taken, 16),
                    "version": 1,
                }
            )
            scores: list[Row] = into.scores
            for code, score in current.items():
                shown = None if rng.random() < 0.02 else score
                scores.append({"reading_id": reading_id, "area": code, "score": shown, "note": ""})
            moves = rng.choices(_DRIFT, drift, k=len(current))
            current = {
                code: max(1, min(5, score + move))
                for (code, score), move in zip(current.items(), moves, strict=True)
            }
            latest = taken
            taken += timedelta(weeks=self.reading_weeks, days=rng.randint(-7, 10))
        return latest
