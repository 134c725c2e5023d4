"""The board pack: the performance table for several periods side by side, for the
actor's scope and for each local authority in it, as programme managers present it.

Each period is counted on its own (`hiw_tui.domain.targets`): households started in
it, steps done and outcomes in it; every figure is `performance`'s for the same scope
and dates, so the pack always equals the single-period reports.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from sqlmodel import Session

from hiw_tui.db.core.models import UserPublic
from hiw_tui.domain.access import Permission
from hiw_tui.domain.codes import LocalAuthority
from hiw_tui.domain.counting import Period
from hiw_tui.domain.framework import Framework
from hiw_tui.domain.report_models import AreaChange, Performance
from hiw_tui.domain.targets import TargetPeriod
from hiw_tui.reports.queries.programme import report_audit
from hiw_tui.reports.scope import own_scope
from hiw_tui.reports.tables import TARGETED, Cell, Report, Table, distance_report

COUNTS = ("progress_measures", "steps", "job_outcomes", "work_related_activities", "courses")
SHORT = {
    "households_started": "Started",
    "households_completed_activity": "Activity",
    "households_significant_improvement": "Improved",
    "households_into_work": "Into work",
    "into_work_percent": "Into work %",
    "progress_measures": "Progress",
    "steps": "Steps",
    "job_outcomes": "Jobs",
    "work_related_activities": "Work-related",
    "courses": "Courses",
}
HOUSEHOLD_MEASURES = (*TARGETED[:3], "households_into_work", "into_work_percent")
NAMES = {
    "households_started": "Households started",
    "households_completed_activity": "Completed activity",
    "households_significant_improvement": "Sig. improvement",
    "households_into_work": "Into work",
    "into_work_percent": "Into work %",
}
"""The targeted measures in a few words, so that two periods fit in 80 columns (the
PDF and the README give them in full)."""


@dataclass(frozen=True)
class Column:
    """One period of one scope: its targets and what was counted."""

    period: TargetPeriod
    targets: dict[str, float]
    actual: dict[str, int | float]

    def as_json(self) -> dict[str, object]:
        return {"as_of": self.period.to.isoformat(), "targets": self.targets, "actual": self.actual}


def _scope_label(own: Period) -> str:
    return own.advocate or own.local_authority or "all"


def _areas_in_scope(actor: UserPublic, scope: Period) -> tuple[LocalAuthority, ...]:
    """The local authorities a pack for `actor` and `scope` breaks down by."""
    if scope.local_authority is not None:
        return (LocalAuthority(scope.local_authority),)
    if actor.can(Permission.ALL_AREAS) or actor.local_authority is None:
        return tuple(LocalAuthority)
    return (actor.local_authority,)


def counted_periods(scope: Period, periods: tuple[TargetPeriod, ...]) -> list[Period]:
    """Each target period as its figures are counted, in `scope`'s area or advocate:
    `performance_by_area` of each is a column of the pack, and distance travelled is of
    the last."""
    return [
        Period(period.to, period.date_from, scope.local_authority, scope.advocate)
        for period in periods
    ]


def _board_columns(
    actor: UserPublic,
    scope: Period,
    periods: tuple[TargetPeriod, ...],
    figures: Sequence[dict[str, Performance]],
) -> tuple[list[Column], dict[str, list[Column]]]:
    """The scope's columns, and each local authority's, one per period."""

    def column(period: TargetPeriod, area: str | None, counted: Performance) -> Column:
        own = own_scope(actor, Period(period.to, period.date_from, area, scope.advocate))
        goals = period.goals(local_authority=own.local_authority, advocate=own.advocate)
        return Column(period, goals, counted.as_json())

    whole: list[Column] = []
    by_area: dict[str, list[Column]] = {}
    areas = _areas_in_scope(actor, scope)
    for period, parts in zip(periods, figures, strict=True):
        whole.append(column(period, scope.local_authority, Performance.total(parts.values())))
        for area in areas:
            counted = parts.get(area.value, Performance.total(()))
            by_area.setdefault(area.value, []).append(column(period, area.value, counted))
    return whole, by_area


def board_report(
    session: Session,
    *,
    actor: UserPublic,
    scope: Period,
    periods: tuple[TargetPeriod, ...],
    framework: Framework,
    figures: Sequence[dict[str, Performance]],
    changes: list[AreaChange],
    audited: bool = False,
) -> Report:
    """The pack for `periods` (in date order) in `scope`'s area or advocate, if any,
    from each period's `performance_by_area` (`figures`) and distance travelled in the
    last (`changes`), each of its `counted_periods`; built by `build_report`, which
    counts them side by side."""
    whole, by_area = _board_columns(actor, scope, periods, figures)
    first, last = periods[0], periods[-1]
    covered = Period(last.to, first.date_from, scope.local_authority, scope.advocate)
    latest = counted_periods(scope, (last,))[0]
    report_audit(session, actor, "board_report", covered, audited)
    tables = [_targets_table(whole), _counts_table(whole)]
    for index, period in enumerate(periods):
        columns = {code: area[index] for code, area in by_area.items()}
        tables += _area_tables(period, columns, whole[index])
    distance = distance_report(changes, framework, latest)
    tables += [replace(table, title=f"{table.title}, {last.name}") for table in distance.tables]
    data = {
        "periods": [column.as_json() for column in whole],
        "by_area": {code: [column.as_json() for column in area] for code, area in by_area.items()},
    }
    return Report(
        "board",
        "Board pack",
        covered,
        tables,
        _flat(_scope_label(own_scope(actor, scope)), whole, by_area),
        data,
        distance.changes,
        distance.chart_labels,
        changes_of=last.name,
        sheets=True,
    )


def _labels(periods: list[TargetPeriod]) -> list[str]:
    """Each period by its last day's year where those differ, or month and year."""
    years = [f"{period.to:%Y}" for period in periods]
    if len(set(years)) == len(years):
        return years
    return [f"{period.to:%b %y}" for period in periods]


def _targets_table(whole: list[Column]) -> Table:
    headings = ["Measure"]
    for label in _labels([column.period for column in whole]):
        headings += [f"{label} target", f"{label} actual"]
    rows: list[tuple[Cell, ...]] = []
    for key in HOUSEHOLD_MEASURES:
        cells: list[Cell] = [NAMES[key]]
        for column in whole:
            cells += [column.targets.get(key), column.actual[key]]
        rows.append(tuple(cells))
    return Table("Targets and actuals", tuple(headings), rows)


def _counts_table(whole: list[Column]) -> Table:
    return Table(
        "Improvements secured",
        ("Period", *(SHORT[key] for key in COUNTS)),
        [(column.period.name, *(column.actual[key] for key in COUNTS)) for column in whole],
    )


def _area_tables(period: TargetPeriod, columns: dict[str, Column], whole: Column) -> list[Table]:
    households: list[tuple[Cell, ...]] = []
    counts: list[tuple[Cell, ...]] = []
    for code, column in [*columns.items(), ("", whole)]:
        name = LocalAuthority(code).label if code else "Total"
        households.append((name, *(column.actual[key] for key in HOUSEHOLD_MEASURES)))
        if column.targets and code:
            households.append(
                (f"{name} target", *(column.targets.get(key) for key in HOUSEHOLD_MEASURES))
            )
        counts.append((name, *(column.actual[key] for key in COUNTS)))
    return [
        Table(
            f"{period.name}, by local authority",
            ("Area", *(SHORT[key] for key in HOUSEHOLD_MEASURES)),
            households,
        ),
        Table(
            f"{period.name}, improvements by area",
            ("Area", *(SHORT[key] for key in COUNTS)),
            counts,
        ),
    ]


def _flat(label: str, whole: list[Column], by_area: dict[str, list[Column]]) -> Table:
    """A row per scope, period and measure; the scope is "all" for the whole programme,
    else the area's code or the advocate's username, then each area's code."""
    rows: list[tuple[Cell, ...]] = []
    for scope, columns in [(label, whole), *by_area.items()]:
        for column in columns:
            start = column.period.date_from.isoformat() if column.period.date_from else None
            for key, value in column.actual.items():
                rows.append(
                    (
                        start,
                        column.period.to.isoformat(),
                        scope,
                        key,
                        column.targets.get(key),
                        value,
                    )
                )
    return Table("Board pack", ("from", "as_of", "scope", "measure", "target", "actual"), rows)
