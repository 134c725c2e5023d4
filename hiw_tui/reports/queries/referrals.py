"""The referrals report: referrals made in the period, by partner service and status.

A referral counts when it was made in the period (its made date), in the status it had
on the as-of date. A referral keeps only its latest status and that status's date, so
one whose status changed after the as-of date counts as made: nothing dated after the
as-of date counts, and what it was in between is not kept.
"""

from __future__ import annotations

from sqlalchemy import case, func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from hiw_tui.db.casework.models import Partner, Referral
from hiw_tui.db.core.models import Household, UserPublic
from hiw_tui.domain.casework_reports import ReferralLine
from hiw_tui.domain.codes import ReferralStatus
from hiw_tui.domain.counting import Period
from hiw_tui.reports.queries.programme import report_audit
from hiw_tui.reports.queries.scoped import households_in_scope, within


def referral_lines(
    session: Session, *, actor: UserPublic, period: Period, audited: bool = False
) -> list[ReferralLine]:
    """A line per partner referred to in the period, by partner kind then name."""
    status = case(
        (col(Referral.status_on) > period.as_of, ReferralStatus.MADE.value),
        else_=col(Referral.status),
    )
    rows = session.execute(
        sa_select(col(Partner.id), col(Partner.name), col(Partner.kind), status, func.count())
        .select_from(Referral)
        .join(Household, col(Household.id) == col(Referral.household_id))
        .join(Partner, col(Partner.id) == col(Referral.partner_id))
        .where(*households_in_scope(session, actor, period), within(col(Referral.made_on), period))
        .group_by(col(Partner.id), col(Partner.name), col(Partner.kind), status)
    )
    lines: dict[int, ReferralLine] = {}
    for partner_id, name, kind, code, count in rows:
        line = lines.setdefault(partner_id, ReferralLine(name, kind))
        line.statuses[code] = line.statuses.get(code, 0) + int(count)
    report_audit(session, actor, "referrals_report", period, audited)
    return sorted(lines.values(), key=lambda line: (line.kind, line.partner.casefold()))
