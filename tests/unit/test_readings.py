"""Star readings in the database: saving, what counts, corrections, due dates, scope."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from hiw_tui.db.audit.trail import events_for_household
from hiw_tui.db.core.engine import Database
from hiw_tui.db.core.errors import Conflict, DataError, FieldError, NotFound
from hiw_tui.db.households.households import HouseholdFilter, count_households, open_household
from hiw_tui.db.households.people import remove_person
from hiw_tui.db.readings.readings import create_reading, person_readings, update_reading
from hiw_tui.domain.framework import load_framework
from hiw_tui.domain.validation import ReadingInput
from tests.helpers.factories import AREAS, add_reading, person_input, reading_input, register
from tests.helpers.staff import Staff

JAN, APR, JUL = date(2025, 12, 1), date(2026, 3, 1), date(2026, 6, 1)


def _couple(database: Database, staff: Staff):  # type: ignore[no-untyped-def]
    return register(
        database, staff.manager, staff.ada, person_input(), person_input(role="secondary")
    )


def test_a_reading_records_its_framework_scores_and_who_entered_it(
    database: Database, staff: Staff
) -> None:
    record = _couple(database, staff)
    jo = record.members[0]
    notes = {"skills": "Wants a forklift licence"}
    saved = add_reading(
        database, staff.ada, jo.id, reading_input(JAN, 2, 3, None, area_notes=notes)
    )
    reading = saved.reading
    framework = load_framework()
    assert (reading.framework_id, reading.framework_version) == (framework.id, framework.version)
    assert reading.scores == {**dict.fromkeys(AREAS, 3), "skills": 2, "money": None}
    assert reading.area_notes == notes
    assert (reading.status, reading.completed_by) == ("final", "together")
    assert reading.entered_by_name == "Ada Adv"
    member = saved.record.members[0]
    assert member.star is not None and member.star.latest_on == JAN
    event = database.read(events_for_household, actor=staff.manager, household_id=record.id)[0]
    assert (event.action, event.entity) == ("create", "star_reading")
    assert event.changes["score.skills"] == [None, 2]
    assert event.changes["note.skills"] == [None, "Wants a forklift licence"]


def test_every_area_needs_a_score_or_a_deliberate_not_scored(
    database: Database, staff: Staff
) -> None:
    jo = _couple(database, staff).members[0]
    missing = ReadingInput(taken_on=JAN, scores={"skills": 3, "stability_home": None})
    with pytest.raises(FieldError) as caught:
        database.write(
            create_reading,
            actor=staff.ada,
            person_id=jo.id,
            framework=load_framework(),
            data=missing,
        )
    assert caught.value.field == "scores.money"
    stranger = reading_input(JAN, scores={**dict.fromkeys(AREAS, 3), "luck": 4})
    with pytest.raises(FieldError, match="luck"):
        add_reading(database, staff.ada, jo.id, stranger)
    assert database.read(person_readings, actor=staff.ada, person_id=jo.id).readings == []


def test_change_since_the_first_final_reading_and_drafts_do_not_count(
    database: Database, staff: Staff
) -> None:
    jo = _couple(database, staff).members[0]
    add_reading(database, staff.ada, jo.id, reading_input(JAN, 1, 2, 3, 4))
    add_reading(database, staff.ada, jo.id, reading_input(APR, 2, 2, 2, 4))
    saved = add_reading(database, staff.ada, jo.id, reading_input(JUL, 5, 5, 5, status="draft"))
    star = saved.record.members[0].star
    assert star is not None
    assert (star.readings, star.first_on, star.latest_on) == (2, JAN, APR)
    assert [star.changes[area] for area in AREAS[:4]] == [1, 0, -1, 0]


def test_the_household_is_due_a_reading_until_every_current_member_has_one(
    database: Database, staff: Staff
) -> None:
    record = _couple(database, staff)
    jo, sam = record.members
    weeks = 12

    def due_on(day: date) -> int:
        cutoff = day - timedelta(weeks=weeks)
        where = HouseholdFilter(due_if_scored_before=cutoff)
        return database.read(count_households, actor=staff.ada, where=where)

    assert due_on(JAN) == 1  # nobody scored yet
    add_reading(database, staff.ada, jo.id, reading_input(JAN))
    assert due_on(JAN) == 1  # Sam still has none
    saved = add_reading(database, staff.ada, sam.id, reading_input(APR))
    assert saved.record.members[1].star is not None
    assert due_on(JAN + timedelta(weeks=weeks) - timedelta(days=1)) == 0
    assert due_on(JAN + timedelta(weeks=weeks)) == 1  # Jo's falls due first
    # A member who leaves no longer holds the household's reading back.
    database.write(remove_person, actor=staff.ada, person_id=jo.id, version=jo.version, left_on=APR)
    assert due_on(JAN + timedelta(weeks=weeks)) == 0
    assert due_on(APR + timedelta(weeks=weeks)) == 1


def test_correcting_a_final_reading_needs_a_reason_and_audits_old_and_new(
    database: Database, staff: Staff
) -> None:
    record = _couple(database, staff)
    jo = record.members[0]
    reading = add_reading(database, staff.ada, jo.id, reading_input(JAN, 2, 2)).reading
    framework = load_framework()

    def correct(data: ReadingInput, version: int = reading.version):  # type: ignore[no-untyped-def]
        return database.write(
            update_reading,
            actor=staff.ada,
            reading_id=reading.id,
            version=version,
            framework=framework,
            data=data,
        )

    with pytest.raises(FieldError) as caught:
        correct(reading_input(JAN, 4, 2))
    assert caught.value.field == "reason"
    with pytest.raises(FieldError) as caught:
        correct(reading_input(JAN, 2, 2, status="draft", reason="typo"))
    assert caught.value.field == "status"
    saved = correct(reading_input(JAN, 4, 2, reason="Scored before the course certificate came"))
    assert saved.reading.scores["skills"] == 4
    assert saved.reading.version == reading.version + 1
    event = database.read(events_for_household, actor=staff.manager, household_id=record.id)[0]
    assert (event.action, event.entity, event.entity_id) == ("correct", "star_reading", reading.id)
    assert event.changes == {
        "score.skills": [2, 4],
        "reason": "Scored before the course certificate came",
    }
    with pytest.raises(Conflict) as conflict:
        correct(reading_input(JAN, 5, 2, reason="again"), version=reading.version)
    assert ("scores.skills", 4, 5) in conflict.value.differences()


def test_a_draft_is_edited_freely_then_finalised(database: Database, staff: Staff) -> None:
    record = _couple(database, staff)
    jo = record.members[0]
    draft = add_reading(database, staff.ada, jo.id, reading_input(JAN, 2, status="draft"))
    assert draft.record.members[0].star is None
    saved = database.write(
        update_reading,
        actor=staff.ada,
        reading_id=draft.reading.id,
        version=draft.reading.version,
        framework=load_framework(),
        data=reading_input(JAN, 3),
    )
    assert saved.reading.status == "final"
    assert saved.record.members[0].star is not None
    event = database.read(events_for_household, actor=staff.manager, household_id=record.id)[0]
    assert event.action == "update"
    assert event.changes == {"score.skills": [2, 3], "status": ["draft", "final"]}


def test_a_draft_may_leave_areas_for_later_but_a_final_reading_may_not(
    database: Database, staff: Staff
) -> None:
    record = _couple(database, staff)
    jo = record.members[0]
    partial_scores = {"skills": 2, "stability_home": None, "money": 4}
    draft = add_reading(
        database, staff.ada, jo.id, reading_input(JAN, scores=partial_scores, status="draft")
    )
    assert draft.reading.scores == partial_scores  # left for later: no score row at all
    assert draft.record.members[0].star is None  # a draft counts for nothing

    def finalise(**overrides: object) -> object:
        data = reading_input(JAN, **({"scores": partial_scores} | overrides))
        return database.write(
            update_reading,
            actor=staff.ada,
            reading_id=draft.reading.id,
            version=draft.reading.version,
            framework=load_framework(),
            data=data,
        )

    with pytest.raises(FieldError) as caught:
        finalise()
    assert (caught.value.field, caught.value.message) == (
        "scores.physical_health",
        "Score it, or 0 if left out",
    )
    with pytest.raises(FieldError) as caught:  # a note needs its area scored to be kept
        finalise(status="draft", area_notes={"family": "Sister helps"})
    assert (caught.value.field, caught.value.message) == (
        "scores.family",
        "Score it to keep its note",
    )
    every = {**dict.fromkeys(AREAS, None), **partial_scores}  # the rest "not scored"
    assert finalise(scores=every).record.members[0].star is not None


def test_readings_under_another_framework_are_kept_apart(
    database: Database, staff: Staff, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    jo = _couple(database, staff).members[0]
    old = add_reading(database, staff.ada, jo.id, reading_input(JAN, 1, 1, 1)).reading
    licensed = load_framework().model_copy(update={"id": "licensed-star", "version": "2"})
    saved = database.write(
        create_reading,
        actor=staff.ada,
        person_id=jo.id,
        framework=licensed,
        data=reading_input(APR, 5, 5, 5),
    )
    star = saved.record.members[0].star
    assert star is not None
    assert (star.framework_id, star.first_on, star.set_aside) == ("licensed-star", APR, 1)
    assert all(change in (0, None) for change in star.changes.values())
    with pytest.raises(DataError, match="hiw-default"):
        database.write(
            update_reading,
            actor=staff.ada,
            reading_id=old.id,
            version=old.version,
            framework=licensed,
            data=reading_input(JAN, 2, reason="fix"),
        )


def test_readings_are_scoped_audited_and_kept_when_a_member_leaves(
    database: Database, staff: Staff
) -> None:
    record = _couple(database, staff)
    jo = record.members[0]
    add_reading(database, staff.ada, jo.id, reading_input(JAN))
    with pytest.raises(NotFound):
        add_reading(database, staff.cal, jo.id, reading_input(APR))
    with pytest.raises(NotFound):
        database.write(person_readings, actor=staff.cal, person_id=jo.id)
    database.write(remove_person, actor=staff.ada, person_id=jo.id, version=jo.version, left_on=APR)
    history = database.write(person_readings, actor=staff.ada, person_id=jo.id)
    assert (history.current, len(history.readings)) == (False, 1)
    event = database.read(events_for_household, actor=staff.manager, household_id=record.id)[0]
    assert (event.action, event.entity, event.entity_id) == ("view", "star_readings", jo.id)
    with pytest.raises(NotFound, match="left"):
        add_reading(database, staff.ada, jo.id, reading_input(JUL))
    assert (
        database.write(open_household, actor=staff.ada, household_id=record.id).members[0].id
        != jo.id
    )
