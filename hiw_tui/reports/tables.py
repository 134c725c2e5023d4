"""Each programme report as tables: titled ones for the screen and the terminal, one flat
table for CSV and XLSX (a row per line, a column per figure), and plain data for JSON."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from hiw_tui.db.ledger.models import SpendRow
from hiw_tui.domain.budget import CORE_LIVING_COSTS
from hiw_tui.domain.codes import Coded
from hiw_tui.domain.counting import Period, percent
from hiw_tui.domain.framework import Framework
from hiw_tui.domain.money import decimal_pounds, pounds
from hiw_tui.domain.report_models import AreaChange, CohortProfile, Performance

Cell = str | int | float | None

_FIGURE = re.compile(r"^-?£?[\d,]+(\.\d+)?%?$|^-$")


def is_figure(cell: Cell) -> bool:
    """A number, an amount, a percentage or "-" for none: right-aligned in a table."""
    return not isinstance(cell, str) or bool(_FIGURE.match(cell))


def cell_text(cell: Cell) -> str:
    """A cell as shown on screen, in the terminal and in print: whole numbers with
    thousands separators, "-" for none; other numbers are already rounded."""
    if cell is None:
        return "-"
    if isinstance(cell, float):
        return str(cell)
    if isinstance(cell, int):
        return f"{cell:,}"
    return cell


@dataclass(frozen=True)
class Table:
    title: str
    headings: tuple[str, ...]
    rows: list[tuple[Cell, ...]] = field(default_factory=list)


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[int, ...]


@dataclass(frozen=True)
class Chart:
    """Columns over time: one or more series against one scale, a label per column."""

    title: str
    labels: tuple[str, ...]
    """YYYY-MM, one per column."""
    series: tuple[Series, ...]
    money: bool = False
    """The values are pence, shown as pounds."""


@dataclass(frozen=True)
class Report:
    name: str
    title: str
    period: Period
    tables: list[Table]
    flat: Table
    data: Any
    changes: tuple[AreaChange, ...] = ()
    """Distance travelled and the board pack: the figures the distance chart draws."""
    chart_labels: tuple[str, ...] = ()
    """The names of the areas in `changes`, in the same order."""
    changes_of: str = ""
    """The period `changes` are of, where it is not the report's own (the board pack's
    last target period)."""
    scope: str = ""
    """Whose households it counts, in words (`scope_words`)."""
    sheets: bool = False
    """XLSX: one sheet per table (the board pack), not the flat table."""
    charts: tuple[Chart, ...] = ()
    """Drawn above the tables on screen (the trends report)."""

    def heading(self) -> str:
        """Whose households and which dates, in words."""
        if not self.scope:
            return self.period.describe()
        return f"{self.scope}, {self.period.span()}"


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
    """Targets against actuals, and the counts; `targets` are the period's and scope's
    (`hiw_tui.domain.targets.Targets.matching`), "-" where there are none."""
    values = figures.as_json()

    def target(key: str) -> Cell:
        return targets.get(key)

    flat = Table(
        "Performance",
        ("measure", "label", "target", "actual"),
        [(key, MEASURES[key], target(key), values[key]) for key in values],
    )
    shown = [
        (MEASURES[key], _shown(target(key), key, NO_TARGET), _shown(values[key], key))
        for key in TARGETED
    ]
    into_work = "households_into_work"
    shown.insert(3, (MEASURES[into_work], INTO_WORK_TARGET, _shown(values[into_work], into_work)))
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


NO_TARGET = "no target"
"""A targeted measure's target where none is published for the report's dates and
scope: targets are set per target period, which the board pack shows side by side."""
INTO_WORK_TARGET = "see %"
"""The households moved into work are targeted as a percentage, on the row below: "-"
there read as a target missing."""


def _shown(value: Cell, key: str, missing: str = "-") -> str:
    if value is None:
        return missing
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
    tables += [
        Table(
            f"{title} ({profile.households:,} households)",
            (title, "Households", "%"),
            [(s.label, s.people, s.percent) for s in shares],
        )
        for title, shares in profile.household_tables.items()
    ]
    flat = Table(
        "Cohort profile",
        ("table", "code", "label", "people", "percent", "published_percent"),
        [
            *(
                (title, s.code, s.label, s.people, s.percent, s.published)
                for title, shares in profile.tables.items()
                for s in shares
            ),
            *(  # counts of households: the table's name says so
                (f"{title} (households)", s.code, s.label, s.people, s.percent, None)
                for title, shares in profile.household_tables.items()
                for s in shares
            ),
        ],
    )
    data = {
        "people": profile.people,
        "withheld": list(profile.withheld),
        "tables": {
            title: [asdict(share) for share in shares] for title, shares in profile.tables.items()
        },
        "households": profile.households,
        "household_tables": {
            title: [asdict(share) for share in shares]
            for title, shares in profile.household_tables.items()
        },
    }
    title = f"Cohort profile ({profile.people:,} people)"
    if profile.withheld:
        title += "; special-category lines withheld: " + ", ".join(profile.withheld).lower()
        title += ", health, abuse and offending needs"
    return Report("cohort", title, period, tables, flat, data)


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
        [
            (
                name,
                people,
                f"{first:.2f}",
                f"{latest:.2f}",
                f"{up:.1f}",
                f"{same:.1f}",
                f"{down:.1f}",
            )
            for _, name, people, first, latest, *_, up, same, down in flat.rows
        ],
    )
    data = [dict(zip(flat.headings, row, strict=True)) for row in flat.rows]
    labels = tuple(framework.name_of(change.area) for change in ordered)
    return Report(
        "distance", "Distance travelled", period, [table], flat, data, tuple(ordered), labels
    )


SPEND_GROUPS: tuple[tuple[str, str, Callable[[SpendRow], str]], ...] = (
    ("category", "By category", lambda r: r.category),
    ("local_authority", "By local authority", lambda r: r.local_authority),
    ("advocate", "By advocate", lambda r: r.advocate),
    ("month", "By month", lambda r: r.month),
)
"""Each way the spend report totals: a field, a title, and a row's code in it (labelled
once per line, not once per row)."""


def _named(code: str) -> str:
    return code.label if isinstance(code, Coded) else code


def spend_report_tables(
    rows: list[SpendRow], period: Period, names: Mapping[str, str] | None = None
) -> Report:
    """Spending totalled four ways on screen; every month x area x advocate x category
    line in the files. A reversal nets off in the month it was made. The tables name
    each advocate by `names` (username to name); the files keep the username."""
    flat = Table(
        "Spending",
        ("month", "local_authority", "advocate", "category", "spends", "spent", "waiting"),
        [
            (
                r.month,
                r.local_authority.value,
                r.advocate,
                r.category.value,
                r.entries,
                decimal_pounds(r.spent),
                decimal_pounds(r.waiting),
            )
            for r in rows
        ],
    )
    tables = []
    people = names or {}
    for field_name, title, code_of in SPEND_GROUPS:
        by_name = field_name == "advocate"
        summed: dict[str, list[int]] = {}
        for row in rows:
            total = summed.setdefault(code_of(row), [0, 0, 0])
            total[0] += row.entries
            total[1] += row.spent
            total[2] += row.waiting
        named = sorted(
            (people.get(code, code) if by_name else _named(code), figures)
            for code, figures in summed.items()
        )
        lines: list[tuple[Cell, ...]] = [
            (name, entries, pounds(spent), pounds(waiting))
            for name, (entries, spent, waiting) in named
        ]
        lines.append(
            (
                "Total",
                sum(r.entries for r in rows),
                pounds(sum(r.spent for r in rows)),
                pounds(sum(r.waiting for r in rows)),
            )
        )
        tables.append(
            Table(
                title, (title.removeprefix("By ").capitalize(), "Spends", "Spent", "Waiting"), lines
            )
        )
    tables.append(_core_costs(rows))
    data = [dict(zip(flat.headings, row, strict=True)) for row in flat.rows]
    return Report("spend", "Spending", period, tables, flat, data)


def _core_costs(rows: list[SpendRow]) -> Table:
    """Each area's spending, what went on core living costs (`CORE_LIVING_COSTS`) and
    its share, with a Total line."""
    by_code: dict[str, list[int]] = {}
    for row in rows:
        total = by_code.setdefault(row.local_authority, [0, 0])
        total[0] += row.spent
        total[1] += row.spent if row.category in CORE_LIVING_COSTS else 0
    areas = {_named(code): total for code, total in by_code.items()}
    lines = [
        *sorted(areas.items()),
        ("Total", [sum(t[0] for t in areas.values()), sum(t[1] for t in areas.values())]),
    ]
    return Table(
        "Core living costs (fuel, food, hygiene, clothing) by local authority",
        ("Local authority", "Spent", "Core", "Core %"),
        [
            (name, pounds(spent), pounds(core), f"{percent(core, spent):.1f}%")
            for name, (spent, core) in lines
        ],
    )
