"""The demo's history: its board pack looks like the published one, its caseloads are
current, and nothing in it happens after its household's end or today."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest

from hiw_tui.db.access.users import get_user
from hiw_tui.db.core.engine import Database
from hiw_tui.demo.generate import build_demo
from hiw_tui.demo.places import ADVOCATE_NAMES, ADVOCATES_PER_AREA
from hiw_tui.demo.story import draw_story
from hiw_tui.domain.casework import support_ends
from hiw_tui.domain.counting import Period
from hiw_tui.reports.queries.programme import performance
from hiw_tui.widgets.text import short_name
from tests.helpers.clock import TODAY
from tests.helpers.database import sqlite_copy
from tests.helpers.demo import day, programme_demo, rows

PUBLISHED = {  # the year's first and last days: started, completed, improved, into work %
    (date(2018, 3, 1), date(2019, 3, 31)): (834, 460, 376, 11.0),
    (date(2019, 4, 1), date(2020, 3, 31)): (1062, 851, 722, 28.0),
}
TOLERANCE = 0.15


@pytest.fixture(scope="module")
def cohort(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Database:
    return programme_demo(sqlite_template, tmp_path_factory)


def _year(cohort: Database, first: date, last: date) -> tuple[int, int, int, float]:
    manager = cohort.read(get_user, username="manager")
    figures = cohort.read(performance, actor=manager, period=Period(as_of=last, date_from=first))
    return (
        figures.households_started,
        figures.households_completed_activity,
        figures.households_significant_improvement,
        float(figures.into_work_percent),
    )


@pytest.mark.parametrize("year", list(PUBLISHED))
def test_the_board_pack_of_each_published_year_looks_like_the_published_one(
    cohort: Database, year: tuple[date, date]
) -> None:
    """The demo at its default size, counted a year at a time as the board pack does."""
    actual = _year(cohort, *year)
    for got, published in zip(actual, PUBLISHED[year], strict=True):
        assert abs(got - published) <= TOLERANCE * published, (actual, PUBLISHED[year])


def test_later_years_start_about_1000_households_with_the_programmes_results(
    cohort: Database,
) -> None:
    for start_year in range(2020, 2025):
        started, completed, improved, into_work = _year(
            cohort, date(start_year, 4, 1), date(start_year + 1, 3, 31)
        )
        assert 900 <= started <= 1_150, start_year
        assert 0.74 <= completed / started <= 0.86, start_year
        assert 0.62 <= improved / started <= 0.74, start_year
        assert 16 <= into_work <= 24, start_year


def test_todays_caseloads_are_current(cohort: Database) -> None:
    """About 30-40 open cases per advocate, all started in the last 12 months."""
    open_cases = rows(
        cohort,
        "SELECT advocate_id, start_date FROM household WHERE status = 'active'",
    )
    advocates = sum(ADVOCATES_PER_AREA.values())
    assert 30 <= len(open_cases) / advocates <= 40
    assert all(support_ends(day(start)) > TODAY for _, start in open_cases)
    per_advocate = Counter(advocate for advocate, _ in open_cases)
    assert len(per_advocate) == advocates and min(per_advocate.values()) >= 10
    first = rows(cohort, "SELECT min(start_date), max(start_date) FROM household")[0]
    assert day(first[0]) == date(2018, 3, 1) and TODAY - day(first[1]) < timedelta(days=40)


def test_a_small_demo_still_has_current_cases_and_history(
    sqlite_template: Path, tmp_path: Path
) -> None:
    database = sqlite_copy(sqlite_template, tmp_path)
    build_demo(database, households=24, seed=5, today=TODAY)
    statuses = Counter(dict(rows(database, "SELECT status, count(*) FROM household GROUP BY 1")))
    assert statuses["active"] >= 5
    assert statuses["exited"] + statuses["withdrawn"] >= 5
    assert day(rows(database, "SELECT min(start_date) FROM household")[0][0]).year == 2018
    database.dispose()


def test_households_last_up_to_12_months_and_leave_as_exited_or_withdrawn(
    cohort: Database,
) -> None:
    found = rows(cohort, "SELECT status, start_date, end_date FROM household")
    for status, start, end in found:
        if status in ("exited", "withdrawn"):
            assert day(start) <= day(end) <= min(support_ends(day(start)), TODAY)
        else:
            assert end is None
    statuses = Counter(status for status, _, _ in found)
    assert statuses["exited"] > 4 * statuses["withdrawn"] > 0


def test_a_household_starting_lately_never_ends_after_today() -> None:
    """A household that withdrew in its first weeks once ended in the future."""
    rng = random.Random(3)
    for days in range(0, 400, 3):
        for _ in range(100):
            story = draw_story(rng, TODAY - timedelta(days=days), TODAY)
            assert story.end is None or story.end <= TODAY
            assert story.job_on is None or story.job_on <= story.last


_LAST = "coalesce(h.end_date, :today)"
DURING_SUPPORT = {
    "readings": f"SELECT count(*) FROM star_reading r JOIN household h ON h.id = r.household_id"
    f" WHERE r.taken_on > {_LAST} OR r.taken_on < h.start_date",
    "steps done": f"SELECT count(*) FROM plan_step s JOIN household h ON h.id = s.household_id"
    f" WHERE s.done_on > {_LAST} OR s.status_on > {_LAST}",
    "plans": f"SELECT count(*) FROM plan p JOIN household h ON h.id = p.household_id"
    f" WHERE p.agreed_on > {_LAST} OR p.agreed_on < h.start_date",
    "outcomes": f"SELECT count(*) FROM outcome o JOIN household h ON h.id = o.household_id"
    f" WHERE o.start_on > {_LAST} OR o.end_on > {_LAST} OR o.start_on < h.start_date",
    "spends": f"SELECT count(*) FROM ledger_entry e JOIN household h ON h.id = e.household_id"
    f" WHERE e.spent_on > {_LAST} OR e.spent_on < h.start_date",
    "referrals": f"SELECT count(*) FROM referral r JOIN household h ON h.id = r.household_id"
    f" WHERE r.made_on > {_LAST} OR r.made_on < h.start_date",
    "decisions": "SELECT count(*) FROM ledger_decision d JOIN ledger_entry e"
    " ON e.id = d.entry_id JOIN household h ON h.id = e.household_id"
    f" WHERE date(d.decided_at) > {_LAST} OR d.decided_at < e.spent_on",
}
"""Case work during support: between the household's start and its last day."""
AFTERWARDS = {
    "end dates": "SELECT count(*) FROM household WHERE end_date > :today",
    "referral dates": "SELECT count(*) FROM household WHERE referred_on > :today",
    "contacts": "SELECT count(*) FROM contact WHERE contacted_on > :today",
    "referral statuses": "SELECT count(*) FROM referral WHERE status_on > :today",
    "consents": 'SELECT count(*) FROM consent WHERE "on" > :today',
}
"""What follows an exit (welfare checks, check-ins, a partner's reply), never after today."""


def test_nothing_is_dated_after_its_households_end_or_today(cohort: Database) -> None:
    late = {
        name: rows(cohort, sql, today=TODAY)[0][0]
        for name, sql in {**DURING_SUPPORT, **AFTERWARDS}.items()
    }
    assert late == dict.fromkeys(late, 0)
    after_end = rows(
        cohort,
        "SELECT DISTINCT c.purpose FROM contact c JOIN household h ON h.id = c.household_id"
        " WHERE c.contacted_on > h.end_date",
    )
    assert sorted(purpose for (purpose,) in after_end) == ["Phased exit check-in", "Welfare check"]


def test_the_demos_advocates_show_whole_and_apart_where_names_are_narrowest() -> None:
    """My week's advocate column has 12 characters: "St Helens Advocate 3" showed as
    "S. H. A. 3", which told a new user nothing. Each area's are in the order the users
    screen lists them, so its first advocate (`advocate.<area>.1`) is its first row."""
    names = [name for each in ADVOCATE_NAMES.values() for name in each]
    shown = [short_name(name, 12) for name in names]
    assert shown == names and len(set(shown)) == len(names) == 26
    assert all(list(each) == sorted(each) for each in ADVOCATE_NAMES.values())
