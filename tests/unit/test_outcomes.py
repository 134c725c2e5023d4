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
