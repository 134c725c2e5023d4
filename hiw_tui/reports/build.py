"""Making a report from the database: one call per report, inside one transaction."""

from __future__ import annotations

from sqlmodel import Session

from hiw_tui.db.core.models import UserPublic
from hiw_tui.domain.counting import Period
from hiw_tui.domain.framework import Framework
from hiw_tui.reports.queries.cohort import cohort_profile
from hiw_tui.reports.queries.programme import distance_travelled, performance
from hiw_tui.reports.queries.spend import spend_report
from hiw_tui.reports.tables import (
    Report,
    cohort_report,
    distance_report,
    performance_report,
    spend_report_tables,
)

REPORTS = ("performance", "cohort", "distance", "spend")


def build_report(
    session: Session,
    *,
    actor: UserPublic,
    kind: str,
    period: Period,
    targets: dict[str, float],
    framework: Framework,
    audited: bool = False,
) -> Report:
    """The report `kind` for `period` in the actor's scope; `audited` records it as an
    export (a file or a printout leaving the app)."""
    if kind == "performance":
        figures = performance(session, actor=actor, period=period, audited=audited)
        return performance_report(figures, targets, period)
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
