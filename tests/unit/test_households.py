"""Households: scope, search, sorting, paging, audit and version conflicts, on both databases."""

from __future__ import annotations

from datetime import date

import pytest

from hiw_tui.db.audit.trail import events_for_household
from hiw_tui.db.core.engine import Database
from hiw_tui.db.core.errors import Conflict, FieldError, Forbidden, NotFound
from hiw_tui.db.households.households import (
    HouseholdFilter,
    HouseholdPage,
    count_households,
    create_household,
    household_page,
    list_households,
    open_household,
    suggest_reference,
    update_household,
)
from hiw_tui.domain.codes import LocalAuthority
from tests.helpers.factories import household_input, person_input, register
from tests.helpers.staff import Staff


@pytest.fixture
def caseloads(database: Database, staff: Staff) -> dict[str, int]:
    """Ada has 3 households, Ben 2 (both Liverpool), Cal 1 (Wirral)."""
    made = {}
    for advocate, count in ((staff.ada, 3), (staff.ben, 2), (staff.cal, 1)):
        for n in range(count):
            record = register(
                database,
                staff.manager,
                advocate,
                person_input(family_name=f"{advocate.username}{n}"),
            )
            made[record.reference] = record.id
    return made


def refs(database: Database, actor, **kwargs) -> list[str]:  # type: ignore[no-untyped-def]
    return [row.reference for row in database.read(list_households, actor=actor, **kwargs)]


def test_each_role_sees_its_own_scope_in_lists_and_counts(
    database: Database, staff: Staff, caseloads: dict[str, int]
) -> None:
    expected = {
        staff.ada.username: 3,
        staff.ben.username: 2,
        staff.cal.username: 1,
        staff.liverpool_supervisor.username: 5,
        staff.wirral_supervisor.username: 1,
        staff.manager.username: 6,
    }
    for actor in (
        staff.ada,
        staff.ben,
        staff.cal,
        staff.liverpool_supervisor,
        staff.wirral_supervisor,
        staff.manager,
    ):
        assert len(refs(database, actor)) == expected[actor.username]
        assert database.read(count_households, actor=actor) == expected[actor.username]


def test_search_obeys_scope(database: Database, staff: Staff, caseloads: dict[str, int]) -> None:
    everyone = HouseholdFilter(search="bloggs")  # no one is called that: names are per advocate
    assert database.read(count_households, actor=staff.manager, where=everyone) == 0
    cal = HouseholdFilter(search="cal.adv")
    assert database.read(count_households, actor=staff.manager, where=cal) == 1
    assert database.read(count_households, actor=staff.ada, where=cal) == 0
    assert database.read(count_households, actor=staff.liverpool_supervisor, where=cal) == 0


def test_a_record_outside_scope_is_not_found(
    database: Database, staff: Staff, caseloads: dict[str, int]
) -> None:
    wirral_id = next(hid for ref, hid in caseloads.items() if ref == refs(database, staff.cal)[0])
    with pytest.raises(NotFound):
        database.write(open_household, actor=staff.ada, household_id=wirral_id)
    with pytest.raises(NotFound):
        database.write(open_household, actor=staff.liverpool_supervisor, household_id=wirral_id)
    assert (
        database.write(open_household, actor=staff.wirral_supervisor, household_id=wirral_id).id
        == wirral_id
    )


def test_search_matches_name_reference_and_postcode_prefixes(
    database: Database, staff: Staff
) -> None:
    register(
        database,
        staff.manager,
        staff.ada,
        person_input(given_name="Siobhán", family_name="O'Brien", postcode="L4 0TH"),
        reference="LIV-00001",
    )
    register(
        database,
        staff.manager,
        staff.ada,
        person_input(given_name="Tom", family_name="Smith", postcode="CH41 2AB"),
        reference="LIV-00002",
    )
    search = lambda term: refs(database, staff.manager, where=HouseholdFilter(search=term))  # noqa: E731
    assert search("o'bri") == ["LIV-00001"]
    assert search("OBRIEN") == []
    assert search("siobhán o") == ["LIV-00001"]
    assert search("smi") == ["LIV-00002"]
    assert search("tom smith") == ["LIV-00002"]
    assert search("l40") == ["LIV-00001"]
    assert search("CH41 2") == ["LIV-00002"]
    assert search("liv-0000") == ["LIV-00001", "LIV-00002"]
    assert search("liv-00002") == ["LIV-00002"]
    assert search("mith") == []  # prefixes, not substrings: every search uses an index


def test_search_matches_a_phone_number_from_its_start_however_it_is_spaced(
    database: Database, staff: Staff
) -> None:
    register(
        database,
        staff.manager,
        staff.ada,
        person_input(phone="07700 900123"),
        person_input(role="secondary", given_name="Sam", phone="+44 7700 900456"),
        reference="LIV-00001",
    )
    register(database, staff.manager, staff.ada, person_input(phone=""), reference="LIV-00002")
    search = lambda term: refs(database, staff.manager, where=HouseholdFilter(search=term))  # noqa: E731
    assert search("07700900123") == ["LIV-00001"]
    assert search("0770 0900 1") == ["LIV-00001"]
    assert search("07700 900456") == ["LIV-00001"]  # held as +44
    assert search("+447700900123") == ["LIV-00001"]
    assert search("900123") == []  # from its start, as every search uses an index
    assert search("077") == []  # too few digits to be a phone number


def test_a_member_who_left_is_not_found_by_search(database: Database, staff: Staff) -> None:
    from hiw_tui.db.households.people import remove_person

    record = register(database, staff.manager, staff.ada, person_input(family_name="Leaver"))
    person = record.members[0]
    database.write(
        remove_person,
        actor=staff.manager,
        person_id=person.id,
        version=person.version,
        left_on=date(2026, 1, 5),
    )
    assert refs(database, staff.manager, where=HouseholdFilter(search="leaver")) == []


def test_filters_combine(database: Database, staff: Staff) -> None:
    register(database, staff.manager, staff.ada, status="active", reference="A-001")
    register(database, staff.manager, staff.ada, status="referred", reference="A-002")
    register(database, staff.manager, staff.ben, status="active", reference="B-001")
    register(database, staff.manager, staff.cal, status="active", reference="C-001")
    where = HouseholdFilter(local_authority="liverpool", status="active")
    assert refs(database, staff.manager, where=where) == ["A-001", "B-001"]
    where = HouseholdFilter(advocate_id=staff.ada.id, status="active")
    assert refs(database, staff.manager, where=where) == ["A-001"]


def test_sorting_and_paging(database: Database, staff: Staff) -> None:
    for n, family in enumerate(["Carr", "Abbot", "Bell", "Abbot"]):
        register(
            database,
            staff.manager,
            staff.ada,
            person_input(family_name=family, given_name=f"G{n}"),
            reference=f"R-{n:03d}",
        )
    assert refs(database, staff.manager, sort="name") == ["R-001", "R-003", "R-002", "R-000"]
    assert refs(database, staff.manager, sort="name", descending=True) == [
        "R-000",
        "R-002",
        "R-003",
        "R-001",
    ]
    assert refs(database, staff.manager, sort="reference", limit=2, offset=2) == ["R-002", "R-003"]
    page = database.read(
        household_page,
        actor=staff.manager,
        where=HouseholdFilter(),
        sort="reference",
        descending=False,
        limit=3,
        offset=99,
    )
    assert (page.total, page.offset, [r.reference for r in page.rows]) == (4, 3, ["R-003"])


@pytest.mark.parametrize("few", [False, True])
def test_a_household_not_started_sorts_after_every_start_date(
    database: Database, staff: Staff, few: bool
) -> None:
    for n, start in enumerate([date(2025, 6, 2), None, date(2025, 1, 6)]):
        register(
            database,
            staff.manager,
            staff.ada,
            reference=f"R-{n:03d}",
            status="active" if start else "referred",
            start_date=start,
        )
    assert refs(database, staff.manager, sort="start", few=few) == ["R-002", "R-000", "R-001"]
    assert refs(database, staff.manager, sort="start", descending=True, few=few) == [
        "R-001",
        "R-000",
        "R-002",
    ]
    row = database.read(list_households, actor=staff.manager, sort="start", limit=1, offset=2)
    assert (row[0].reference, row[0].start_date) == ("R-001", None)


def test_list_rows_summarise_the_current_members(database: Database, staff: Staff) -> None:
    register(
        database,
        staff.manager,
        staff.ada,
        person_input(given_name="Ann", family_name="Lee", support_needs=["carer", "esol", "neet"]),
        person_input(
            role="secondary", given_name="Bo", family_name="Lee", support_needs=["homeless"]
        ),
    )
    (row,) = database.read(list_households, actor=staff.manager)
    assert (row.primary_name, row.member_count, row.need_count) == ("Lee, Ann", 2, 4)
    assert row.advocate_name == staff.ada.display_name


def test_opening_a_household_is_audited_in_the_same_transaction(
    database: Database, staff: Staff
) -> None:
    record = register(database, staff.manager, staff.ada)
    database.write(open_household, actor=staff.ada, household_id=record.id)
    latest = database.read(events_for_household, actor=staff.manager, household_id=record.id)[0]
    assert (latest.action, latest.entity, latest.actor_id) == ("view", "household", staff.ada.id)
    assert database.read(events_for_household, actor=staff.cal, household_id=record.id) == []


def test_an_edit_is_audited_with_old_and_new_values(database: Database, staff: Staff) -> None:
    record = register(database, staff.manager, staff.ada)
    data = household_input(
        staff.ada, reference=record.reference, status="exited", end_date=date(2026, 2, 1)
    )
    saved = database.write(
        update_household, actor=staff.ada, household_id=record.id, version=record.version, data=data
    )
    assert saved.version == record.version + 1
    latest = database.read(events_for_household, actor=staff.manager, household_id=record.id)[0]
    assert latest.action == "update"
    assert latest.changes == {"status": ["active", "exited"], "end_date": [None, "2026-02-01"]}


def test_saving_a_stale_copy_is_a_conflict_and_overwrites_nothing(
    database: Database, staff: Staff
) -> None:
    record = register(database, staff.manager, staff.ada)
    theirs = household_input(staff.ada, reference=record.reference, referral_route="council")
    database.write(
        update_household,
        actor=staff.manager,
        household_id=record.id,
        version=record.version,
        data=theirs,
    )
    mine = household_input(staff.ada, reference=record.reference, referral_route="self")
    with pytest.raises(Conflict) as caught:
        database.write(
            update_household,
            actor=staff.ada,
            household_id=record.id,
            version=record.version,
            data=mine,
        )
    assert ("referral_route", "council", "self") in caught.value.differences()
    assert caught.value.current_version == record.version + 1
    stored = database.write(open_household, actor=staff.ada, household_id=record.id)
    assert stored.referral_route == "council"


def test_only_supervisors_and_managers_reassign_and_only_within_the_area(
    database: Database, staff: Staff
) -> None:
    record = register(database, staff.manager, staff.ada)
    to_ben = household_input(staff.ben, reference=record.reference)
    with pytest.raises(Forbidden):
        database.write(
            update_household,
            actor=staff.ada,
            household_id=record.id,
            version=record.version,
            data=to_ben,
        )
    to_cal = household_input(staff.cal, reference=record.reference, local_authority="liverpool")
    with pytest.raises(FieldError) as caught:
        database.write(
            update_household,
            actor=staff.liverpool_supervisor,
            household_id=record.id,
            version=record.version,
            data=to_cal,
        )
    assert caught.value.field == "advocate_id"
    moved = database.write(
        update_household,
        actor=staff.liverpool_supervisor,
        household_id=record.id,
        version=record.version,
        data=to_ben,
    )
    assert moved.advocate_id == staff.ben.id
    assert database.read(count_households, actor=staff.ada) == 0
    assert database.read(count_households, actor=staff.ben) == 1
    latest = database.read(events_for_household, actor=staff.manager, household_id=record.id)[0]
    assert latest.changes["advocate"] == [staff.ada.username, staff.ben.username]  # not ids


def test_an_advocate_registers_only_on_their_own_caseload(database: Database, staff: Staff) -> None:
    with pytest.raises(Forbidden):
        database.write(create_household, actor=staff.ada, data=household_input(staff.ben))
    with pytest.raises(Forbidden):
        database.write(
            create_household, actor=staff.liverpool_supervisor, data=household_input(staff.cal)
        )
    assert (
        database.write(
            create_household, actor=staff.ada, data=household_input(staff.ada)
        ).advocate_id
        == staff.ada.id
    )


def test_a_reference_is_unique(database: Database, staff: Staff) -> None:
    register(database, staff.manager, staff.ada, reference="LIV-00007")
    with pytest.raises(FieldError) as caught:
        register(database, staff.manager, staff.ben, reference="liv-00007")
    assert caught.value.field == "reference"
    assert database.read(count_households, actor=staff.manager) == 1


def test_suggested_references_follow_the_area_pattern(database: Database, staff: Staff) -> None:
    def suggest() -> str:
        return database.read(
            suggest_reference, actor=staff.ada, local_authority=LocalAuthority.LIVERPOOL
        )

    assert suggest() == "LIV-00001"
    register(database, staff.manager, staff.ada, reference="LIV-00041")
    assert suggest() == "LIV-00042"


@pytest.mark.parametrize("descending", [False, True])
def test_a_few_matches_found_first_give_the_same_pages_as_the_index_walk(
    database: Database, staff: Staff, descending: bool
) -> None:
    """`few` changes how a page is found, never which rows it holds or their order."""
    for n, (start, status) in enumerate(
        [
            (date(2025, 11, 3), "active"),
            (date(2025, 9, 1), "referred"),
            (date(2025, 11, 3), "active"),
        ]
        * 3
    ):
        register(
            database,
            staff.manager,
            staff.ada if n % 2 else staff.ben,
            person_input(family_name=f"Few{n % 4}"),
            start_date=start,
            status=status,
        )
    for sort in ("reference", "name", "members", "start", "status", "area"):
        for where in (
            HouseholdFilter(),
            HouseholdFilter(search="few"),
            HouseholdFilter(status="active"),
        ):
            for offset in (0, 2, 4):
                pages = [
                    refs(
                        database,
                        staff.manager,
                        where=where,
                        sort=sort,
                        descending=descending,
                        limit=3,
                        offset=offset,
                        few=few,
                    )
                    for few in (False, True)
                ]
                assert pages[0] == pages[1] and pages[0], (sort, where, offset)


def test_a_search_is_counted_and_paged_in_one_pass_and_a_page_past_its_end_is_the_last(
    database: Database, staff: Staff
) -> None:
    """A search's page carries its count (one pass over the look-ups): the count and the
    rows agree with the count on its own, and a page past the end shows the last page."""
    for n in range(7):
        register(
            database,
            staff.manager,
            staff.ada,
            person_input(family_name="Onepass" if n % 2 else "Other"),
            reference=f"R-{n:03d}",
        )
    where = HouseholdFilter(search="onepass")

    def page(offset: int) -> tuple[int, int, list[str]]:
        shown = database.read(
            household_page,
            actor=staff.manager,
            where=where,
            sort="reference",
            descending=True,
            limit=2,
            offset=offset,
        )
        return shown.total, shown.offset, [row.reference for row in shown.rows]

    assert database.read(count_households, actor=staff.manager, where=where) == 3
    assert page(0) == (3, 0, ["R-005", "R-003"])
    assert page(2) == (3, 2, ["R-001"])
    assert page(10) == (3, 2, ["R-001"])
    assert database.read(
        household_page,
        actor=staff.manager,
        where=HouseholdFilter(search="nobody"),
        sort="reference",
        descending=False,
        limit=2,
        offset=4,
    ) == HouseholdPage(rows=[], total=0, offset=0)
