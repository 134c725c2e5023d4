"""Star readings: record, list and correct them, each scoped, version-checked and audited.

A draft reading may be changed freely, and saved with areas left to score later (an
area left out has no score row at all). A final reading counts (in progress measures,
due dates and reports), so it needs every area scored or marked "not scored" on purpose
(a row whose score is None), and changing one is a correction: it needs a reason, and
the audit keeps the old and new scores beside the reason, which the person's reading
history reads back (`hiw_tui.db.readings.corrections`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import delete
from sqlmodel import Session, col

from hiw_tui.db.audit import trail
from hiw_tui.db.core.errors import Conflict, DataError, FieldError, NotFound
from hiw_tui.db.core.models import (
    Household,
    HouseholdPublic,
    Person,
    ReadingPublic,
    StarReading,
    StarScore,
    UserPublic,
    utcnow,
)
from hiw_tui.db.households.households import household_in_scope, household_record
from hiw_tui.db.households.people import refresh_summary
from hiw_tui.db.privacy.visibility import household_sight, shown_reading
from hiw_tui.db.readings.corrections import CORRECT, REASON, Correction, reading_corrections
from hiw_tui.db.readings.scores import load_reading, load_readings
from hiw_tui.domain.codes import CLOSED_STATUSES, ReadingStatus
from hiw_tui.domain.framework import Framework
from hiw_tui.domain.merge import flatten
from hiw_tui.domain.sensitive import hidden_areas
from hiw_tui.domain.star import area_problems
from hiw_tui.domain.validation import ReadingInput


@dataclass(frozen=True)
class PersonReadings:
    """A person's readings, oldest first, with what the history screen needs about them."""

    person_id: int
    household_id: int
    name: str
    joined: date | None
    """The household's start date: None while it is only referred."""
    current: bool
    readings: list[ReadingPublic]
    household_closed: bool = False
    """The household has left the programme (exited or withdrawn): no reading is due."""
    hidden_areas: frozenset[str] = frozenset()
    """Areas left out of `readings` for this reader (they read "hidden", not unscored)."""
    corrections: dict[int, tuple[Correction, ...]] = field(default_factory=dict)
    """Reading id -> the corrections of that final reading, newest first, with why."""


@dataclass(frozen=True)
class ReadingSaved:
    """The reading as saved, and the household record as it now stands."""

    reading: ReadingPublic
    record: HouseholdPublic


def _person(
    session: Session, actor: UserPublic, person_id: int, *, lock: bool
) -> tuple[Household, Person]:
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound("That person is not in a household you can see.")
    return household_in_scope(session, actor, person.household_id, lock=lock), person


def person_readings(session: Session, *, actor: UserPublic, person_id: int) -> PersonReadings:
    """Everything recorded of one person's Star readings, audited as a view; the health
    areas' scores and notes are left out for a reader without the permission."""
    household, person = _person(session, actor, person_id, lock=False)
    seen = household_sight(actor, household)
    trail.record(
        session,
        actor=actor,
        action="view",
        entity="star_readings",
        entity_id=person_id,
        household_id=household.id,
    )
    readings = [
        shown_reading(reading, seen)
        for reading in load_readings(session, [person_id]).get(person_id, [])
    ]
    return PersonReadings(
        person_id=person_id,
        household_id=person.household_id,
        name=f"{person.given_name} {person.family_name}",
        joined=household.start_date,
        current=person.left_on is None,
        readings=readings,
        household_closed=household.status in CLOSED_STATUSES,
        hidden_areas=hidden_areas(seen),
        corrections=reading_corrections(
            session,
            actor=actor,
            household=household,
            reading_ids=[r.id for r in readings if r.status is ReadingStatus.FINAL],
        ),
    )


def _check_areas(framework: Framework, data: ReadingInput) -> None:
    final = data.status is ReadingStatus.FINAL
    problems = area_problems(framework.codes, data.scores, data.area_notes, final=final)
    if problems:
        area, message = next(iter(problems.items()))
        raise FieldError(f"scores.{area}", message)
    unknown = sorted((set(data.scores) | set(data.area_notes)) - set(framework.codes))
    if unknown:
        raise FieldError("scores", f"Not areas of {framework.name}: {', '.join(unknown)}.")


def _values(reading: ReadingInput | ReadingPublic) -> dict[str, Any]:
    """A reading, typed or stored, as the audit records it: one entry per field, score and
    note, so that a correction lists exactly the scores and notes it changed."""
    values: dict[str, Any] = {
        "taken_on": reading.taken_on,
        "completed_by": reading.completed_by,
        "status": reading.status,
        "notes": reading.notes,
    }
    for area, score in reading.scores.items():
        values[f"score.{area}"] = score
        values[f"note.{area}"] = reading.area_notes.get(area, "")
    return values


def _as_form(reading: ReadingInput | ReadingPublic) -> dict[str, Any]:
    """A reading as its form names the fields, each score and note apart
    (`scores.<area>`), so that a conflict merges them one by one."""
    return flatten({name: getattr(reading, name) for name in _FORM_FIELDS})


_FORM_FIELDS = ("taken_on", "completed_by", "status", "notes", "scores", "area_notes")


def _write_scores(session: Session, reading_id: int, data: ReadingInput) -> None:
    session.execute(delete(StarScore).where(col(StarScore.reading_id) == reading_id))
    session.add_all(
        StarScore(reading_id=reading_id, area=area, score=score, note=data.area_notes.get(area, ""))
        for area, score in data.scores.items()
    )


def _saved(
    session: Session, actor: UserPublic, household: Household, reading: StarReading
) -> ReadingSaved:
    session.flush()
    refresh_summary(session, household)
    return ReadingSaved(
        reading=load_reading(session, reading.id or 0),
        record=household_record(session, household, actor),
    )


def create_reading(
    session: Session,
    *,
    actor: UserPublic,
    person_id: int,
    framework: Framework,
    data: ReadingInput,
) -> ReadingSaved:
    """A new reading of a current member, under `framework`."""
    household, person = _person(session, actor, person_id, lock=True)
    if person.left_on is not None:
        raise NotFound(f"{person.given_name} {person.family_name} has left the household.")
    _check_areas(framework, data)
    reading = StarReading(
        person_id=person_id,
        household_id=person.household_id,
        framework_id=framework.id,
        framework_version=framework.version,
        taken_on=data.taken_on,
        completed_by=data.completed_by.value,
        status=data.status.value,
        notes=data.notes,
        entered_by=actor.id,
    )
    session.add(reading)
    session.flush()
    assert reading.id is not None
    _write_scores(session, reading.id, data)
    trail.record(
        session,
        actor=actor,
        action="create",
        entity="star_reading",
        entity_id=reading.id,
        household_id=household.id,
        changes=trail.diff({}, _values(data)),
    )
    return _saved(session, actor, household, reading)


def update_reading(
    session: Session,
    *,
    actor: UserPublic,
    reading_id: int,
    version: int,
    framework: Framework,
    data: ReadingInput,
) -> ReadingSaved:
    """Save a reading opened at `version`: an edit of a draft, or a correction of a final one.

    A stale version raises Conflict. A final reading stays final, and correcting it
    needs a reason, which the audit keeps with the old and new values.
    """
    reading = session.get(StarReading, reading_id, with_for_update=True)
    if reading is None:
        raise NotFound("That reading does not exist.")
    household = household_in_scope(session, actor, reading.household_id, lock=True)
    stored = load_reading(session, reading_id)
    before, after = _values(stored), _values(data)
    if reading.version != version:
        raise Conflict("reading", _as_form(stored), _as_form(data), reading.version)
    if reading.framework_id != framework.id:
        raise DataError(
            f"This reading was made under the {reading.framework_id!r} framework; "
            "it can be corrected only where that framework is in use."
        )
    _check_areas(framework, data)
    correcting = reading.status == ReadingStatus.FINAL.value
    if correcting and data.status is ReadingStatus.DRAFT:
        raise FieldError("status", "A final reading stays final; correct its scores instead.")
    changes: dict[str, Any] = dict(trail.diff(before, after))
    if not changes:
        return _saved(session, actor, household, reading)
    if correcting and not data.reason:
        raise FieldError("reason", "Say why this final reading is being corrected.")
    reading.taken_on = data.taken_on
    reading.completed_by = data.completed_by.value
    reading.status = data.status.value
    reading.notes = data.notes
    reading.version += 1
    reading.updated_at = utcnow()
    _write_scores(session, reading_id, data)
    if correcting:
        changes[REASON] = data.reason
    trail.record(
        session,
        actor=actor,
        action=CORRECT if correcting else "update",
        entity="star_reading",
        entity_id=reading_id,
        household_id=household.id,
        changes=changes,
    )
    return _saved(session, actor, household, reading)
