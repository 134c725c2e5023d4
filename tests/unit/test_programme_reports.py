"""The programme reports on a small hand-built dataset (tests/data/programme), whose every
figure was worked out by hand from the counting rules (README "Counting rules").

The dataset: seven households. Started as of 2026-03-31: LIV-00001 (active), LIV-00002
(exited), LIV-00003 (withdrawn), WIR-00001 (active). Not started: WIR-00002 (a short-term
case), LIV-00004 (referred), LIV-00005 (starts 2026-04-15). Edge cases: a 15-hour job
(P2), a job of 27 days (P3), a job of exactly 28 days ending 2026-03-29 (P4), a 4.5-hour
course (P5), a 6-hour course (P2), a regression (P2 skills, P7 social networks), a score
left blank (P5 money), an outcome and a reading after the as-of date (P8), a step done
after it (P2), a short-term case's outcome and step (P9), an exited household (LIV-00002).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import text

from hiw_tui.db.access.users import get_user
from hiw_tui.db.casework.outcomes import save_outcome
from hiw_tui.db.core.engine import Database
from hiw_tui.db.households.people import refresh_summaries
from hiw_tui.domain.case_inputs import OutcomeInput
from hiw_tui.domain.counting import Period
from hiw_tui.domain.framework import load_framework
from tests.helpers.dataset import AS_OF, built, load_dataset, report
from tests.helpers.factories import person_input, register
from tests.helpers.staff import Staff


@pytest.fixture
def dataset(database: Database, staff: Staff) -> Database:
    load_dataset(database, staff.manager)
    return database


def performance(
    started: int,
    activity: int,
    improved: int,
    into_work: int,
    percent: float,
    progress: int,
    steps: int,
    jobs: int,
    work_related: int,
    courses: int,
) -> dict[str, float]:
    return {
        "households_started": started,
        "households_completed_activity": activity,
        "households_significant_improvement": improved,
        "households_into_work": into_work,
        "into_work_percent": percent,
        "progress_measures": progress,
        "steps": steps,
        "job_outcomes": jobs,
        "work_related_activities": work_related,
        "courses": courses,
    }


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        # Jobs: P1 (20 h, ongoing) and P4 (16 h, 1-29 March) count; P2's 15-hour job and
        # P3's 27 days do not. Improvement: P1, P3, P7 by readings; LIV-00003 has only
        # 2 better areas and an uncounted 4.5-hour course.
        (Period(AS_OF), performance(4, 3, 3, 2, 50.0, 15, 3, 2, 1, 1)),
        # As of 28 March, P4's job has lasted 27 days: not yet an outcome.
        (Period(date(2026, 3, 28)), performance(4, 3, 3, 1, 25.0, 15, 3, 1, 1, 1)),
        # From 1 September 2025 only LIV-00003 and WIR-00001 started.
        (Period(AS_OF, date(2025, 9, 1)), performance(2, 1, 1, 0, 0.0, 5, 1, 0, 1, 0)),
        (Period(AS_OF, local_authority="wirral"), performance(1, 1, 1, 0, 0.0, 3, 1, 0, 1, 0)),
        (Period(AS_OF, advocate="adv.one"), performance(2, 2, 2, 2, 100.0, 10, 2, 2, 0, 1)),
        # Before anyone's second reading or any outcome.
        (Period(date(2025, 5, 1)), performance(1, 0, 0, 0, 0.0, 0, 0, 0, 0, 0)),
    ],
)
def test_performance_matches_the_figures_worked_by_hand(
    dataset: Database, staff: Staff, period: Period, expected: dict[str, float]
) -> None:
    assert report(dataset, staff.manager, "performance", period) == expected


def test_performance_json_has_exactly_the_agreed_keys_in_order(
    dataset: Database, staff: Staff
) -> None:
    figures = report(dataset, staff.manager, "performance", Period(AS_OF))
    assert list(figures) == [  # type: ignore[call-overload]
        "households_started",
        "households_completed_activity",
        "households_significant_improvement",
        "households_into_work",
        "into_work_percent",
        "progress_measures",
        "steps",
        "job_outcomes",
        "work_related_activities",
        "courses",
    ]


def test_a_supervisor_reports_on_their_own_area_only(dataset: Database, staff: Staff) -> None:
    figures = report(dataset, staff.liverpool_supervisor, "performance", Period(AS_OF))
    assert figures == performance(3, 2, 2, 2, 66.7, 12, 2, 2, 0, 1)
    advocate = dataset.read(get_user, username="adv.three")
    assert report(dataset, advocate, "performance", Period(AS_OF)) == performance(
        1, 1, 1, 0, 0.0, 3, 1, 0, 1, 0
    )


def test_distance_travelled_per_area(dataset: Database, staff: Staff) -> None:
    rows = report(dataset, staff.manager, "distance", Period(AS_OF))
    table = {
        row["area"]: (
            row["people"],
            row["first_average"],
            row["latest_average"],
            row["improved"],
            row["unchanged"],
            row["worse"],
        )
        for row in rows  # type: ignore[attr-defined]
    }
    assert table == {
        "skills": (5, 1.8, 2.6, 4, 0, 1),
        "stability_home": (5, 2.0, 2.8, 4, 1, 0),
        "money": (4, 2.0, 2.75, 3, 1, 0),  # P5 left money unscored in the latest
        "physical_health": (5, 2.6, 2.6, 0, 5, 0),
        "emotional_health": (5, 2.0, 2.4, 2, 3, 0),
        "family": (5, 2.4, 2.4, 0, 5, 0),
        "social_networks": (5, 2.0, 1.8, 0, 4, 1),
        "aspiration_motivation": (5, 1.8, 2.4, 2, 3, 0),
    }
    assert [row["area"] for row in rows] == list(load_framework().codes)  # type: ignore[attr-defined]
    assert sum(row[3] for row in table.values()) == 15  # the progress measures


def test_the_auditor_reads_distance_travelled_without_the_health_areas(
    dataset: Database, staff: Staff
) -> None:
    rows = report(dataset, staff.auditor, "distance", Period(AS_OF))
    areas = [row["area"] for row in rows]  # type: ignore[attr-defined]
    health = {"physical_health", "emotional_health"}
    assert areas == [code for code in load_framework().codes if code not in health]


def test_cohort_profile(dataset: Database, staff: Staff) -> None:
    profile = report(dataset, staff.manager, "cohort", Period(AS_OF))
    assert profile["people"] == 8  # type: ignore[index]
    tables = {
        title: {line["code"]: (line["people"], line["percent"]) for line in lines if line["people"]}
        for title, lines in profile["tables"].items()  # type: ignore[index]
    }
    assert tables["Support needs"] == {
        "mental_health": (3, 37.5),
        "parent": (2, 25.0),
        "carer": (1, 12.5),
        "lone_parent": (1, 12.5),
        "chronic_health": (1, 12.5),
        "domestic_abuse": (1, 12.5),
        "homeless": (1, 12.5),
        "ex_offender": (1, 12.5),
        "drug_misuse": (1, 12.5),
    }
    assert tables["Needs per person"] == {"0": (2, 25.0), "1-2": (4, 50.0), "3-4": (2, 25.0)}
    assert tables["Time since last work"] == {
        "0-6m": (1, 12.5),
        "6-12m": (1, 12.5),
        "12-18m": (1, 12.5),
        "24-36m": (1, 12.5),
        "36m+": (2, 25.0),
        "never": (1, 12.5),
        "unknown": (1, 12.5),
    }
    # P5, born 1960-07-07, is 65 on the as-of date (66 in July).
    assert tables["Age"] == {
        "16-25": (1, 12.5),
        "26-35": (2, 25.0),
        "36-45": (2, 25.0),
        "56-65": (3, 37.5),
    }
    assert tables["Gender"] == {"female": (5, 62.5), "male": (3, 37.5)}
    assert tables["Ethnicity"] == {
        "white_british": (5, 62.5),
        "white_other": (1, 12.5),
        "asian": (1, 12.5),
        "black": (1, 12.5),
    }
    published = {
        line["code"]: line["published"]
        for line in profile["tables"]["Support needs"]  # type: ignore[index]
    }
    assert published["mental_health"] == 65


def test_a_household_without_a_start_date_never_counts_as_started(
    dataset: Database, staff: Staff
) -> None:
    """A referral whose member already has a job: neither it nor its member counts, even
    with another status (as an import might leave it), until it has a start date."""

    def figures() -> dict[str, Any]:
        kinds = ("performance", "cohort")
        return {kind: report(dataset, staff.manager, kind, Period(AS_OF)) for kind in kinds}

    def change(assignment: str) -> None:
        with dataset.engine.begin() as connection:
            connection.execute(text(f"UPDATE household SET {assignment} WHERE id = {record.id}"))

    before = figures()
    record = register(
        dataset,
        staff.manager,
        staff.ada,
        person_input(),
        status="referred",
        start_date=None,
        referred_on=date(2026, 3, 2),
    )
    job = OutcomeInput(
        person_id=record.members[0].id,
        kind="job",
        organisation="Mersey Bakery",
        start_on=date(2026, 1, 5),
        hours=30,
    )
    dataset.write(save_outcome, actor=staff.ada, household_id=record.id, data=job)
    assert figures() == before
    change("status = 'active'")
    assert figures() == before
    change("start_date = '2026-01-05'")  # now it has started, and its member is in work
    after = figures()
    assert after["performance"]["households_started"] == 5
    assert after["performance"]["households_into_work"] == 3
    assert after["cohort"]["people"] == 9


def test_spend_report_nets_the_reversal_in_its_month(dataset: Database, staff: Staff) -> None:
    rows = report(dataset, staff.manager, "spend", Period(AS_OF))
    assert [(r["month"], r["category"], r["spends"], r["spent"]) for r in rows] == [  # type: ignore[attr-defined]
        ("2025-05", "phone_topup", 1, "12.34"),
        ("2025-07", "fuel_vouchers", 1, "45.00"),
        ("2025-08", "fuel_vouchers", 0, "-45.00"),
        ("2025-08", "furniture", 1, "120.50"),
        ("2025-11", "training_equipment", 1, "300.00"),
    ]


def test_the_spend_reports_tables_name_each_advocate(dataset: Database, staff: Staff) -> None:
    """ "By advocate" listed usernames where the app names people; the files keep them."""
    with dataset.engine.begin() as connection:
        connection.execute(
            text("UPDATE app_user SET display_name = 'Adele Onions' WHERE username = 'adv.one'")
        )
    spend = built(dataset, staff.manager, "spend", Period(AS_OF))
    [table] = [table for table in spend.tables if table.title == "By advocate"]
    assert [row[0] for row in table.rows] == ["Adele Onions", "adv.three", "Total"]
    assert {row[2] for row in spend.flat.rows} == {"adv.one", "adv.three"}


def test_a_report_written_out_is_audited_as_an_export(dataset: Database, staff: Staff) -> None:
    from sqlalchemy import text

    built(dataset, staff.manager, "performance", Period(AS_OF), audited=True)
    with dataset.engine.connect() as connection:
        rows = connection.execute(
            text("SELECT action, entity FROM audit_event WHERE entity = 'performance_report'")
        ).all()
    assert rows == [("export", "performance_report")]


def test_a_reading_under_another_framework_restarts_only_that_persons_comparison(
    dataset: Database, staff: Staff
) -> None:
    """P1's newest reading is under another framework: P1 has nothing to compare (their
    first under it is that reading), and everyone else's progress stands."""
    with dataset.engine.begin() as connection:
        person = connection.execute(
            text("SELECT id, household_id FROM person WHERE reference = 'P1'")
        ).one()
        reading = connection.execute(
            text(
                "INSERT INTO star_reading (person_id, household_id, framework_id, "
                "framework_version, taken_on, completed_by, status, notes, entered_by, "
                "created_at, updated_at, version) VALUES (:person, :household, 'other-2026', "
                "'1', '2026-03-25', 'together', 'final', '', :user, :at, :at, 1) RETURNING id"
            ),
            {
                "person": person[0],
                "household": person[1],
                "user": staff.manager.id,
                "at": "2026-03-25",
            },
        ).scalar_one()
        for area in load_framework().codes:
            connection.execute(
                text(
                    "INSERT INTO star_score (reading_id, area, score, note) VALUES (:r, :a, 5, '')"
                ),
                {"r": reading, "a": area},
            )
    # Restated as every save of a reading restates them.
    dataset.write(refresh_summaries, household_ids=[person[1]])
    figures = report(dataset, staff.manager, "performance", Period(AS_OF))
    assert figures["progress_measures"] == 10  # type: ignore[index]
    assert figures["households_significant_improvement"] == 3  # type: ignore[index]  # P1's job


def test_a_caseloads_report_names_its_advocate(dataset: Database, staff: Staff) -> None:
    """It said "Caseload of ada.adv", a username, where the app names people."""
    for actor, period in (
        (staff.ada, Period(AS_OF)),
        (staff.manager, Period(AS_OF, advocate=staff.ada.username)),
    ):
        assert built(dataset, actor, "performance", period).scope == "Caseload of Ada Adv"


def test_a_measure_without_a_published_target_says_so(dataset: Database, staff: Staff) -> None:
    """A target column of "-" on every line left managers wondering what was wrong."""
    performance = built(dataset, staff.manager, "performance", Period(AS_OF))
    [table] = [table for table in performance.tables if table.title == "Targets and actuals"]
    assert {row[1] for row in table.rows} == {"no target", "see %"}  # the count: targeted as %
    assert performance.flat.rows[0][2] is None  # exports leave it empty
