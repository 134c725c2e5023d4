"""A household's timeline: every kind of event, in date order and in words, on both
databases; what an auditor does not see; scope; and a handful of queries however long
the history."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import event, text

from hiw_tui.db.access.users import get_user
from hiw_tui.db.casework.timeline import household_timeline
from hiw_tui.db.casework.timeline_models import Timeline, TimelineKind
from hiw_tui.db.core.engine import Database
from hiw_tui.db.core.errors import NotFound
from hiw_tui.db.core.models import UserPublic
from hiw_tui.demo.generate import DEMO_MANAGER, build_demo
from hiw_tui.domain.framework import load_framework
from tests.helpers.clock import TODAY
from tests.helpers.factories import person_input, register, spend
from tests.helpers.staff import Staff
from tests.helpers.timeline import PARTNER, lived_household, recorded_on

FRAMEWORK = load_framework()
REFERRAL = f"Referral to {PARTNER}"
CHECKIN = "Check-in after exit"


def _timeline(
    database: Database, actor: UserPublic, household_id: int, *, audited: bool = True
) -> Timeline:
    return database.write(
        household_timeline,
        actor=actor,
        household_id=household_id,
        framework=FRAMEWORK,
        audited=audited,
    )


def _lines(timeline: Timeline) -> list[tuple[str, str, str, str]]:
    """(day, kind, member, what) of each event, the budget's left out."""
    names = {person.id: person.name for person in timeline.people}
    return [
        (event.on.isoformat(), event.kind.label, names.get(event.person_id or 0, "-"), event.what)
        for event in timeline.events
        if event.kind is not TimelineKind.BUDGET
    ]


HISTORY = [
    ("2025-12-15", "Case", "-", "Referral received: Jobcentre Plus"),
    ("2026-01-05", "Case", "-", "Support started"),
    ("2026-01-05", "Member", "Jo Lived", "Joined: Jo Lived (primary householder)"),
    ("2026-01-05", "Member", "Sam Lived", "Joined: Sam Lived (secondary householder)"),
    ("2026-01-06", "Reading", "Jo Lived", "First reading: Skills 2, Home 3, Money 1, "
     "Physical 2, Emotional 2, Family 3, Social 1, Aspiration 2"),
    ("2026-01-07", "Step", "Jo Lived", "Step planned: Write a CV"),
    ("2026-01-08", "Plan", "Jo Lived", "Plan agreed"),
    ("2026-01-10", "Referral", "Jo Lived", f"{REFERRAL}: made"),
    ("2026-01-20", "Step", "Jo Lived", "Step done: Write a CV"),
    ("2026-01-24", "Referral", "Jo Lived", f"{REFERRAL}: accepted"),
    ("2026-02-02", "Outcome", "Jo Lived", "Job started: Mersey Bakery, 20 hours a week"),
    ("2026-02-03", "Contact", "-", "Contact (phone): Welfare check"),
    ("2026-02-10", "Member", "Kim Lived", "Joined: Kim Lived (member)"),
    ("2026-02-20", "Member", "Sam Lived", "Left: Sam Lived"),
    ("2026-03-02", "Reading", "Jo Lived", "Reading: Skills 2→4 (+2), Physical 2→3 (+1)"),
    ("2026-03-02", "Referral", "-", f"{REFERRAL}: made (onward)"),
    ("2026-03-02", "Exit", "-", "Exited: Completed 12 months"),
    ("2026-03-16", "Contact", "-", "Contact (phone): Check-in"),
    ("2026-03-16", "Exit", "-", f"{CHECKIN}: done (contact on 2026-03-16)"),
    ("2026-04-13", "Exit", "-", f"{CHECKIN}: not done yet"),
    ("2026-05-25", "Exit", "-", f"{CHECKIN}: not done yet"),
]  # fmt: skip
"""The lived household's timeline (tests/helpers/timeline.py), as its advocate reads it."""


def test_a_households_year_in_date_order_and_in_words(
    database: Database, staff: Staff, monkeypatch: pytest.MonkeyPatch
) -> None:
    lived = lived_household(database, staff, recorded_on(monkeypatch))
    timeline = _timeline(database, staff.ada, lived.household_id)
    assert _lines(timeline) == HISTORY
    assert [person.name for person in timeline.people] == ["Jo Lived", "Sam Lived", "Kim Lived"]
    assert timeline.hidden == ""
    # The budget: spends on their days, a decision and the opening on the days made.
    today = datetime.now(UTC).astimezone().date()
    budget = [
        (event.on, event.what) for event in timeline.events if event.kind is TimelineKind.BUDGET
    ]
    assert sorted(budget) == sorted(
        [
            (today, "Budget opened: £1,000.00"),
            (date(2026, 2, 4), "Spend £12.50: Food, Anfield Co-op"),
            (date(2026, 2, 5), "Spend £260.00: Food, Currys"),
            (today, "Spend £260.00 approved: Currys"),
        ]
    )
    # Each event says what it opens: its member, and its row.
    reading = next(e for e in timeline.events if e.what.startswith("Reading:"))
    assert (reading.person_id, reading.item_id) == (lived.jo, 2)
    assert "Since 2026-01-06" in reading.detail
    assert reading.detail.endswith("completed together")  # as the form and list say it
    step = next(e for e in timeline.events if e.kind is TimelineKind.STEP)
    assert "Goal (Skills): Back into work" in step.detail
    # A contact names the members who took part, and is theirs when filtering.
    welfare = next(e for e in timeline.events if e.what.endswith("Welfare check"))
    assert welfare.detail.startswith("With: Jo Lived, Sam Lived, Aunt Sue;")
    assert welfare.involves(lived.jo) and welfare.involves(lived.sam)
    assert not welfare.involves(lived.kim)


def test_a_spend_waiting_for_approval_says_so(database: Database, staff: Staff) -> None:
    record = register(database, staff.ada, staff.ada, person_input())
    spend(database, staff.ada, record.id, "300.00", spent_on=TODAY, payee="Argos")
    whats = [event.what for event in _timeline(database, staff.ada, record.id).events]
    assert "Spend £300.00: Food, Argos (waiting for approval)" in whats


def test_an_auditor_reads_no_health_area_and_everything_else(
    database: Database, staff: Staff, monkeypatch: pytest.MonkeyPatch
) -> None:
    lived = lived_household(database, staff, recorded_on(monkeypatch))
    advocate = _timeline(database, staff.ada, lived.household_id)
    auditor = _timeline(database, staff.auditor, lived.household_id)
    assert auditor.hidden == "Physical Health and Emotional Health scores are hidden"
    said = repr(auditor)
    assert "Physical" not in said.replace(auditor.hidden, "") and "Emotional" not in said.replace(
        auditor.hidden, ""
    )
    readings = [e.what for e in auditor.events if e.kind is TimelineKind.READING]
    assert readings == [
        "First reading: Skills 2, Home 3, Money 1, Family 3, Social 1, Aspiration 2",
        "Reading: Skills 2→4 (+2)",
    ]
    others = [(e.on, e.what) for e in advocate.events if e.kind is not TimelineKind.READING]
    assert [(e.on, e.what) for e in auditor.events if e.kind is not TimelineKind.READING] == others


def test_the_timeline_is_in_scope_and_opening_it_is_audited(
    database: Database, staff: Staff, monkeypatch: pytest.MonkeyPatch
) -> None:
    lived = lived_household(database, staff, recorded_on(monkeypatch), spending=False)
    for outsider in (staff.ben, staff.cal, staff.wirral_supervisor):
        with pytest.raises(NotFound):
            _timeline(database, outsider, lived.household_id)
    assert _lines(_timeline(database, staff.liverpool_supervisor, lived.household_id)) == HISTORY
    with database.engine.connect() as connection:
        views = connection.execute(
            text("SELECT actor_id FROM audit_event WHERE action = 'view' AND entity = 'timeline'")
        ).all()
    assert [actor for (actor,) in views] == [staff.liverpool_supervisor.id]
    _timeline(database, staff.ada, lived.household_id, audited=False)
    with database.engine.connect() as connection:
        assert connection.scalar(text("SELECT count(*) FROM audit_event WHERE entity = 'timeline'"))


@contextmanager
def _statements(database: Database) -> Iterator[list[str]]:
    """The SQL statements sent while the block runs."""
    sent: list[str] = []

    def sending(*args: object) -> None:
        sent.append(str(args[2]))

    event.listen(database.engine, "before_cursor_execute", sending)
    try:
        yield sent
    finally:
        event.remove(database.engine, "before_cursor_execute", sending)


def test_every_demo_households_history_is_told_in_a_few_queries(database: Database) -> None:
    """On the demo (whose rows carry no audit trail): each reading, contact, outcome's
    start and end and referral is an event, in date order, in the same few queries
    for a household of a few events as for one of a hundred."""
    build_demo(database, households=12, seed=5, today=TODAY)
    manager = database.read(get_user, username=DEMO_MANAGER)
    assert manager is not None
    with database.engine.connect() as connection:
        households = [id_ for (id_,) in connection.execute(text("SELECT id FROM household"))]
        counts = {
            table: dict(
                connection.execute(
                    text(f"SELECT household_id, count(*) FROM {table} GROUP BY household_id")
                ).all()
            )
            for table in ("star_reading", "contact", "outcome", "referral")
        }
        ended = dict(
            connection.execute(
                text(
                    "SELECT household_id, count(*) FROM outcome WHERE end_on IS NOT NULL"
                    " GROUP BY household_id"
                )
            ).all()
        )
    queries = set()
    sizes = []
    for household_id in households:
        with _statements(database) as sent:
            timeline = _timeline(database, manager, household_id, audited=False)
        queries.add(len(sent))
        sizes.append(len(timeline.events))
        days = [event.on for event in timeline.events]
        assert days == sorted(days)
        kinds = Counter(event.kind for event in timeline.events)
        assert kinds[TimelineKind.READING] == counts["star_reading"].get(household_id, 0)
        assert kinds[TimelineKind.CONTACT] == counts["contact"].get(household_id, 0)
        assert kinds[TimelineKind.OUTCOME] == counts["outcome"].get(household_id, 0) + ended.get(
            household_id, 0
        )
        made = [e for e in timeline.events if e.what.endswith(": made") or "(onward)" in e.what]
        assert len(made) == counts["referral"].get(household_id, 0)
        assert kinds[TimelineKind.CASE] >= 1 and kinds[TimelineKind.MEMBER] >= 1
    assert max(sizes) > min(sizes) + 20  # long and short histories alike
    assert max(queries) <= 20 and max(queries) - min(queries) <= 2, queries
