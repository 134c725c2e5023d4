"""The trends report as a table (a line per month and a Total), two charts for the
screen (households started beside outcomes; spending) and plain data."""

from __future__ import annotations

from hiw_tui.domain.casework_reports import MonthLine
from hiw_tui.domain.counting import Period
from hiw_tui.domain.money import decimal_pounds, pounds
from hiw_tui.reports.tables import Cell, Chart, Report, Series, Table

FIGURES = ("started", "job_outcomes", "work_related_activities", "courses")


def trends_report(lines: list[MonthLine], period: Period) -> Report:
    """`period` is the one counted, its from date filled in (`trend_period`)."""

    def shown(label: str, line: MonthLine) -> tuple[Cell, ...]:
        counts = (line.started, line.job_outcomes, line.work_related_activities, line.courses)
        return (label, *counts, line.outcomes, pounds(line.spent))

    total = MonthLine(
        "Total",
        **{key: sum(getattr(line, key) for line in lines) for key in (*FIGURES, "spent")},
    )
    table = Table(
        "By month",
        ("Month", "Started", "Jobs", "Work-related", "Courses", "Outcomes", "Spent"),
        [*(shown(line.month, line) for line in lines), shown("Total", total)],
    )
    flat = Table(
        "Trends",
        ("month", *FIGURES, "outcomes", "spent"),
        [
            (
                line.month,
                *(getattr(line, key) for key in FIGURES),
                line.outcomes,
                decimal_pounds(line.spent),
            )
            for line in lines
        ],
    )
    data = [
        {
            "month": line.month,
            **{key: getattr(line, key) for key in FIGURES},
            "outcomes": line.outcomes,
            "spent_pence": line.spent,
        }
        for line in lines
    ]
    months = tuple(line.month for line in lines)
    charts = (
        Chart(
            "Households started and outcomes",
            months,
            (
                Series("started", tuple(line.started for line in lines)),
                Series("outcomes", tuple(line.outcomes for line in lines)),
            ),
        ),
        Chart("Spent", months, (Series("spent", tuple(line.spent for line in lines)),), True),
    )
    return Report("trends", "Trends", period, [table], flat, data, charts=charts)
