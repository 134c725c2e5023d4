"""The outcome rules: a job counts after 28 days at 16+ hours; courses of 5+ hours."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hiw_tui.domain.outcomes import (
    JOB_HOURS,
    course_counts,
    is_job_outcome,
    job_counts_from,
    job_verdict,
    short_term_ends,
)

days = st.dates(date(2019, 1, 1), date(2030, 12, 31))


def test_a_job_from_the_first_to_the_twenty_ninth_of_march_counts_on_the_twenty_ninth() -> None:
    start, end = date(2026, 3, 1), date(2026, 3, 29)
    assert job_counts_from(start, end, 16) == end
    assert is_job_outcome(start, end, 16, as_of=date(2026, 3, 29))
    assert not is_job_outcome(start, end, 16, as_of=date(2026, 3, 28))
    assert job_counts_from(start, date(2026, 3, 28), 16) is None  # ended a day too soon
    assert job_counts_from(start, None, 15.5) is None  # too few hours


@given(days, st.one_of(st.none(), st.integers(0, 400)), st.floats(0, 60), days)
def test_a_job_counts_exactly_when_it_has_lasted_28_days_by_the_as_of_date(
    start: date, length: int | None, hours: float, as_of: date
) -> None:
    end = None if length is None else start + timedelta(days=length)
    lasted_to = as_of if end is None or end > as_of else end
    expected = hours >= JOB_HOURS and (lasted_to - start).days >= 28
    assert is_job_outcome(start, end, hours, as_of=as_of) is expected
    counts_from = job_counts_from(start, end, hours)
    if counts_from is not None:  # once a job outcome, always one
        assert is_job_outcome(start, end, hours, as_of=counts_from + timedelta(days=900))


@pytest.mark.parametrize(("hours", "counts"), [(4.5, False), (5, True), (30, True)])
def test_courses_count_from_five_hours(hours: float, counts: bool) -> None:
    assert course_counts(hours) is counts


def test_a_short_term_case_runs_twelve_weeks() -> None:
    assert short_term_ends(date(2026, 1, 5)) == date(2026, 3, 30)


START = date(2026, 3, 1)


@pytest.mark.parametrize(
    ("hours", "days_lasted", "counts"),
    [(15, 60, False), (16, 60, True), (16, 27, False), (16, 28, True), (15.99, 28, False)],
)
def test_the_edges_of_a_job_outcome(hours: float, days_lasted: int, counts: bool) -> None:
    end = START + timedelta(days=days_lasted)
    assert is_job_outcome(START, end, hours, as_of=date(2026, 12, 31)) is counts


def test_a_job_still_running_counts_from_its_28th_day() -> None:
    assert not is_job_outcome(START, None, 16, as_of=START + timedelta(days=27))
    assert is_job_outcome(START, None, 16, as_of=START + timedelta(days=28))
    ends_after_as_of = START + timedelta(days=90)
    assert is_job_outcome(START, ends_after_as_of, 16, as_of=START + timedelta(days=28))


@pytest.mark.parametrize(
    ("end", "hours", "today", "says"),
    [
        (None, 15, date(2026, 6, 1), "✗ Not a job outcome: under 16 hours a week."),
        (date(2026, 3, 28), 20, date(2026, 6, 1), "✗ Not a job outcome: it lasted 27 days"),
        (None, 16, date(2026, 3, 28), "… Becomes a job outcome on 2026-03-29 if still in work"),
        (None, 16, date(2026, 3, 29), "✓ Job outcome since 2026-03-29."),
    ],
)
def test_what_the_outcome_screen_says_about_a_job(
    end: date | None, hours: float, today: date, says: str
) -> None:
    assert job_verdict(START, end, hours, today=today).startswith(says)
