"""The demo cohort: deterministic for a seed, shaped like the published profile."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, text
from sqlmodel import Session, select

from hiw_tui.cli import main
from hiw_tui.db.access.users import get_user
from hiw_tui.db.core.engine import Database
from hiw_tui.db.core.models import Household, Person, PersonNeed
from hiw_tui.db.households.households import count_households
from hiw_tui.db.households.people import refresh_summaries
from hiw_tui.demo.generate import DemoRefused, build_demo
from hiw_tui.demo.places import POSTCODE_DISTRICTS
from hiw_tui.domain.codes import LocalAuthority
from hiw_tui.domain.cohort import GENDER_PERCENT, SUPPORT_NEED_PERCENT, TIME_SINCE_WORK_PERCENT
from hiw_tui.domain.dates import age_on
from tests.helpers.clock import TODAY
from tests.helpers.database import TABLES, sqlite_copy


@pytest.fixture(scope="module")
def cohort(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Database:
    database = sqlite_copy(sqlite_template, tmp_path_factory.mktemp("cohort"))
    build_demo(database, households=3000, seed=7, today=TODAY)
    return database


def _rows(database: Database, sql: str) -> list[tuple]:  # type: ignore[type-arg]
    with database.engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text(sql))]


DETERMINED = (
    "SELECT reference, primary_name, status, start_date, referred_on FROM household ORDER BY id",
    "SELECT given_name, family_name, date_of_birth, postcode FROM person ORDER BY id",
    "SELECT r.person_id, r.taken_on, s.area, s.score FROM star_reading r "
    "JOIN star_score s ON s.reading_id = r.id ORDER BY r.id, s.area",
    "SELECT g.area, s.description, s.status, s.due_on, s.done_on FROM plan_step s "
    "JOIN plan_goal g ON g.id = s.goal_id ORDER BY s.id",
    "SELECT person_id, kind, start_on, end_on, hours FROM outcome ORDER BY id",
    "SELECT household_id, spent_on, amount_pence, category FROM ledger_entry ORDER BY id",
)
"""What a seed must give the same every time: households, people, readings, plans,
outcomes and spending."""


def test_the_same_seed_builds_the_same_database(
    database: Database, sqlite_template: Path, tmp_path: Path
) -> None:
    build_demo(database, households=60, seed=3, today=TODAY)
    first = [_rows(database, sql) for sql in DETERMINED]
    assert all(first)
    if database.engine.dialect.name == "sqlite":
        (tmp_path / "again").mkdir()
        again = sqlite_copy(sqlite_template, tmp_path / "again")
    else:  # the ledger is append-only: TRUNCATE, as the fixture empties it
        with database.engine.begin() as connection:
            connection.execute(text(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE"))
        again = database
    build_demo(again, households=60, seed=3, today=TODAY)
    assert [_rows(again, sql) for sql in DETERMINED] == first
    manager = again.read(get_user, username="manager")
    assert again.read(count_households, actor=manager) == 60


def test_demo_readings_are_final_and_the_due_summary_matches_them(cohort: Database) -> None:
    """The bulk-built summary equals what saving a reading would compute."""
    summary = (
        "SELECT id, primary_name, member_count, need_count, star_scored_through FROM household"
    )
    built = _rows(cohort, summary + " ORDER BY id")
    with Session(cohort.engine) as session:
        ids = list(session.exec(select(Household.id)).all())
        refresh_summaries(session, ids)  # type: ignore[arg-type]
        restated = [tuple(row) for row in session.execute(text(summary + " ORDER BY id"))]
        session.rollback()
    assert built == restated
    statuses = _rows(cohort, "SELECT DISTINCT status, framework_id FROM star_reading")
    assert statuses == [("final", "hiw-default")]
    unread = _rows(
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
    people = _rows(cohort, "SELECT count(*) FROM person")[0][0]
    needs = Counter(dict(_rows(cohort, "SELECT need, count(*) FROM person_need GROUP BY need")))
    shares = _share(needs, people)
    for need, published in SUPPORT_NEED_PERCENT.items():
        assert abs(shares.get(need.value, 0) - published) < 3, need
    assert not _rows(
        cohort,
        "SELECT person_id FROM person_need WHERE need = 'lone_parent' AND person_id NOT IN "
        "(SELECT person_id FROM person_need WHERE need = 'parent')",
    )


def test_time_out_of_work_gender_and_age_follow_the_published_shares(cohort: Database) -> None:
    people = _rows(cohort, "SELECT time_since_work, gender, date_of_birth FROM person")
    work = _share(Counter(row[0] for row in people), len(people))
    for band, published in TIME_SINCE_WORK_PERCENT.items():
        assert abs(work.get(band.value, 0) - published) < 3, band
    genders = _share(Counter(row[1] for row in people), len(people))
    for gender, published in GENDER_PERCENT.items():
        assert abs(genders[gender.value] - published) < 3
    ages = [age_on(date.fromisoformat(str(row[2])), TODAY) for row in people]
    assert min(ages) == 16 and max(ages) == 65
    assert abs(100 * sum(16 <= a <= 25 for a in ages) / len(ages) - 29) < 3


def test_postcodes_lie_in_the_households_own_area(cohort: Database) -> None:
    rows = _rows(
        cohort,
        "SELECT h.local_authority, p.postcode FROM person p "
        "JOIN household h ON h.id = p.household_id",
    )
    shape = re.compile(r"^[A-Z]{1,2}[0-9]{1,2} [0-9][A-Z]{2}$")
    for area, postcode in rows:
        assert shape.match(postcode), postcode
        assert postcode.split()[0] in POSTCODE_DISTRICTS[LocalAuthority(area)]
    areas = {row[0] for row in rows}
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


def test_demo_command_builds_a_database_without_opening_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    assert main(["demo", "--database", url, "--households", "25", "--seed", "2", "--no-open"]) == 0
    assert "25 households" in capsys.readouterr().out
    assert main(["demo", "--database", url, "--households", "5", "--no-open"]) == 2
    assert "already holds households" in capsys.readouterr().err


def test_the_demo_leaves_statistics_for_the_query_planner(cohort: Database) -> None:
    tables = {row[0] for row in _rows(cohort, "SELECT tbl FROM sqlite_stat1")}
    assert {"household", "person", "person_need"} <= tables


def test_nothing_in_the_demo_is_dated_after_today(cohort: Database) -> None:
    """A household that withdrew in its first week once ended in the future, with Star
    readings after today (found by importing an export of the demo)."""
    import random

    from hiw_tui.demo.generate import _Cohort

    drawer = _Cohort(random.Random(3), TODAY, {}, seed=3, reading_weeks=12)
    for days in range(0, 10):
        for _ in range(300):
            _, end = drawer._status(TODAY - timedelta(days=days))
            assert end is None or end <= TODAY
    late = _rows(
        cohort,
        f"SELECT (SELECT count(*) FROM household WHERE end_date > '{TODAY}') + "
        f"(SELECT count(*) FROM household WHERE referred_on > '{TODAY}') + "
        f"(SELECT count(*) FROM star_reading WHERE taken_on > '{TODAY}') + "
        f"(SELECT count(*) FROM plan_step WHERE done_on > '{TODAY}') + "
        f"(SELECT count(*) FROM outcome WHERE start_on > '{TODAY}' OR end_on > '{TODAY}') + "
        f"(SELECT count(*) FROM ledger_entry WHERE spent_on > '{TODAY}')",
    )
    assert late == [(0,)]


def test_referrals_wait_unstarted_and_the_others_started_soon_after_theirs(
    cohort: Database,
) -> None:
    referred = _rows(
        cohort, "SELECT start_date, referred_on FROM household WHERE status = 'referred'"
    )
    assert referred and {start for start, _ in referred} == {None}
    waiting = {(TODAY - date.fromisoformat(str(on))).days for _, on in referred}
    assert min(waiting) >= 0 and max(waiting) < 30
    started = _rows(
        cohort, "SELECT start_date, referred_on FROM household WHERE status != 'referred'"
    )
    days = {
        (date.fromisoformat(str(start)) - date.fromisoformat(str(on))).days for start, on in started
    }
    assert days == set(range(1, 22))


def test_the_demos_budgets_add_up_and_none_is_overspent(cohort: Database) -> None:
    assert main(["ledger", "check", "--database", str(cohort.url)]) == 0
    assert _rows(
        cohort,
        "SELECT count(*) FROM budget b WHERE b.spent_pence != "
        "(SELECT coalesce(sum(amount_pence), 0) FROM ledger_entry e "
        "WHERE e.household_id = b.household_id) OR b.spent_pence > b.cap_pence",
    ) == [(0,)]
    assert _rows(cohort, "SELECT count(*) > 0 FROM ledger_entry") == [(1,)]


@pytest.mark.parametrize("months_back", [0, 3, 7])
def test_the_progress_counted_from_stored_counts_matches_the_scores_compared(
    cohort: Database, months_back: int
) -> None:
    """Progress measures read the counts kept with readings and people; distance
    travelled compares each person's first and latest scores area by area. Every area
    a person got better on is one progress measure, so the two must agree, for today
    (the person rows) and for earlier dates (the readings' own counts)."""
    from hiw_tui.db.access.users import get_user
    from hiw_tui.domain.counting import Period
    from hiw_tui.reports.queries.programme import distance_travelled, performance

    manager = cohort.read(get_user, username="manager")
    period = Period(as_of=TODAY - timedelta(days=30 * months_back))
    counted = cohort.read(performance, actor=manager, period=period).progress_measures
    compared = cohort.read(distance_travelled, actor=manager, period=period)
    assert counted == sum(area.improved for area in compared) > 0
