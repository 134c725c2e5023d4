"""The exits report: households that left in the period (exited or withdrawn, by their
end date), why and where to, and the onward referrals made for them.

An onward referral is one made on leaving (the exit form's, flagged onward) or any made
on or after the household's end date: both are how the programme hands a household on.
It counts when it was made in the period, whenever the household left. A household
withdrawn from a referral records no reason or destination: it counts as "Not
recorded".
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import and_, distinct, func, or_
from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from hiw_tui.db.casework.models import Partner, Referral
from hiw_tui.db.core.models import Household, UserPublic
from hiw_tui.domain.casework_reports import Counted, ExitFigures, Onward
from hiw_tui.domain.codes import CLOSED_STATUSES, Coded, Destination, ExitReason, HouseholdStatus
from hiw_tui.domain.counting import Period
from hiw_tui.reports.queries.programme import report_audit
from hiw_tui.reports.queries.scoped import households_in_scope, within

NOT_RECORDED = "Not recorded"


def _onward() -> Any:
    """A referral handing its household on: flagged onward, or made once it had left."""
    closed = col(Household.status).in_([s.value for s in CLOSED_STATUSES])
    return or_(col(Referral.onward), and_(closed, col(Referral.made_on) >= col(Household.end_date)))


def exit_figures(
    session: Session, *, actor: UserPublic, period: Period, audited: bool = False
) -> ExitFigures:
    scoped = households_in_scope(session, actor, period)
    left = [
        *scoped,
        col(Household.status).in_([s.value for s in CLOSED_STATUSES]),
        within(col(Household.end_date), period),
    ]

    # The households that left, counted once by status, reason and destination together
    # (three counts of one read, not three reads).
    codes = (col(Household.status), col(Household.exit_reason), col(Household.exit_destination))
    combined = [
        (row[:3], int(row[3]))
        for row in session.execute(sa_select(*codes, func.count()).where(*left).group_by(*codes))
    ]

    def by(place: int) -> dict[str | None, int]:
        counts: Counter[str | None] = Counter()
        for key, count in combined:
            counts[key[place]] += count
        return dict(counts)

    onward = [*scoped, _onward(), within(col(Referral.made_on), period)]
    # Counted by partner id first, from the referrals in the table's order (`+ 0`: not
    # partner by partner through its index, a look-up per referral), then named.
    partner_id = (col(Referral.partner_id) + 0).label("partner_id")
    per_partner = (
        sa_select(partner_id, func.count().label("referrals"))
        .join(Household, col(Household.id) == col(Referral.household_id))
        .where(*onward)
        .group_by(partner_id)
        .subquery()
    )
    partners = session.execute(
        sa_select(col(Partner.name), col(Partner.kind), per_partner.c.referrals)
        .join(per_partner, per_partner.c.partner_id == col(Partner.id))
        .order_by(col(Partner.kind), col(Partner.name))
    )
    referred_on = session.execute(
        sa_select(func.count(distinct(col(Household.id))))
        .select_from(Referral)
        .join(Household, col(Household.id) == col(Referral.household_id))
        .where(*left, _onward())
    ).scalar_one()
    figures = ExitFigures(
        statuses=_counted(by(0), _pairs(HouseholdStatus, CLOSED_STATUSES)),
        reasons=_counted(by(1), _pairs(ExitReason)),
        destinations=_counted(by(2), _pairs(Destination)),
        onward=tuple(Onward(name, kind, int(count)) for name, kind, count in partners),
        households_referred_on=int(referred_on),
    )
    report_audit(session, actor, "exits_report", period, audited)
    return figures


def _pairs(codes: type[Coded], only: Any = None) -> list[tuple[str, str]]:
    return [(code.value, code.label) for code in codes if only is None or code in only]


def _counted(counts: dict[str | None, int], lines: list[tuple[str, str]]) -> tuple[Counted, ...]:
    """A line per code, in the vocabulary's order, then any count without a code."""
    counted = [Counted(code, label, counts.get(code, 0)) for code, label in lines]
    known = {code for code, _ in lines}
    missing = sum(count for code, count in counts.items() if code not in known)
    if missing:
        counted.append(Counted("", NOT_RECORDED, missing))
    return tuple(counted)
