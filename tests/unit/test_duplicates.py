"""Looking for possible duplicates in the database (SQLite and PostgreSQL): who is found,
what each user is told of them, what is audited, and that each look-up uses an index."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text, update
from sqlmodel import Session, col, select

from hiw_tui.db.audit.trail import events_for_household
from hiw_tui.db.core.engine import Database
from hiw_tui.db.core.models import AuditEvent, HouseholdPublic, Person, UserPublic
from hiw_tui.db.households.duplicates import (
    DuplicateCheck,
    duplicates_of,
    possible_duplicates,
    record_duplicate_decision,
)
from hiw_tui.db.households.people import remove_person
from hiw_tui.domain.duplicates import Candidate, Reason
from tests.helpers.factories import person_input, register
from tests.helpers.staff import Staff

BORN = date(1990, 2, 3)
PHONE = "07700 900123"
EMAIL = "siobhan@example.org"


def _siobhan(database: Database, staff: Staff, **overrides: object) -> HouseholdPublic:
    """Ada's household (Liverpool) whose primary is Siobhan O'Donnell, with a phone and email."""
    return register(
        database,
        staff.manager,
        overrides.pop("advocate", staff.ada),  # type: ignore[arg-type]
        person_input(
            given_name="Siobhan",
            family_name="O'Donnell",
            date_of_birth=BORN,
            phone=PHONE,
            email=EMAIL,
        ),
        **overrides,
    )


def _check(
    database: Database, actor: UserPublic, candidate: Candidate, household_id: int | None = None
) -> DuplicateCheck:
    return database.read(duplicates_of, actor=actor, sought=[(candidate, household_id)])[0]


def test_a_similar_name_born_the_same_day_is_shown_in_scope(
    database: Database, staff: Staff
) -> None:
    held = _siobhan(database, staff)
    check = _check(database, staff.ada, Candidate("siobhán", "ODONNELL", BORN))
    assert not check.elsewhere
    [match] = check.matches
    assert (match.name, match.reference, match.date_of_birth, match.advocate_name) == (
        "Siobhan O'Donnell",
        held.reference,
        BORN,
        "Ada Adv",
    )
    assert match.reasons == (Reason.NAME,) and match.household_id == held.id
    assert not _check(
        database, staff.ada, Candidate("Siobhan", "O'Donnell", date(1990, 2, 4))
    ).found


def test_the_same_phone_or_email_is_found_whatever_the_name(
    database: Database, staff: Staff
) -> None:
    _siobhan(database, staff)
    by_phone = _check(database, staff.ada, Candidate("Pat", "Other", BORN, phone="+44 7700 900123"))
    assert [m.reasons for m in by_phone.matches] == [(Reason.PHONE,)]
    by_email = _check(
        database,
        staff.ada,
        Candidate("Pat", "Other", date(1970, 1, 1), email="SIOBHAN@example.org"),
    )
    assert [m.reasons for m in by_email.matches] == [(Reason.EMAIL,)]


def test_outside_the_users_scope_only_the_fact_is_told_with_whom_to_ask(
    database: Database, staff: Staff
) -> None:
    _siobhan(database, staff)
    same = Candidate("Siobhan", "O'Donnell", BORN, phone=PHONE)
    for reader in (staff.ada, staff.liverpool_supervisor, staff.manager):
        assert _check(database, reader, same).matches, reader.username
    ben = _check(database, staff.ben, same)  # another Liverpool advocate
    assert ben.matches == () and ben.elsewhere
    assert ben.elsewhere_text == (
        "A possible match is held in another caseload. Ask your supervisor (Sam Super) "
        "before going on; nothing more about it is shown here."
    )
    cal = _check(database, staff.cal, same)  # a Wirral advocate: the same words, no area
    assert cal.matches == () and cal.elsewhere and "Liverpool" not in cal.elsewhere_text
    wyn = _check(database, staff.wirral_supervisor, same)
    assert wyn.ask == "a programme manager (Pat Manager)"
    assert "Siobhan" not in repr(ben) + repr(cal) + repr(wyn)


def test_a_safe_contact_households_contact_details_are_never_matched(
    database: Database, staff: Staff
) -> None:
    _siobhan(database, staff, safe_contact=True)
    contact_only = Candidate("Pat", "Other", date(1970, 1, 1), phone=PHONE, email=EMAIL)
    for reader in (staff.ada, staff.ben, staff.liverpool_supervisor, staff.manager):
        assert not _check(database, reader, contact_only).found, reader.username
    # Its name and date of birth still are, by the same scope rule as any household.
    same = Candidate("Siobhan", "O'Donnell", BORN, phone=PHONE, email=EMAIL)
    assert [m.reasons for m in _check(database, staff.ada, same).matches] == [(Reason.NAME,)]
    assert _check(database, staff.ben, same).elsewhere


def test_the_household_joined_shares_its_phone_but_not_its_people(
    database: Database, staff: Staff
) -> None:
    held = _siobhan(database, staff)
    sibling = Candidate("Pat", "O'Donnell", date(1995, 1, 1), phone=PHONE, email=EMAIL)
    assert not _check(database, staff.ada, sibling, held.id).found
    again = Candidate("Siobhan", "O'Donnell", BORN, phone=PHONE)
    assert [m.reasons for m in _check(database, staff.ada, again, held.id).matches] == [
        (Reason.NAME,)
    ]


def test_a_member_who_left_is_found_with_the_day_they_left_and_the_erased_never(
    database: Database, staff: Staff
) -> None:
    held = _siobhan(database, staff)
    member = held.members[0]
    database.write(
        remove_person,
        actor=staff.ada,
        person_id=member.id,
        version=member.version,
        left_on=date(2026, 1, 5),
    )
    same = Candidate("Siobhan", "O'Donnell", BORN)
    assert [m.left_on for m in _check(database, staff.ada, same).matches] == [date(2026, 1, 5)]

    def erase(session: Session) -> None:
        session.execute(update(Person).values(erased_on=date(2026, 2, 1)))

    database.write(erase)
    assert not _check(database, staff.manager, same).found


def test_many_people_are_looked_for_at_once(database: Database, staff: Staff) -> None:
    _siobhan(database, staff)
    sought = [
        (Candidate("Nobody", "Here", date(1971, 1, 1)), None),
        (Candidate("Siobhan", "ODonnell", BORN), None),
        (Candidate("Pat", "Other", BORN, email=EMAIL), None),
    ]
    checks = database.read(duplicates_of, actor=staff.ada, sought=sought)
    assert [bool(check.matches) for check in checks] == [False, True, True]
    assert database.read(duplicates_of, actor=staff.ada, sought=[]) == []


def _audited(database: Database, household_id: int) -> list[tuple[str, dict[str, object]]]:
    def rows(session: Session) -> list[tuple[str, dict[str, object]]]:
        statement = (
            select(AuditEvent)
            .where(col(AuditEvent.action).startswith("duplicate"))
            .order_by(col(AuditEvent.id))
        )
        return [
            (e.action, e.changes) for e in session.exec(statement) if e.household_id == household_id
        ]

    return database.read(rows)


def test_the_warning_and_the_decision_are_audited(database: Database, staff: Staff) -> None:
    held = _siobhan(database, staff)
    other = register(
        database, staff.manager, staff.ada, person_input(date_of_birth=date(1980, 1, 1))
    )
    same = Candidate("Siobhan", "O'Donnell", BORN)
    check = database.write(possible_duplicates, actor=staff.ben, candidate=same, household_id=None)
    assert check.elsewhere  # ben's own warning: audited without a household
    check = database.write(
        possible_duplicates, actor=staff.ada, candidate=same, household_id=other.id
    )
    database.write(
        record_duplicate_decision,
        actor=staff.ada,
        household_id=other.id,
        decision="open",
        opened=held.id,
    )
    nothing = Candidate("No", "Match", date(1971, 1, 1))
    database.write(possible_duplicates, actor=staff.ada, candidate=nothing, household_id=other.id)
    assert _audited(database, other.id) == [
        (
            "duplicate_warning",
            {"shown": [None, [held.members[0].id]], "elsewhere": [None, False]},
        ),
        ("duplicate_decision", {"decision": [None, "open"], "opened": [None, held.id]}),
    ]
    history = database.read(events_for_household, actor=staff.ada, household_id=other.id)
    assert {event.action for event in history} >= {"duplicate_warning", "duplicate_decision"}
    with pytest.raises(ValueError, match="not a decision"):
        database.write(
            record_duplicate_decision, actor=staff.ada, household_id=other.id, decision="maybe"
        )


@pytest.mark.parametrize(
    ("where", "index"),
    [
        ("date_of_birth IN ('1990-02-03', '1990-02-04')", "ix_person_date_of_birth"),
        ("phone_key IN ('07700900123')", "ix_person_phone_key"),
        ("email_key IN ('siobhan@example.org')", "ix_person_email_key"),
    ],
)
def test_each_look_up_uses_an_index(sqlite_database: Database, where: str, index: str) -> None:
    """SQLite's plan for each narrowing look-up; PostgreSQL's planner reads a table this
    small whole, so its plan says nothing of 300,000 people."""

    def plan(session: Session) -> str:
        rows = session.execute(text(f"EXPLAIN QUERY PLAN SELECT id FROM person WHERE {where}"))
        return " ".join(str(row[-1]) for row in rows)

    assert index in sqlite_database.read(plan)
