"""Members: one primary and one secondary, audited edits, version conflicts, keeping history."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from hiw_tui.db.audit.trail import events_for_household
from hiw_tui.db.core.engine import Database
from hiw_tui.db.core.errors import Conflict, FieldError, NotFound
from hiw_tui.db.core.models import Person
from hiw_tui.db.households.households import list_households, open_household
from hiw_tui.db.households.people import add_person, remove_person, update_person
from tests.helpers.factories import person_input, register
from tests.helpers.staff import Staff


def test_a_household_has_at_most_one_primary_and_one_secondary(
    database: Database, staff: Staff
) -> None:
    record = register(
        database, staff.manager, staff.ada, person_input(), person_input(role="secondary")
    )
    for role in ("primary", "secondary"):
        with pytest.raises(FieldError) as caught:
            database.write(
                add_person, actor=staff.ada, household_id=record.id, data=person_input(role=role)
            )
        assert caught.value.field == "role"
    record = database.write(
        add_person, actor=staff.ada, household_id=record.id, data=person_input(role="member")
    )
    assert [m.role for m in record.members] == ["primary", "secondary", "member"]


def test_editing_a_member_audits_old_and_new_values_and_refreshes_the_list(
    database: Database, staff: Staff
) -> None:
    record = register(
        database, staff.manager, staff.ada, person_input(given_name="Jo", support_needs=["parent"])
    )
    person = record.members[0]
    data = person_input(given_name="Joanne", support_needs=["parent", "carer"])
    saved = database.write(
        update_person, actor=staff.ada, person_id=person.id, version=person.version, data=data
    )
    assert saved.members[0].given_name == "Joanne"
    assert saved.members[0].support_needs == ("carer", "parent")
    assert saved.members[0].version == person.version + 1
    latest = database.read(events_for_household, actor=staff.manager, household_id=record.id)[0]
    assert (latest.action, latest.entity, latest.entity_id) == ("update", "person", person.id)
    assert latest.changes == {
        "given_name": ["Jo", "Joanne"],
        "support_needs": [["parent"], ["carer", "parent"]],
    }
    (row,) = database.read(list_households, actor=staff.ada)
    assert (row.primary_name, row.need_count) == ("Bloggs, Joanne", 2)
    kept = database.read(lambda session: session.scalar(select(Person.need_count)))
    assert kept == 2  # the person's own count too, which the cohort profile reads


def test_editing_a_stale_member_is_a_conflict(database: Database, staff: Staff) -> None:
    record = register(database, staff.manager, staff.ada, person_input(phone="07700 900001"))
    person = record.members[0]
    database.write(
        update_person,
        actor=staff.manager,
        person_id=person.id,
        version=person.version,
        data=person_input(phone="07700 900002"),
    )
    with pytest.raises(Conflict) as caught:
        database.write(
            update_person,
            actor=staff.ada,
            person_id=person.id,
            version=person.version,
            data=person_input(phone="07700 900003"),
        )
    assert ("phone", "07700 900002", "07700 900003") in caught.value.differences()
    stored = database.write(open_household, actor=staff.ada, household_id=record.id)
    assert stored.members[0].phone == "07700 900002"


def test_removing_a_member_keeps_their_row_and_audits_it(database: Database, staff: Staff) -> None:
    record = register(
        database,
        staff.manager,
        staff.ada,
        person_input(),
        person_input(role="secondary", given_name="Al"),
    )
    secondary = record.members[1]
    after = database.write(
        remove_person,
        actor=staff.ada,
        person_id=secondary.id,
        version=secondary.version,
        left_on=date(2026, 2, 2),
    )
    assert [m.given_name for m in after.members] == ["Jo"]
    (row,) = database.read(list_households, actor=staff.ada)
    assert row.member_count == 1
    latest = database.read(events_for_household, actor=staff.manager, household_id=record.id)[0]
    assert (latest.action, latest.changes) == ("remove", {"left_on": [None, "2026-02-02"]})
    with pytest.raises(NotFound):  # gone from the household: no more edits
        database.write(
            update_person,
            actor=staff.ada,
            person_id=secondary.id,
            version=secondary.version + 1,
            data=person_input(role="secondary"),
        )
    # The role is free again for a new secondary householder.
    database.write(
        add_person, actor=staff.ada, household_id=record.id, data=person_input(role="secondary")
    )


def test_members_outside_scope_cannot_be_touched(database: Database, staff: Staff) -> None:
    record = register(database, staff.manager, staff.ada, person_input())
    person = record.members[0]
    with pytest.raises(NotFound):
        database.write(
            update_person,
            actor=staff.cal,
            person_id=person.id,
            version=person.version,
            data=person_input(),
        )
    with pytest.raises(NotFound):
        database.write(
            add_person, actor=staff.ben, household_id=record.id, data=person_input(role="member")
        )
