"""The demo's people and households: deterministic for a seed, shaped like the published
profile, plausible for their age."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, text
from sqlmodel import Session, select

from hiw_tui.cli import main
from hiw_tui.db.access.users import get_user
from hiw_tui.db.casework.contacts import refresh_next_contacts
from hiw_tui.db.core.engine import Database
from hiw_tui.db.core.models import Household, Person, PersonNeed
from hiw_tui.db.households.households import count_households
from hiw_tui.db.households.people import refresh_summaries
from hiw_tui.demo.generate import DemoRefused, build_demo
from hiw_tui.demo.people import YOUNGEST_FOR_WORK
from hiw_tui.demo.places import POSTCODE_DISTRICTS
from hiw_tui.domain.codes import LocalAuthority, Programme, TimeSinceWork
from hiw_tui.domain.cohort import GENDER_PERCENT, SUPPORT_NEED_PERCENT, TIME_SINCE_WORK_PERCENT
from hiw_tui.domain.dates import age_on, whole_months
from tests.helpers.clock import TODAY
from tests.helpers.database import TABLES, sqlite_copy
from tests.helpers.demo import day, programme_demo, rows


@pytest.fixture(scope="module")
def cohort(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Database:
    return programme_demo(sqlite_template, tmp_path_factory)


DETERMINED = (
    "SELECT reference, primary_name, status, start_date, end_date, referred_on, exit_reason,"
    " exit_destination, next_contact_on FROM household ORDER BY id",
    "SELECT given_name, family_name, date_of_birth, postcode, time_since_work FROM person"
    " ORDER BY id",
    "SELECT r.person_id, r.taken_on, s.area, s.score FROM star_reading r "
    "JOIN star_score s ON s.reading_id = r.id ORDER BY r.id, s.area",
    "SELECT g.area, s.description, s.status, s.due_on, s.done_on FROM plan_step s "
    "JOIN plan_goal g ON g.id = s.goal_id ORDER BY s.id",
    "SELECT person_id, kind, start_on, end_on, hours FROM outcome ORDER BY id",
    "SELECT household_id, spent_on, amount_pence, category, payee, needs_approval"
    " FROM ledger_entry ORDER BY id",
    "SELECT household_id, contacted_on, mode, purpose, recontact FROM contact ORDER BY id",
    "SELECT household_id, person_id, partner_id, status, made_on, status_on FROM referral"
    " ORDER BY id",
    'SELECT person_id, purpose, partner_id, given, "on" FROM consent ORDER BY id',
)
"""What a seed must give the same every time: households, people, readings, plans,
outcomes, spending, contacts, referrals and consents."""


def test_the_same_seed_builds_the_same_database(
    database: Database, sqlite_template: Path, tmp_path: Path
) -> None:
    build_demo(database, households=60, seed=3, today=TODAY)
    first = [rows(database, sql) for sql in DETERMINED]
    assert all(first)
    if database.engine.dialect.name == "sqlite":
        (tmp_path / "again").mkdir()
        again = sqlite_copy(sqlite_template, tmp_path / "again")
    else:  # the ledger is append-only: TRUNCATE, as the fixture empties it
        with database.engine.begin() as connection:
            connection.execute(text(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE"))
        again = database
    build_demo(again, households=60, seed=3, today=TODAY)
    assert [rows(again, sql) for sql in DETERMINED] == first
    manager = again.read(get_user, username="manager")
    assert again.read(count_households, actor=manager) == 60


def test_demo_readings_are_final_and_the_due_summary_matches_them(cohort: Database) -> None:
    """The bulk-built summaries equal what saving a reading or a contact would compute."""
    summary = (
        "SELECT id, primary_name, member_count, need_count, star_scored_through,"
        " next_contact_on FROM household"
    )
    built = rows(cohort, summary + " ORDER BY id")
    with Session(cohort.engine) as session:
        ids = list(session.exec(select(Household.id)).all())
        refresh_summaries(session, ids)  # type: ignore[arg-type]
        refresh_next_contacts(session, session.exec(select(Household)).all())
        session.flush()
        restated = [tuple(row) for row in session.execute(text(summary + " ORDER BY id"))]
        session.rollback()
    assert built == restated
    assert any(row[-1] for row in built)
    statuses = rows(cohort, "SELECT DISTINCT status, framework_id FROM star_reading")
    assert statuses == [("final", "hiw-default")]
    unread = rows(
        cohort,
        "SELECT count(*) FROM household h WHERE h.status != 'referred' AND NOT EXISTS "
        "(SELECT 1 FROM star_reading r WHERE r.household_id = h.id)",
    )[0][0]
    assert unread < len(ids) * 0.05  # only those that ended or began very recently


def test_a_demo_never_mixes_with_existing_households(cohort: Database) -> None:
    with pytest.raises(DemoRefused):
        build_demo(cohort, households=1, seed=1, today=TODAY)


def _share(counter: Counter[str], total: int) -> dict[str, float]:
    return {key: 100 * value / total for key, value in counter.items()}


def test_support_needs_follow_the_published_shares(cohort: Database) -> None:
    people = rows(cohort, "SELECT count(*) FROM person")[0][0]
    needs = Counter(dict(rows(cohort, "SELECT need, count(*) FROM person_need GROUP BY need")))
    shares = _share(needs, people)
    for need, published in SUPPORT_NEED_PERCENT.items():
        assert abs(shares.get(need.value, 0) - published) < 3, need
    assert not rows(
        cohort,
        "SELECT person_id FROM person_need WHERE need = 'lone_parent' AND person_id NOT IN "
        "(SELECT person_id FROM person_need WHERE need = 'parent')",
    )


_PEOPLE = (
    "SELECT p.id, p.role, p.time_since_work, p.gender, p.date_of_birth,"
    " coalesce(h.start_date, h.referred_on) FROM person p"
    " JOIN household h ON h.id = p.household_id"
)


def test_time_out_of_work_gender_and_ages_at_the_start_follow_the_published_shares(
    cohort: Database,
) -> None:
    """The published ages are ages on the programme: a 2018 household's people are older
    now, but were as old as the published bands when they started."""
    people = rows(cohort, _PEOPLE)
    work = _share(Counter(row[2] for row in people), len(people))
    for band, published in TIME_SINCE_WORK_PERCENT.items():
        assert abs(work.get(band.value, 0) - published) < 3, band
    genders = _share(Counter(row[3] for row in people), len(people))
    for gender, published in GENDER_PERCENT.items():
        assert abs(genders[gender.value] - published) < 3
    ages = [age_on(day(row[4]), day(row[5])) for row in people]
    assert min(ages) == 16 and max(ages) == 65
    assert abs(100 * sum(16 <= a <= 25 for a in ages) / len(ages) - 29) < 3
    assert abs(100 * sum(36 <= a <= 45 for a in ages) / len(ages) - 21) < 3
    assert max(age_on(day(row[4]), TODAY) for row in people) > 65  # years on, older


def test_people_are_plausible_for_their_age(cohort: Database) -> None:
    """Nobody under 16 at the start (householders included), nobody out of work longer
    than they have been 16, teenage parents young, NEET people under 25."""
    people = rows(cohort, _PEOPLE)
    for _, role, work, _, born, start in people:
        months_since_16 = whole_months(day(born), day(start)) - 16 * 12
        assert months_since_16 >= 0, role
        shortest = {"6-12m": 6, "12-18m": 12, "18-24m": 18, "24-36m": 24, "36m+": 36}
        assert months_since_16 >= shortest.get(work, 0), (work, months_since_16)
    assert YOUNGEST_FOR_WORK[TimeSinceWork.M36_PLUS] == 19
    for need, oldest in (("teenage_parent", 20), ("neet", 24)):
        ages = [
            age_on(day(born), day(start))
            for born, start in rows(
                cohort,
                "SELECT p.date_of_birth, coalesce(h.start_date, h.referred_on) FROM person p"
                " JOIN household h ON h.id = p.household_id JOIN person_need n"
                " ON n.person_id = p.id WHERE n.need = :need",
                need=need,
            )
        ]
        assert ages and max(ages) <= oldest and min(ages) >= 16, need
    long_out = [age_on(day(row[4]), day(row[5])) for row in people if row[2] == "36m+"]
    assert min(long_out) == 19


def test_postcodes_lie_in_the_households_own_area(cohort: Database) -> None:
    found = rows(
        cohort,
        "SELECT h.local_authority, p.postcode FROM person p "
        "JOIN household h ON h.id = p.household_id",
    )
    shape = re.compile(r"^[A-Z]{1,2}[0-9]{1,2} [0-9][A-Z]{2}$")
    for area, postcode in found:
        assert shape.match(postcode), postcode
        assert postcode.split()[0] in POSTCODE_DISTRICTS[LocalAuthority(area)]
    areas = {row[0] for row in found}
    assert areas == {area.value for area in LocalAuthority}


def test_list_summaries_match_the_members(cohort: Database) -> None:
    with cohort.engine.connect() as connection:
        counted = select(func.count()).where(Person.household_id == Household.id).scalar_subquery()
        mismatched = connection.scalar(
            select(func.count()).select_from(Household).where(Household.member_count != counted)
        )
        assert mismatched == 0
        needs = connection.scalar(select(func.count()).select_from(PersonNeed))
        assert connection.scalar(select(func.sum(Household.need_count))) == needs
        assert connection.scalar(select(func.sum(Person.need_count))) == needs


def test_safe_contact_households_are_those_whose_primary_householder_fled_abuse(
    cohort: Database,
) -> None:
    safe = rows(
        cohort,
        "SELECT h.safe_contact, EXISTS (SELECT 1 FROM person p JOIN person_need n ON"
        " n.person_id = p.id WHERE p.household_id = h.id AND p.role = 'primary'"
        " AND n.need = 'domestic_abuse') FROM household h",
    )
    assert all(bool(flag) == bool(fled) for flag, fled in safe)
    assert 0.1 < sum(bool(flag) for flag, _ in safe) / len(safe) < 0.22


def test_demo_command_builds_a_database_without_opening_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    assert main(["demo", "--database", url, "--households", "25", "--seed", "2", "--no-open"]) == 0
    assert "25 households" in capsys.readouterr().out
    assert main(["demo", "--database", url, "--households", "5", "--no-open"]) == 2
    assert "already holds households" in capsys.readouterr().err


def test_the_demo_command_builds_the_programmes_size_by_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """About 1,000 households a year since March 2018: some 9,000 by the end of 2026."""
    import hiw_tui.demo.generate as generate
    from hiw_tui.demo.timeline import default_households

    asked: list[int] = []
    build = generate.build_demo

    def counted(database: Database, *, households: int, seed: int, today: date) -> object:
        asked.append(households)
        return build(database, households=12, seed=seed, today=today)

    monkeypatch.setattr(generate, "build_demo", counted)
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    assert main(["demo", "--database", url, "--no-open"]) == 0
    assert asked == [default_households(date.today())]
    assert "Building a demo database of" in capsys.readouterr().out
    assert 8_500 < default_households(date(2026, 12, 1)) < 9_500
    assert default_households(date(2019, 3, 31)) == pytest.approx(834, abs=10)


def test_the_demo_leaves_statistics_for_the_query_planner(cohort: Database) -> None:
    tables = {row[0] for row in rows(cohort, "SELECT tbl FROM sqlite_stat1")}
    assert {"household", "person", "person_need"} <= tables


def test_referrals_wait_unstarted_and_the_others_started_soon_after_theirs(
    cohort: Database,
) -> None:
    referred = rows(
        cohort, "SELECT start_date, referred_on FROM household WHERE status = 'referred'"
    )
    assert referred and {start for start, _ in referred} == {None}
    waiting = {(TODAY - day(on)).days for _, on in referred}
    assert min(waiting) >= 0 and max(waiting) < 30
    started = rows(
        cohort, "SELECT start_date, referred_on FROM household WHERE status != 'referred'"
    )
    days = {(day(start) - day(on)).days for start, on in started}
    assert days == set(range(1, 22))


@pytest.mark.parametrize("months_back", [0, 3, 7])
def test_the_progress_counted_from_stored_counts_matches_the_scores_compared(
    cohort: Database, months_back: int
) -> None:
    """Progress measures read the counts kept with readings and people; distance
    travelled compares each person's first and latest scores area by area. Every area
    a person got better on is one progress measure, so the two must agree, for today
    (the person rows) and for earlier dates (the readings' own counts)."""
    from hiw_tui.domain.counting import Period
    from hiw_tui.reports.queries.programme import distance_travelled, performance

    manager = cohort.read(get_user, username="manager")
    period = Period(as_of=TODAY - timedelta(days=30 * months_back))
    counted = cohort.read(performance, actor=manager, period=period).progress_measures
    compared = cohort.read(distance_travelled, actor=manager, period=period)
    assert counted == sum(area.improved for area in compared) > 0


def test_households_record_the_programmes_before_hiw(cohort: Database) -> None:
    """Codes of the list ("none" alone, with nothing written in), a few written in, and
    some households never asked."""
    kinds: Counter[str] = Counter()
    for codes, other in rows(
        cohort, "SELECT previous_programme_codes, previous_programmes FROM household"
    ):
        codes = json.loads(codes) if isinstance(codes, str) else codes
        assert set(codes) <= {programme.value for programme in Programme}
        if "none" in codes:
            assert codes == ["none"] and not other
        kinds["none" if "none" in codes else "codes" if codes else "other" if other else ""] += 1
    total = sum(kinds.values())
    assert 0.3 < kinds["none"] / total < 0.5 and 0.2 < kinds["codes"] / total < 0.45
    assert kinds["other"] and 0.15 < kinds[""] / total < 0.4
