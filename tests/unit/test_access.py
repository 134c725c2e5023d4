"""Roles and what they may see: the read-only auditor, sensitive fields withheld, the
safe-contact flag, searches audited, the audit browser's scope."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import col, select

from hiw_tui.db.audit.log import AuditFilter, audit_page
from hiw_tui.db.core.engine import Database
from hiw_tui.db.core.errors import Forbidden
from hiw_tui.db.core.models import AuditEvent, AuditPublic
from hiw_tui.db.households.households import (
    HouseholdFilter,
    create_household,
    household_page,
    list_households,
    open_household,
    update_household,
)
from hiw_tui.db.households.people import update_person
from hiw_tui.domain.counting import Period
from hiw_tui.domain.sensitive import HIDDEN, REDACTED
from hiw_tui.reports.queries.cohort import cohort_profile
from hiw_tui.transfer.export import export_directory
from tests.helpers.clock import TODAY
from tests.helpers.factories import household_input, person_input, register
from tests.helpers.staff import Staff


def _all_audit(database: Database) -> list[AuditPublic]:
    return database.read(
        lambda session: [
            AuditPublic.model_validate(event)
            for event in session.exec(select(AuditEvent).order_by(col(AuditEvent.seq)))
        ]
    )


def test_the_auditor_reads_everything_and_changes_nothing(database: Database, staff: Staff) -> None:
    liverpool = register(database, staff.manager, staff.ada, person_input())
    register(database, staff.manager, staff.cal, person_input(postcode="CH41 1AA"))
    assert len(database.read(list_households, actor=staff.auditor)) == 2
    record = database.write(open_household, actor=staff.auditor, household_id=liverpool.id)
    with pytest.raises(Forbidden):
        database.write(
            update_household,
            actor=staff.auditor,
            household_id=record.id,
            version=record.version,
            data=household_input(staff.ada, reference=record.reference),
        )
    with pytest.raises(Forbidden):
        database.write(create_household, actor=staff.auditor, data=household_input(staff.ada))


def test_sensitive_fields_are_withheld_from_a_role_without_the_permission(
    database: Database, staff: Staff
) -> None:
    person = person_input(
        ethnicity="black", support_needs=["mental_health", "domestic_abuse", "ex_offender", "carer"]
    )
    record = register(database, staff.manager, staff.ada, person)
    seen = database.write(open_household, actor=staff.auditor, household_id=record.id).members[0]
    assert seen.ethnicity == HIDDEN and seen.sensitive_hidden
    assert seen.support_needs == ("carer",)
    advocate_view = database.write(open_household, actor=staff.ada, household_id=record.id)
    assert advocate_view.members[0].ethnicity == "black"
    assert set(advocate_view.members[0].support_needs) == {
        "mental_health",
        "domestic_abuse",
        "ex_offender",
        "carer",
    }
    profile = database.read(cohort_profile, actor=staff.auditor, period=Period(as_of=TODAY))
    assert "Ethnicity" not in profile.tables and "Needs per person" not in profile.tables
    codes = {share.code for share in profile.tables["Support needs"]}
    assert "carer" in codes and not codes & {"mental_health", "domestic_abuse", "ex_offender"}
    full = database.read(cohort_profile, actor=staff.manager, period=Period(as_of=TODAY))
    assert "Ethnicity" in full.tables and not full.withheld
    sorted_rows = database.read(list_households, actor=staff.auditor, sort="needs")
    assert [row.reference for row in sorted_rows] == [record.reference]


def test_no_sensitive_value_is_copied_into_the_audit_trail(
    database: Database, staff: Staff
) -> None:
    record = register(database, staff.manager, staff.ada, person_input(support_needs=["parent"]))
    person = record.members[0]
    database.write(
        update_person,
        actor=staff.ada,
        person_id=person.id,
        version=person.version,
        data=person_input(ethnicity="asian", support_needs=["parent", "drug_misuse"]),
    )
    text = " ".join(str(event.changes) for event in _all_audit(database))
    assert "asian" not in text and "drug_misuse" not in text and "mental_health" not in text
    assert REDACTED in text and "parent" in text


def test_a_safe_contact_households_address_is_for_its_own_advocate_only(
    database: Database, staff: Staff
) -> None:
    person = person_input(address="1 Hidden Lane", postcode="L9 9ZZ", phone="07700 900123")
    record = register(database, staff.manager, staff.ada, person, safe_contact=True)
    mine = database.write(open_household, actor=staff.ada, household_id=record.id).members[0]
    assert (mine.address, mine.postcode, mine.phone) == ("1 Hidden Lane", "L9 9ZZ", "07700 900123")
    for other in (staff.liverpool_supervisor, staff.manager, staff.auditor):
        seen = database.write(open_household, actor=other, household_id=record.id).members[0]
        assert (seen.address, seen.postcode, seen.phone, seen.email) == ("", "", "", "")
        assert seen.contact_hidden
        for term in ("L9 9ZZ", "07700 900123", "0770090"):
            hidden_by = HouseholdFilter(search=term)
            assert database.read(list_households, actor=other, where=hidden_by) == [], term
            page = database.read(
                household_page,
                actor=other,
                where=hidden_by,
                sort="reference",
                descending=False,
                limit=10,
                offset=0,
            )
            assert (page.total, page.rows) == (0, []), term
    for term in ("L9 9ZZ", "07700 900123"):
        found = database.read(list_households, actor=staff.ada, where=HouseholdFilter(search=term))
        assert len(found) == 1
    # A supervisor's edit of the member (the form showed the details blank) keeps them.
    hidden = database.write(
        open_household, actor=staff.liverpool_supervisor, household_id=record.id
    ).members[0]
    database.write(
        update_person,
        actor=staff.liverpool_supervisor,
        person_id=hidden.id,
        version=hidden.version,
        data=person_input(given_name="Joanne", address="", postcode="", phone=""),
    )
    kept = database.write(open_household, actor=staff.ada, household_id=record.id).members[0]
    assert (kept.given_name, kept.address, kept.phone) == (
        "Joanne",
        "1 Hidden Lane",
        "07700 900123",
    )


def test_searches_and_audit_browsing_are_audited_and_scoped(
    database: Database, staff: Staff
) -> None:
    liverpool = register(database, staff.manager, staff.ada, person_input())
    wirral = register(database, staff.manager, staff.cal, person_input(postcode="CH41 1AA"))
    database.write(open_household, actor=staff.ada, household_id=liverpool.id)
    database.write(open_household, actor=staff.cal, household_id=wirral.id)
    page = database.write(
        audit_page, actor=staff.liverpool_supervisor, where=AuditFilter(), limit=50, offset=0
    )
    refs = {line.household_ref for line in page.lines}
    assert liverpool.reference in refs and wirral.reference not in refs
    everything = database.write(
        audit_page,
        actor=staff.auditor,
        where=AuditFilter(household_ref=wirral.reference),
        limit=50,
        offset=0,
    )
    assert everything.total >= 1 and {line.household_ref for line in everything.lines} == {
        wirral.reference
    }
    with pytest.raises(Forbidden):
        database.write(audit_page, actor=staff.ada, where=AuditFilter(), limit=50, offset=0)
    searches = [event for event in _all_audit(database) if event.action == "search"]
    assert [event.actor_id for event in searches] == [
        staff.liverpool_supervisor.id,
        staff.auditor.id,
    ]


def test_the_auditor_cannot_export_peoples_records(
    database: Database, staff: Staff, tmp_path: Path
) -> None:
    register(database, staff.manager, staff.ada, person_input())
    with pytest.raises(Forbidden):
        database.write(export_directory, actor=staff.auditor, folder=tmp_path / "out")
    assert not (tmp_path / "out").exists()
