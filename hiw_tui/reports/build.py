"""Making a report from the database: one call per report, inside one transaction."""

from __future__ import annotations

from sqlmodel import Session, select

from hiw_tui.db.core.errors import Forbidden, NotFound
from hiw_tui.db.core.models import User, UserPublic
from hiw_tui.domain.access import Permission
from hiw_tui.domain.codes import LocalAuthority, UserRole
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
    export (a file or a printout leaving the app). An area or advocate outside the
    actor's scope is refused (`check_scope`), never counted as nothing."""
    check_scope(session, actor, period)
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


def check_scope(session: Session, actor: UserPublic, period: Period) -> None:
    """Refuse a report of a local authority or an advocate outside the actor's scope:
    a supervisor's or an advocate's own local authority, an advocate's own caseload, a
    supervisor's area's advocates. A report of zeros would read as no work done."""
    if actor.can(Permission.ALL_AREAS):
        return
    area = period.local_authority
    if area is not None and area != actor.local_authority:
        raise Forbidden(f"{LocalAuthority(area).label} is outside your scope.")
    if period.advocate is None:
        return
    advocate = session.exec(select(User).where(User.username == period.advocate)).first()
    if advocate is None:
        raise NotFound(f"No user called {period.advocate}.")
    if actor.role is UserRole.SUPERVISOR:
        mine = advocate.local_authority == actor.local_authority
    else:
        mine = advocate.id == actor.id
    if not mine:
        raise Forbidden(f"{period.advocate}'s caseload is outside your scope.")
