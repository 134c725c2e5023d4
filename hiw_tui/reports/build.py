"""Making a report from the database: one call per report, inside one transaction."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from sqlmodel import Session

from hiw_tui.db.core.errors import NotFound
from hiw_tui.db.core.models import UserPublic
from hiw_tui.domain.counting import Period
from hiw_tui.domain.framework import Framework
from hiw_tui.domain.targets import Targets
from hiw_tui.reports.board import board_report
from hiw_tui.reports.queries.cohort import cohort_profile
from hiw_tui.reports.queries.programme import distance_travelled, performance
from hiw_tui.reports.queries.spend import spend_report
from hiw_tui.reports.scope import check_scope, own_scope, scope_words
from hiw_tui.reports.tables import (
    Report,
    cohort_report,
    distance_report,
    performance_report,
    spend_report_tables,
)

REPORTS = ("performance", "cohort", "distance", "spend", "board")


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
) -> Report:
    """The report `kind` for `period` in the actor's scope; `audited` records it as an
    export (a file or a printout leaving the app). An area or advocate outside the
    actor's scope is refused (`check_scope`), never counted as nothing.

    The board pack covers the target periods ending on `periods`, or when none are
    given, those ending on or before the as-of date."""
    check_scope(session, actor, period)
    report = _counted(session, actor, kind, period, targets, framework, audited, periods)
    return replace(report, scope=scope_words(actor, period))


def _counted(
    session: Session,
    actor: UserPublic,
    kind: str,
    period: Period,
    targets: Targets,
    framework: Framework,
    audited: bool,
    periods: tuple[date, ...],
) -> Report:
    if kind == "board":
        spans = targets.spans(list(periods)) if periods else targets.up_to(period.as_of)
        if not spans:
            raise NotFound(
                f"No target period ends by {period.as_of.isoformat()}: choose a later "
                "as-of date, or name the periods' last days (report board --periods)."
            )
        return board_report(
            session, actor=actor, scope=period, periods=spans, framework=framework, audited=audited
        )
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
        return spend_report_tables(rows, period)
    raise ValueError(f"no report called {kind!r}")
