"""The counting rules on their own: the percentage's rounding and how outcomes count."""

from __future__ import annotations

from datetime import date

from hiw_tui.domain.counting import OutcomeTally, Period, percent
from hiw_tui.domain.report_models import Performance
from hiw_tui.reports.tables import performance_report


def test_percent_is_one_decimal_rounded_half_up() -> None:
    assert percent(1, 400) == 0.3  # 0.25: half up, where round() would give 0.2
    assert percent(2, 3) == 66.7
    assert percent(1, 8) == 12.5
    assert percent(0, 0) == 0.0


def test_outcomes_count_by_kind_hours_and_dates() -> None:
    period = Period(date(2026, 3, 29), date(2025, 4, 1))
    tally = OutcomeTally()
    tally.add(1, "job", date(2026, 3, 1), date(2026, 3, 29), 16, period=period)  # 28 days
    tally.add(2, "job", date(2026, 3, 1), None, 15, period=period)  # 15 hours
    tally.add(3, "job", date(2025, 10, 1), date(2025, 10, 28), 30, period=period)  # 27 days
    tally.add(4, "course", date(2025, 10, 1), None, 4.5, period=period)
    tally.add(5, "course", date(2025, 10, 1), None, 5, period=period)
    tally.add(6, "volunteering", date(2026, 3, 30), None, 8, period=period)  # after as-of
    tally.add(7, "work_experience", date(2025, 3, 31), None, 8, period=period)  # before from
    tally.add(8, "work_experience", date(2025, 4, 1), None, 8, period=period)
    assert (tally.job_outcomes, tally.courses, tally.work_related_activities) == (1, 1, 1)
    assert tally.into_work == {1}
    assert tally.achieved == {1, 5, 8}
    as_of_28 = OutcomeTally()
    as_of_28.add(
        1, "job", date(2026, 3, 1), date(2026, 3, 29), 16, period=Period(date(2026, 3, 28))
    )
    assert as_of_28.job_outcomes == 0


def test_the_performance_json_puts_the_percentage_after_the_households_into_work() -> None:
    figures = Performance(3, 2, 2, 1, 4, 5, 1, 0, 0).as_json()
    assert list(figures)[3:5] == ["households_into_work", "into_work_percent"]
    assert figures["into_work_percent"] == 33.3


def test_the_households_into_work_read_as_the_other_measures() -> None:
    """Targeted as a percentage, on the next row: "see %" ("-" read as a target missing;
    a targeted measure with none published for the dates says "no target"); thousands
    with a comma."""
    figures = Performance(3000, 2, 2, 2533, 4, 5, 1, 0, 0)
    report = performance_report(figures, {}, Period(date(2026, 3, 31)))
    rows = {row[0]: row[1:] for row in report.tables[0].rows}
    assert rows["Households moved into employment (16 h/week, 4 weeks)"] == ("see %", "2,533")
    assert rows["Households started on the programme"] == ("no target", "3,000")
