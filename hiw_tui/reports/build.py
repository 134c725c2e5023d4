"""Making a report from the database: one call per report, inside one transaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from functools import partial
from typing import cast

from sqlmodel import Session

from hiw_tui.db.core.errors import NotFound
from hiw_tui.db.core.models import UserPublic
from hiw_tui.db.core.side_by_side import side_by_side
from hiw_tui.domain.counting import Period
from hiw_tui.domain.framework import Framework
from hiw_tui.domain.report_models import AreaChange, Performance
from hiw_tui.domain.targets import TargetPeriod, Targets
from hiw_tui.reports.board import board_report, counted_periods
from hiw_tui.reports.casework_tables import (
    caseload_report,
    exits_report,
    referrals_report,
    welfare_report,
)
from hiw_tui.reports.kinds import BY_CODE, REPORTS
from hiw_tui.reports.queries.caseload import caseload
from hiw_tui.reports.queries.cohort import cohort_profile
from hiw_tui.reports.queries.exits import exit_figures
from hiw_tui.reports.queries.programme import (
    distance_travelled,
    performance,
    performance_by_area,
)
from hiw_tui.reports.queries.referrals import referral_lines
from hiw_tui.reports.queries.spend import advocate_names, spend_report
from hiw_tui.reports.queries.trends import trend_period, trends
from hiw_tui.reports.queries.welfare import welfare_checks
from hiw_tui.reports.scope import check_scope, own_scope, scope_words
from hiw_tui.reports.tables import (
    Report,
    cohort_report,
    distance_report,
    performance_report,
    spend_report_tables,
)
from hiw_tui.reports.trend_tables import trends_report
from hiw_tui.settings import Settings

__all__ = ["REPORTS", "build_report"]

DEFAULT_CAP = int(Settings.model_fields["budget_cap_pence"].default)
DEFAULT_DUE_WEEKS = int(Settings.model_fields["reading_due_weeks"].default)


def build_report(
    session: Session,
    *,
    actor: UserPublic,
    kind: str,
    period: Period,
    targets: Targets,
    framework: Framework,
    audited: bool = False,
    periods: tuple[date, ...] = (),
    budget_cap_pence: int = DEFAULT_CAP,
    reading_due_weeks: int = DEFAULT_DUE_WEEKS,
) -> Report:
    """The report `kind` for `period` in the actor's scope; `audited` records it as an
    export (a file or a printout leaving the app). An area or advocate outside the
    actor's scope is refused (`check_scope`), never counted as nothing.

    The board pack covers the target periods ending on `periods`, or when none are
    given, those ending on or before the as-of date. The caseload is as of the as-of
    date (a from date does not apply, and its heading names none); it counts a budget
    not yet opened at `budget_cap_pence` and readings due `reading_due_weeks` after the
    last (the settings of those names)."""
    check_scope(session, actor, period)
    if kind == "board":
        spans = targets.spans(list(periods)) if periods else targets.up_to(period.as_of)
        if not spans:
            raise NotFound(
                f"No target period ends by {period.as_of.isoformat()}: choose a later "
                "as-of date, or name the periods' last days (report board --periods)."
            )
        part = partial(
            build_report,
            actor=actor,
            targets=targets,
            framework=framework,
            budget_cap_pence=budget_cap_pence,
            reading_due_weeks=reading_due_weeks,
        )
        report = _board_pack(session, actor, period, spans, framework, part, audited)
    elif kind in CASEWORK:
        report = CASEWORK[kind](session, actor, period, audited)
    elif kind == "caseload":
        period = replace(period, date_from=None)  # today's work: as of a day, no span
        lines = caseload(
            session,
            actor=actor,
            period=period,
            default_cap=budget_cap_pence,
            reading_due_weeks=reading_due_weeks,
            audited=audited,
        )
        report = caseload_report(lines, period)
    else:
        report = _counted(session, actor, kind, period, targets, framework, audited)
    return replace(report, scope=scope_words(session, actor, period))


PACK = ("exits", "referrals", "welfare", "spend", "trends")
"""The reports the evaluation asked for, in the board pack for its last period. The
caseload is today's work (`hiw-tui report caseload`): its overdue steps and readings
due read the records as they stand, so a past period's would be wrong."""


def _board_pack(
    session: Session,
    actor: UserPublic,
    scope: Period,
    spans: tuple[TargetPeriod, ...],
    framework: Framework,
    part: Callable[..., Report],
    audited: bool,
) -> Report:
    """The board pack and its parts (`part`: `build_report` less its kind and period),
    counted side by side, the longest first so that the two threads finish close
    together."""
    counted = counted_periods(scope, spans)
    kinds = sorted(PACK, key=lambda kind: kind != "welfare")
    calls: list[Callable[[Session], object]] = [
        partial(distance_travelled, actor=actor, period=counted[-1]),
        partial(part, kind=kinds[0], period=counted[-1]),
        *(partial(performance_by_area, actor=actor, period=each) for each in counted),
        *(partial(part, kind=kind, period=counted[-1]) for kind in kinds[1:]),
    ]
    changes, first, *rest = side_by_side(session, calls)
    built = dict(zip(kinds, [first, *rest[len(counted) :]], strict=True))
    board = board_report(
        session,
        actor=actor,
        scope=scope,
        periods=spans,
        framework=framework,
        figures=cast(list[dict[str, Performance]], rest[: len(counted)]),
        changes=cast(list[AreaChange], changes),
        audited=audited,
    )
    parts = [cast(Report, built[kind]) for kind in PACK]
    return with_parts(board, parts, spans[-1].name)


def with_parts(board: Report, parts: list[Report], period_name: str) -> Report:
    """The board pack followed by each part's tables, titled with the part's short name
    first (so that a workbook's sheet names, cut at 31 characters, tell them apart),
    unless the title starts with it already ("Referrals by partner"), and the period
    last, and its charts, titled with the period too."""
    tables = list(board.tables)
    for part in parts:
        short = BY_CODE[part.name].short
        for table in part.tables:
            title = table.title if table.title.startswith(short) else f"{short}: {table.title}"
            tables.append(replace(table, title=f"{title}, {period_name}"))
    charts = tuple(
        replace(chart, title=f"{chart.title}, {period_name}")
        for part in parts
        for chart in part.charts
    )
    return replace(board, tables=tables, charts=charts)


CaseworkReport = Callable[[Session, UserPublic, Period, bool], Report]


def _exits(session: Session, actor: UserPublic, period: Period, audited: bool) -> Report:
    figures = exit_figures(session, actor=actor, period=period, audited=audited)
    return exits_report(figures, period)


def _referrals(session: Session, actor: UserPublic, period: Period, audited: bool) -> Report:
    lines = referral_lines(session, actor=actor, period=period, audited=audited)
    return referrals_report(lines, period)


def _welfare(session: Session, actor: UserPublic, period: Period, audited: bool) -> Report:
    figures = welfare_checks(session, actor=actor, period=period, audited=audited)
    return welfare_report(figures, period)


def _trends(session: Session, actor: UserPublic, period: Period, audited: bool) -> Report:
    lines = trends(session, actor=actor, period=period, audited=audited)
    return trends_report(lines, trend_period(period))


CASEWORK: dict[str, CaseworkReport] = {
    "exits": _exits,
    "referrals": _referrals,
    "welfare": _welfare,
    "trends": _trends,
}
"""The reports made from the period alone (the caseload also needs two settings)."""


def _counted(
    session: Session,
    actor: UserPublic,
    kind: str,
    period: Period,
    targets: Targets,
    framework: Framework,
    audited: bool,
) -> Report:
    if kind == "performance":
        figures = performance(session, actor=actor, period=period, audited=audited)
        return performance_report(figures, targets.matching(own_scope(actor, period)), period)
    if kind == "cohort":
        profile = cohort_profile(session, actor=actor, period=period, audited=audited)
        return cohort_report(profile, period)
    if kind == "distance":
        changes = distance_travelled(session, actor=actor, period=period, audited=audited)
        return distance_report(changes, framework, period)
    if kind == "spend":
        rows = spend_report(
            session,
            actor=actor,
            date_from=period.date_from,
            date_to=period.as_of,
            local_authority=period.local_authority,
            advocate=period.advocate,
            audited=audited,
        )
        names = advocate_names(session, (row.advocate for row in rows))
        return spend_report_tables(rows, period, names)
    raise ValueError(f"no report called {kind!r}")
