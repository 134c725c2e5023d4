"""Each programme report as tables: titled ones for the screen and the terminal, one flat
table for CSV and XLSX (a row per line, a column per figure), and plain data for JSON."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from hiw_tui.db.ledger_models import SpendRow
from hiw_tui.domain.codes import BudgetCategory, LocalAuthority
from hiw_tui.domain.counting import Period, percent
from hiw_tui.domain.framework import Framework
from hiw_tui.domain.money import decimal_pounds, pounds
from hiw_tui.domain.report_models import AreaChange, CohortProfile, Performance

Cell = str | int | float | None


@dataclass(frozen=True)
class Table:
    title: str
    headings: tuple[str, ...]
    rows: list[tuple[Cell, ...]] = field(default_factory=list)


@dataclass(frozen=True)
class Report:
    name: str
    title: str
    period: Period
    tables: list[Table]
    flat: Table
    data: Any


MEASURES = {
    "households_started": "Households started on the programme",
    "households_completed_activity": "Households completing at least one agreed activity",
    "households_significant_improvement": "Households making significant improvements",
    "households_into_work": "Households moved into employment (16 h/week, 4 weeks)",
    "into_work_percent": "Households moved into employment, %",
    "progress_measures": "Progress measures",
    "steps": "Steps",
    "job_outcomes": "Job outcomes",
    "work_related_activities": "Work-related activity",
    "courses": "Courses (5+ hours)",
}
TARGETED = (
    "households_started",
    "households_completed_activity",
    "households_significant_improvement",
    "into_work_percent",
)


def performance_report(figures: Performance, targets: dict[str, float], period: Period) -> Report:
    """Targets against actuals, and the counts. Household targets are the programme's,
    shown only for the programme as a whole; the percentage target applies everywhere."""
    values = figures.as_json()
    whole = period.local_authority is None and period.advocate is None

    def target(key: str) -> Cell:
        if key not in targets or (not whole and key != "into_work_percent"):
            return None
        return targets[key]

    flat = Table(
        "Performance",
        ("measure", "label", "target", "actual"),
        [(key, MEASURES[key], target(key), values[key]) for key in values],
    )
    shown = [
        (MEASURES[key], _shown(target(key), key), _shown(values[key], key)) for key in TARGETED
    ]
    shown.insert(3, (MEASURES["households_into_work"], "", str(values["households_into_work"])))
    counts = [key for key in values if key not in TARGETED and key != "households_into_work"]
    tables = [
        Table("Targets and actuals", ("Measure", "Target", "Actual"), list(shown)),
        Table(
            "Improvements secured",
            ("Count", "Number"),
            [(MEASURES[key], values[key]) for key in counts],
        ),
    ]
    return Report("performance", "Performance", period, tables, flat, values)


def _shown(value: Cell, key: str) -> str:
    if value is None:
        return "-"
    if key == "into_work_percent":
        return f"{float(value):.1f}%"
    return f"{int(value):,}"


def cohort_report(profile: CohortProfile, period: Period) -> Report:
    tables = [
        Table(
            title,
            (title, "People", "%", "Published %"),
            [(s.label, s.people, s.percent, s.published) for s in shares],
        )
        for title, shares in profile.tables.items()
    ]
    flat = Table(
        "Cohort profile",
        ("table", "code", "label", "people", "percent", "published_percent"),
        [
            (title, s.code, s.label, s.people, s.percent, s.published)
            for title, shares in profile.tables.items()
            for s in shares
        ],
    )
    data = {
        "people": profile.people,
        "tables": {
            title: [asdict(share) for share in shares] for title, shares in profile.tables.items()
        },
    }
    return Report(
        "cohort", f"Cohort profile ({profile.people:,} people)", period, tables, flat, data
    )


def distance_report(changes: list[AreaChange], framework: Framework, period: Period) -> Report:
    """Rows in the framework's order of areas (areas it lacks after them)."""
    order = {code: index for index, code in enumerate(framework.codes)}
    ordered = sorted(changes, key=lambda c: (order.get(c.area, len(order)), c.area))
    flat = Table(
        "Distance travelled",
        (
            "area",
            "label",
            "people",
            "first_average",
            "latest_average",
            "improved",
            "unchanged",
            "worse",
            "improved_percent",
            "unchanged_percent",
            "worse_percent",
        ),
        [
            (
                c.area,
                framework.name_of(c.area),
                c.people,
                c.first_average,
                c.latest_average,
                c.improved,
                c.unchanged,
                c.worse,
                percent(c.improved, c.people),
                percent(c.unchanged, c.people),
                percent(c.worse, c.people),
            )
            for c in ordered
        ],
    )
    table = Table(
        "Distance travelled",
        ("Area", "People", "First", "Latest", "Better %", "Same %", "Worse %"),
        [(row[1], row[2], row[3], row[4], row[8], row[9], row[10]) for row in flat.rows],
    )
    data = [dict(zip(flat.headings, row, strict=True)) for row in flat.rows]
    return Report("distance", "Distance travelled", period, [table], flat, data)


def spend_report_tables(rows: list[SpendRow], period: Period) -> Report:
    flat = Table(
        "Spending",
        ("month", "local_authority", "advocate", "category", "spends", "spent", "waiting"),
        [
            (
                r.month,
                r.local_authority,
                r.advocate,
                r.category,
                r.entries,
                decimal_pounds(r.spent),
                decimal_pounds(r.waiting),
            )
            for r in rows
        ],
    )
    table = Table(
        "Spending",
        ("Month", "Area", "Advocate", "Category", "Spends", "Spent", "Waiting"),
        [
            (
                r.month,
                LocalAuthority(r.local_authority).label,
                r.advocate,
                BudgetCategory(r.category).label,
                r.entries,
                pounds(r.spent),
                pounds(r.waiting),
            )
            for r in rows
        ],
    )
    data = [dict(zip(flat.headings, row, strict=True)) for row in flat.rows]
    return Report("spend", "Spending", period, [table], flat, data)
