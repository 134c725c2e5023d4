"""The evaluation's reports (caseload, exits, referrals, welfare checks, trends, and
spending's core share) on the small programme of tests/helpers/evaluation.py, every
figure counted by hand; on SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import select
from sqlmodel import Session, col

from hiw_tui.db.casework.week import my_week
from hiw_tui.db.core.engine import Database
from hiw_tui.db.core.errors import Forbidden
from hiw_tui.db.core.models import Person, UserPublic
from hiw_tui.db.privacy.contactable import consent_to_contact, contactable_on
from hiw_tui.domain.counting import Period
from hiw_tui.domain.framework import load_framework
from hiw_tui.domain.targets import load_targets
from hiw_tui.reports.build import build_report
from hiw_tui.reports.tables import Report
from tests.helpers.evaluation import AS_OF, LATER, Programme, build_programme, give_consent
from tests.helpers.staff import Staff

NEW_KINDS = ("caseload", "exits", "referrals", "welfare", "trends")


@pytest.fixture
def programme(database: Database, staff: Staff) -> Programme:
    return build_programme(database, staff)


def made(programme: Programme, actor: UserPublic, kind: str, period: Period) -> Report:
    return programme.database.write(
        build_report,
        actor=actor,
        kind=kind,
        period=period,
        targets=load_targets(),
        framework=load_framework(),
    )


def data(programme: Programme, actor: UserPublic, kind: str, period: Period) -> Any:
    return made(programme, actor, kind, period).data


def caseload_line(
    referred: int,
    active: int,
    short_term: int,
    exited: int,
    withdrawn: int,
    overdue: int,
    due: int,
    left: int,
) -> dict[str, int]:
    return {
        "referred": referred,
        "active": active,
        "short_term": short_term,
        "exited": exited,
        "withdrawn": withdrawn,
        "overdue_steps": overdue,
        "readings_due": due,
        "budget_left_pence": left,
    }


def by_advocate(figures: Any) -> dict[str, dict[str, int]]:
    return {
        line["advocate"]: {k: v for k, v in line.items() if k not in ("advocate", "name")}
        for line in figures["advocates"]
    }


def test_the_caseload_per_advocate_with_a_total(programme: Programme) -> None:
    # Ada: A3 referred; A1, A2 active; A4 exited; A5 referred after the as-of date.
    # Overdue: A1's step due 20 March (not the one due on the 31st, nor the done one,
    # nor closed A4's). Due: A1 (no reading). Left: 3 x £1,000 less A1's £100 and A2's
    # £300 waiting (A1's April spend comes after). Ben: B1 short term, B2 withdrawn;
    # B1 due; £1,000 less £40. Cal: C1 and C2 (which exits in April) active; C1's step
    # overdue and its December reading due; £2,000 less £25 and £10.
    figures = data(programme, programme.staff.manager, "caseload", Period(AS_OF))
    assert by_advocate(figures) == {
        "ada.adv": caseload_line(1, 2, 0, 1, 0, 1, 1, 260_000),
        "ben.adv": caseload_line(0, 0, 1, 0, 1, 0, 1, 96_000),
        "cal.adv": caseload_line(0, 2, 0, 0, 0, 1, 1, 196_500),
    }
    assert figures["total"] == caseload_line(1, 4, 1, 1, 1, 2, 3, 552_500)
    table = made(programme, programme.staff.manager, "caseload", Period(AS_OF)).tables[-1]
    assert table.rows[-1] == ("Total", 1, 4, 1, 1, 1, 2, 3, "£5,525.00")


def test_the_caseload_a_month_later(programme: Programme) -> None:
    # A5 referred by then; C2 exited; both of A1's steps overdue; A1's April spend counts.
    figures = data(programme, programme.staff.manager, "caseload", Period(LATER))
    assert by_advocate(figures)["ada.adv"] == caseload_line(2, 2, 0, 1, 0, 2, 1, 355_000)
    assert by_advocate(figures)["cal.adv"] == caseload_line(0, 1, 0, 1, 0, 1, 1, 97_500)


def test_the_caseload_counts_as_my_week_does(programme: Programme) -> None:
    """One rule for overdue and due: My week's steps before today and readings due by
    today are the caseload's."""
    ada = programme.staff.ada
    week = programme.database.read(my_week, actor=ada, today=AS_OF, reading_due_weeks=12)
    overdue = [item for item in week if item.kind == "step" and item.due_on < AS_OF]
    due = [item for item in week if item.kind == "reading" and item.due_on <= AS_OF]
    [line] = data(programme, ada, "caseload", Period(AS_OF))["advocates"]
    assert (line["overdue_steps"], line["readings_due"]) == (len(overdue), len(due)) == (1, 1)


def test_the_caseload_in_each_scope(programme: Programme) -> None:
    staff = programme.staff
    supervised = data(programme, staff.liverpool_supervisor, "caseload", Period(AS_OF))
    assert list(by_advocate(supervised)) == ["ada.adv", "ben.adv"]
    assert supervised["total"]["budget_left_pence"] == 356_000
    mine = data(programme, staff.ada, "caseload", Period(AS_OF))
    assert list(by_advocate(mine)) == ["ada.adv"]
    one = data(programme, staff.liverpool_supervisor, "caseload", Period(AS_OF, advocate="ben.adv"))
    assert list(by_advocate(one)) == ["ben.adv"]


@pytest.mark.parametrize("kind", NEW_KINDS)
def test_another_area_or_caseload_is_refused(programme: Programme, kind: str) -> None:
    staff = programme.staff
    with pytest.raises(Forbidden, match="Wirral is outside your scope"):
        made(programme, staff.liverpool_supervisor, kind, Period(AS_OF, local_authority="wirral"))
    with pytest.raises(Forbidden, match=r"ben\.adv's caseload is outside your scope"):
        made(programme, staff.ada, kind, Period(AS_OF, advocate="ben.adv"))


def test_exits_reasons_destinations_and_onward_referrals(programme: Programme) -> None:
    # A4 exited into work, referred on to Ways to Work on leaving and to the food bank
    # after; B2 withdrawn (never started: nothing recorded); C2 exits after the date.
    figures = data(programme, programme.staff.manager, "exits", Period(AS_OF))
    assert figures["left"] == {"exited": 1, "withdrawn": 1}
    assert figures["households_referred_on"] == 1
    assert {k: v for k, v in figures["reasons"].items() if v} == {"job": 1, "not_recorded": 1}
    assert {k: v for k, v in figures["destinations"].items() if v} == {
        "job": 1,
        "not_recorded": 1,
    }
    assert figures["onward"] == [
        {"partner": "North Food Bank", "kind": "food_bank", "referrals": 1},
        {"partner": "Ways to Work Liverpool", "kind": "ways_to_work", "referrals": 1},
    ]
    report = made(programme, programme.staff.manager, "exits", Period(AS_OF))
    assert [table.rows[-1] for table in report.tables] == [
        ("Total", 2),
        ("Total", 2),
        ("Total", 2),
        ("Total", 2),
        ("Total", "", 2),
    ]


def test_exits_in_a_period_and_a_month_later(programme: Programme) -> None:
    staff = programme.staff
    march = data(programme, staff.manager, "exits", Period(AS_OF, date(2026, 3, 1)))
    assert march["left"] == {"exited": 0, "withdrawn": 1}
    assert [o["partner"] for o in march["onward"]] == ["North Food Bank"]  # made 20 March
    later = data(programme, staff.manager, "exits", Period(LATER))
    assert later["left"] == {"exited": 2, "withdrawn": 1}
    assert later["reasons"]["completed"] == 1
    assert later["destinations"]["other_programme"] == 1
    assert sum(o["referrals"] for o in later["onward"]) == 3
    wirral = data(programme, staff.wirral_supervisor, "exits", Period(LATER))
    assert wirral["left"] == {"exited": 1, "withdrawn": 0}
    assert wirral["onward"] == [
        {"partner": "Ways to Work Wirral", "kind": "ways_to_work", "referrals": 1}
    ]


def statuses(made_: int, accepted: int, attended: int, declined: int) -> dict[str, int]:
    return {
        "made": made_,
        "accepted": accepted,
        "attended": attended,
        "declined": declined,
        "closed": 0,
        "total": made_ + accepted + attended + declined,
    }


def test_referrals_by_partner_and_status(programme: Programme) -> None:
    # The college referral attended on 3 April counts as made on 31 March; A2's of
    # 2 April and C2's onward referral of 5 April not at all.
    figures = data(programme, programme.staff.manager, "referrals", Period(AS_OF))
    assert {line["partner"]: line for line in figures["partners"]} == {
        "North Food Bank": {
            "partner": "North Food Bank",
            "kind": "food_bank",
            **statuses(1, 1, 0, 0),
        },
        "Riverside College": {
            "partner": "Riverside College",
            "kind": "training",
            **statuses(1, 0, 0, 1),
        },
        "Ways to Work Liverpool": {
            "partner": "Ways to Work Liverpool",
            "kind": "ways_to_work",
            **statuses(1, 0, 0, 0),
        },
    }
    assert figures["total"] == statuses(3, 1, 0, 1)
    # Each referral counts once, in its latest status (not as a funnel): said in the titles.
    titles = [
        table.title
        for table in made(programme, programme.staff.manager, "referrals", Period(AS_OF)).tables
    ]
    assert titles == [
        "Referrals by partner: each once, at its latest status",
        "Referrals by partner kind: each once, at its latest status",
    ]
    assert figures["by_kind"]["training"] == statuses(1, 0, 0, 1)
    later = data(programme, programme.staff.manager, "referrals", Period(LATER))
    assert later["total"] == statuses(4, 1, 1, 1)  # A2's and C2's made in April
    supervised = data(programme, programme.staff.liverpool_supervisor, "referrals", Period(AS_OF))
    assert supervised["total"] == statuses(3, 1, 0, 0)
    since = data(programme, programme.staff.manager, "referrals", Period(AS_OF, date(2026, 3, 1)))
    assert since["total"] == statuses(2, 1, 0, 0)


def reach(people: int, households: int) -> dict[str, int]:
    return {"people": people, "households": households}


def test_welfare_checks(programme: Programme) -> None:
    # Contacted in the period: A1 (Jo, Al), A4, C1, A2 (B1 only in April). Contactable:
    # Jo (phone) and A4's member (email); Al withdrew text, C1's post is from April.
    # Asked again, by the latest contact: A1 monthly, C1 daily, A2 fortnightly (its
    # April "none" comes after).
    figures = data(programme, programme.staff.manager, "welfare", Period(AS_OF))
    assert figures == {
        "contacted": reach(5, 4),
        "contactable": reach(2, 2),
        "asked_again": reach(4, 3),
        "by_frequency": {
            "daily": reach(1, 1),
            "weekly": reach(0, 0),
            "fortnightly": reach(1, 1),
            "monthly": reach(2, 1),
        },
    }
    later = data(programme, programme.staff.manager, "welfare", Period(LATER))
    assert later["contacted"] == reach(6, 5)
    assert later["contactable"] == reach(3, 3)
    assert later["by_frequency"]["weekly"] == reach(1, 1)
    assert later["by_frequency"]["fortnightly"] == reach(0, 0)
    wirral = data(programme, programme.staff.wirral_supervisor, "welfare", Period(AS_OF))
    assert wirral["contacted"] == reach(1, 1)
    assert wirral["contactable"] == reach(0, 0)
    assert wirral["asked_again"] == reach(1, 1)


def _kept_and_read(session: Session, as_of: date) -> tuple[dict[int, bool], dict[int, bool]]:
    """Whether each person may be contacted on `as_of`: as the report reads it (kept on
    the person where it can be) and as their consent rows say."""
    people = col(Person.id)
    kept = session.execute(select(people, contactable_on(as_of)))
    read = session.execute(select(people, consent_to_contact(people, as_of)))
    return (
        {person: bool(answer) for person, answer in kept},
        {person: bool(answer) for person, answer in read},
    )


def test_who_may_be_contacted_is_kept_as_their_consents_say(programme: Programme) -> None:
    """The welfare report reads whether a person may be contacted from the person, not
    their consent rows, for a date on or after their latest; it agrees with the rows on
    every date, and a consent recorded, or withdrawn, changes it at once."""
    days = (date(2026, 1, 1), date(2026, 3, 1), date(2026, 3, 15), AS_OF, date(2026, 4, 2))
    for day in (*days, LATER):
        kept, read = programme.database.read(_kept_and_read, as_of=day)
        assert kept == read, day
    assert sum(programme.database.read(_kept_and_read, as_of=LATER)[0].values()) == 3
    staff, a1 = programme.staff, programme.households["A1"]
    withdrawn = date(2026, 5, 4)
    give_consent(programme.database, staff.manager, a1, 0, "contact_phone", withdrawn, False)
    give_consent(programme.database, staff.manager, a1, 1, "contact_email", withdrawn)
    jo, al = a1.members[0].id, a1.members[1].id
    kept, read = programme.database.read(_kept_and_read, as_of=withdrawn)
    assert kept == read and (kept[jo], kept[al]) == (False, True)
    before = data(programme, staff.manager, "welfare", Period(LATER))
    after = data(programme, staff.manager, "welfare", Period(withdrawn))
    assert (before["contactable"]["people"], after["contactable"]["people"]) == (3, 3)
    kept, read = programme.database.read(_kept_and_read, as_of=LATER)
    assert kept == read and (kept[jo], kept[al]) == (True, False)


def test_trends_month_by_month(programme: Programme) -> None:
    report = made(programme, programme.staff.manager, "trends", Period(AS_OF))
    assert report.period.date_from == date(2025, 4, 1)  # twelve months to the as-of date
    lines = {line["month"]: line for line in report.data}
    assert list(lines) == [f"2025-{m:02d}" for m in range(4, 13)] + [
        "2026-01",
        "2026-02",
        "2026-03",
    ]
    started = {month: line["started"] for month, line in lines.items() if line["started"]}
    assert started == {"2025-05": 1, "2025-06": 1, "2025-09": 1, "2025-10": 1, "2025-11": 1}
    outcomes = {
        month: (line["job_outcomes"], line["work_related_activities"], line["courses"])
        for month, line in lines.items()
        if line["outcomes"]
    }
    # Jo's job (Al's lasts 28 days only in April), C1's volunteering, A4's 6-hour course.
    assert outcomes == {"2025-12": (0, 0, 1), "2026-01": (0, 1, 0), "2026-02": (1, 0, 0)}
    spent = {month: line["spent_pence"] for month, line in lines.items() if line["spent_pence"]}
    assert spent == {"2026-01": 6_000, "2026-03": 17_500}  # A2's £300 still waits
    assert report.tables[-1].rows[-1] == ("Total", 5, 1, 1, 1, 3, "£235.00")
    performance = data(programme, programme.staff.manager, "performance", report.period)
    assert performance["households_started"] == 5


def test_trends_a_month_later_from_a_date_and_in_scope(programme: Programme) -> None:
    staff = programme.staff
    later = {
        line["month"]: line for line in data(programme, staff.manager, "trends", Period(LATER))
    }
    assert "2025-04" not in later and "2026-04" in later
    assert later["2026-03"]["job_outcomes"] == 1  # Al's job, 28 days by 2 April
    assert later["2026-04"]["spent_pence"] == 5_000
    since = data(programme, staff.manager, "trends", Period(AS_OF, date(2026, 2, 15)))
    assert [line["month"] for line in since] == ["2026-02", "2026-03"]
    assert since[0]["job_outcomes"] == 0  # Jo's job started on 1 February
    wirral = data(programme, staff.wirral_supervisor, "trends", Period(AS_OF))
    assert sum(line["started"] for line in wirral) == 2
    assert sum(line["spent_pence"] for line in wirral) == 3_500
    assert sum(line["outcomes"] for line in wirral) == 1


def test_spending_says_the_share_on_core_living_costs_per_area(programme: Programme) -> None:
    report = made(programme, programme.staff.manager, "spend", Period(AS_OF))
    core = report.tables[-1]
    assert core.headings == ("Local authority", "Spent", "Core", "Core %")
    assert core.rows == [
        ("Liverpool", "£200.00", "£200.00", "100.0%"),  # food, clothing, hygiene
        ("Wirral", "£35.00", "£10.00", "28.6%"),  # fuel vouchers, not travel
        ("Total", "£235.00", "£210.00", "89.4%"),
    ]
    assert [table.title for table in report.tables[:4]] == [
        "By category",
        "By local authority",
        "By advocate",
        "By month",
    ]
