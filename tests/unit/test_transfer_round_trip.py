"""Export, import into an empty database, export again: the two exports are the same,
byte for byte, for random databases made through the app's own functions (members with
awkward names and contact details, safe-contact households, draft and final readings
with notes, plans with goals and steps, outcomes repeated word for word, spends and
reversals) and, in some, the case work (partners, consents, referrals, contacts, a phased
exit) and steps carried out by a partner. On SQLite, and through PostgreSQL."""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, make_url, text

from hiw_tui.db.casework.contacts import save_contact
from hiw_tui.db.casework.outcomes import save_outcome
from hiw_tui.db.casework.plans import add_goal, add_step, agree_plan, household_plans
from hiw_tui.db.core.engine import Database
from hiw_tui.db.core.models import UserPublic
from hiw_tui.db.core.schema import upgrade
from hiw_tui.db.ledger.posting import reverse_spend
from hiw_tui.domain.budget import ReversalInput
from hiw_tui.domain.case_inputs import ContactInput, GoalInput, OutcomeInput
from hiw_tui.domain.framework import load_framework
from hiw_tui.transfer.export import export_directory
from hiw_tui.transfer.load import import_directory
from tests.helpers.casework import casework
from tests.helpers.clock import TODAY
from tests.helpers.database import TABLES, new_token, sqlite_copy
from tests.helpers.factories import (
    POLICY,
    add_reading,
    person_input,
    reading_input,
    register,
    spend,
    step_input,
)
from tests.helpers.staff import Staff, add_staff

NAMES = ("Ann", "O'Neill", "=SUM(A1)", "+44 7700", "-Lee", "@home", "Zoë", "'Quoted", "Ng")
NOTES = ("", 'Said "fine"', "=cmd|' /C calc'!A0", "line one\nline two", "£20 voucher", "-")
ADDRESSES = ("", "1 Hidden Lane", '=HYPERLINK("x")', "Flat 2, 10 Road")


@dataclass(frozen=True)
class Member:
    given: str
    family: str
    address: str
    readings: tuple[tuple[int, bool, str], ...]
    """(days before today, final, note)"""
    goals: tuple[tuple[str, tuple[str, ...]], ...]
    """(area, step descriptions)"""
    outcomes: tuple[str, ...]
    took_part: bool
    """In the household's contact, when it has one."""


@dataclass(frozen=True)
class Case:
    safe_contact: bool
    members: tuple[Member, ...]
    household_goal: bool
    agreed: bool
    spends: tuple[tuple[int, bool], ...]
    """(pence, reversed)"""
    contact: bool
    programmes: tuple[str, ...]
    """Before HiW, by code; "none" alone."""


members = st.builds(
    Member,
    given=st.sampled_from(NAMES),
    family=st.sampled_from(NAMES),
    address=st.sampled_from(ADDRESSES),
    readings=st.lists(
        st.tuples(st.integers(1, 400), st.booleans(), st.sampled_from(NOTES)), max_size=2
    ).map(tuple),
    goals=st.lists(
        st.tuples(
            st.sampled_from(("skills", "money", "physical_health")),
            st.lists(
                st.sampled_from(("Attend Jobcentre appointment", "Write a CV")), max_size=2
            ).map(tuple),
        ),
        max_size=2,
    ).map(tuple),
    outcomes=st.lists(st.sampled_from(("Food bank", "Café", "=x")), max_size=2).map(tuple),
    took_part=st.booleans(),
)
cases = st.lists(
    st.builds(
        Case,
        safe_contact=st.booleans(),
        members=st.lists(members, min_size=1, max_size=3).map(tuple),
        household_goal=st.booleans(),
        agreed=st.booleans(),
        spends=st.lists(st.tuples(st.integers(1, 20_000), st.booleans()), max_size=3).map(tuple),
        contact=st.booleans(),
        programmes=st.one_of(
            st.just(("none",)),
            st.lists(
                st.sampled_from(("work_programme", "talent_match", "jcp_support")), max_size=2
            ).map(tuple),
        ),
    ),
    min_size=1,
    max_size=3,
)


def build(database: Database, staff: Staff, households: list[Case]) -> None:
    ada = staff.ada
    for case in households:
        people = [
            person_input(
                role="primary" if index == 0 else "member",
                given_name=member.given,
                family_name=member.family,
                address=member.address,
            )
            for index, member in enumerate(case.members)
        ]
        record = register(
            database,
            ada,
            ada,
            *people,
            safe_contact=case.safe_contact,
            previous_programme_codes=list(case.programmes),
        )
        plans = database.read(household_plans, actor=ada, household_id=record.id)
        person_ids = [plan.person_id for plan in plans if plan.person_id is not None]
        for member, person_id in zip(case.members, person_ids, strict=True):
            for days, final, note in member.readings:
                status = "final" if final else "draft"
                data = reading_input(TODAY - timedelta(days=days), 4, 2, notes=note, status=status)
                add_reading(database, ada, person_id, data)
            for area, steps in member.goals:
                _goal(database, ada, record.id, person_id, area, steps)
            for organisation in member.outcomes:
                data = OutcomeInput(
                    person_id=person_id,
                    kind="volunteering",  # type: ignore[arg-type]
                    organisation=organisation,
                    start_on=date(2026, 1, 5),
                    hours=4,
                )
                database.write(save_outcome, actor=ada, household_id=record.id, data=data)
        if case.contact:
            took_part = [
                person_id
                for member, person_id in zip(case.members, person_ids, strict=True)
                if member.took_part
            ]
            data = ContactInput(
                contacted_on=TODAY, mode="phone", purpose="Check in", participant_ids=took_part
            )
            database.write(save_contact, actor=ada, household_id=record.id, data=data)
        if case.household_goal:
            _goal(database, ada, record.id, None, "family", ("Family meeting",))
        if case.agreed:
            for plan in database.read(household_plans, actor=ada, household_id=record.id):
                if plan.id is not None:
                    database.write(
                        agree_plan, actor=ada, plan_id=plan.id, version=plan.version, today=TODAY
                    )
        for pence, reversed_ in case.spends:
            view = spend(
                database, ada, record.id, pence, description=NOTES[pence % len(NOTES)][:50]
            )
            if reversed_ and pence <= POLICY.approval_threshold_pence:
                entry = max(line.id for line in view.lines if line.kind == "spend")
                database.write(
                    reverse_spend,
                    actor=ada,
                    household_id=record.id,
                    entry_id=entry,
                    data=ReversalInput(reason="Wrong household"),
                    today=TODAY,
                    policy=POLICY,
                )


def _goal(
    database: Database,
    actor: UserPublic,
    household_id: int,
    person_id: int | None,
    area: str,
    steps: tuple[str, ...],
) -> None:
    plans = database.write(
        add_goal,
        actor=actor,
        household_id=household_id,
        person_id=person_id,
        data=GoalInput(area=area, description="Steady " + area),
        today=TODAY,
    )
    plan = next(plan for plan in plans if plan.person_id == person_id)
    goal = plan.goals[-1]
    for description in steps:
        data = step_input(description, status_on=TODAY)
        database.write(add_step, actor=actor, goal_id=goal.id, data=data, today=TODAY)


def exported(database: Database, actor: UserPublic, folder: Path) -> dict[str, bytes]:
    database.write(export_directory, actor=actor, folder=folder)
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def check_round_trip(
    source: Database, target: Database, households: list[Case], with_casework: bool
) -> None:
    staff, importer = add_staff(source), add_staff(target).manager
    build(source, staff, households)
    if with_casework:
        partners = casework(source, staff)
        plans = source.read(household_plans, actor=staff.ada, household_id=1)
        goal = next((g for plan in plans for g in plan.goals), None)
        if goal is not None:
            data = step_input(
                "Food parcel", owner="partner", partner_id=partners["North Food Bank"]
            )
            source.write(add_step, actor=staff.ada, goal_id=goal.id, data=data, today=TODAY)
    with tempfile.TemporaryDirectory() as work:
        first = exported(source, staff.manager, Path(work) / "first")
        result = import_directory(
            target,
            actor=importer,
            folder=Path(work) / "first",
            today=TODAY,
            framework=load_framework(),
            policy=POLICY,
        )
        assert result.problems == [] and result.written
        second = exported(target, importer, Path(work) / "second")
    assert second.keys() == first.keys()
    for name, content in first.items():
        assert second[name] == content, name


SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@SETTINGS
@given(households=cases, with_casework=st.booleans())
def test_an_export_comes_back_the_same_through_sqlite(
    sqlite_template: Path, households: list[Case], with_casework: bool
) -> None:
    with tempfile.TemporaryDirectory() as work:
        (Path(work) / "a").mkdir()
        (Path(work) / "b").mkdir()
        source = sqlite_copy(sqlite_template, Path(work) / "a")
        target = sqlite_copy(sqlite_template, Path(work) / "b")
        try:
            check_round_trip(source, target, households, with_casework)
        finally:
            source.dispose()
            target.dispose()


@pytest.fixture(scope="module")
def postgres_pair(postgres_url: str) -> Iterator[tuple[Database, Database]]:
    """The session's PostgreSQL database and a second one beside it."""
    server = make_url(postgres_url)
    admin = create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    name = f"hiw_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    second = Database(server.set(database=name).render_as_string(hide_password=False))
    upgrade(second.engine)
    first = Database(postgres_url)
    yield first, second
    first.dispose()
    second.dispose()
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.mark.postgres
@SETTINGS
@given(households=cases, with_casework=st.booleans())
def test_an_export_comes_back_the_same_through_postgresql(
    postgres_pair: tuple[Database, Database], households: list[Case], with_casework: bool
) -> None:
    for database in postgres_pair:
        with database.engine.begin() as connection:
            connection.execute(text(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE"))
        new_token(database)
    check_round_trip(*postgres_pair, households, with_casework)
