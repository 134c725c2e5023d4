"""The welfare checks report, in the evaluation's terms ("of 1,606 people, 795 were
contactable and 304 asked to be contacted again, at a frequency from daily to monthly").

- **Contacted**: the members (not left by the as-of date) of households with a contact
  logged in the period, and those households.
- **Contactable**: of them, the people with a standing consent to be contacted by
  phone, text, email or post on the as-of date (the consent rule of
  `hiw_tui.db.privacy.consent.consent_stands`, in SQL: per person and way, the row of
  the latest day on or before it, of one day the newest recorded), and the households
  with at least one such member.
- **Asked to be contacted again**: the people of households whose latest contact in
  the period set a re-contact frequency (daily, weekly, fortnightly, monthly), by that
  frequency: the one that stands, as My week's contact due reads it.

Each figure is one grouped query over the contacts, members and consents.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import case, distinct, func, or_
from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from hiw_tui.db.casework.models import Consent, Contact
from hiw_tui.db.core.models import Household, Person, UserPublic
from hiw_tui.domain.casework_reports import Reach, WelfareFigures
from hiw_tui.domain.codes import CONTACT_WAYS, Recontact
from hiw_tui.domain.counting import Period
from hiw_tui.reports.queries.programme import report_audit
from hiw_tui.reports.queries.scoped import households_in_scope, within


def _latest_contacts(scoped: list[Any], period: Period) -> Any:
    """Per household contacted in the period, the re-contact its latest contact set."""
    newest = (
        func.row_number()
        .over(
            partition_by=col(Contact.household_id),
            order_by=(col(Contact.contacted_on).desc(), col(Contact.id).desc()),
        )
        .label("newest")
    )
    ranked = (
        sa_select(col(Contact.household_id).label("household_id"), col(Contact.recontact), newest)
        .join(Household, col(Household.id) == col(Contact.household_id))
        .where(*scoped, within(col(Contact.contacted_on), period))
        .subquery("ranked")
    )
    return (
        sa_select(ranked.c.household_id, ranked.c.recontact)
        .where(ranked.c.newest == 1)
        .cte("latest")
        # computed once, though read twice (its households' consents are looked up)
        .prefix_with("MATERIALIZED")
    )


def _contactable(period: Period, households: Any) -> Any:
    """The ids of the people of `households` (a subquery of ids) with a standing consent
    to be contacted some way."""
    newest = (
        func.row_number()
        .over(
            partition_by=(col(Consent.person_id), col(Consent.purpose)),
            order_by=(col(Consent.on).desc(), col(Consent.id).desc()),
        )
        .label("newest")
    )
    standing = (
        sa_select(col(Consent.person_id).label("person_id"), col(Consent.given), newest)
        .where(
            col(Consent.household_id).in_(households),
            col(Consent.purpose).in_([way.value for way in CONTACT_WAYS]),
            col(Consent.on) <= period.as_of,
        )
        .subquery("standing")
    )
    return (
        sa_select(standing.c.person_id)
        .where(standing.c.newest == 1, standing.c.given)
        .group_by(standing.c.person_id)
        .cte("contactable")
        .prefix_with("MATERIALIZED")
    )


def welfare_checks(
    session: Session, *, actor: UserPublic, period: Period, audited: bool = False
) -> WelfareFigures:
    latest = _latest_contacts(households_in_scope(session, actor, period), period)
    contactable = _contactable(period, sa_select(latest.c.household_id))
    reachable = contactable.c.person_id.is_not(None)
    rows = session.execute(
        sa_select(
            latest.c.recontact,
            func.count(distinct(latest.c.household_id)),
            func.count(col(Person.id)),
            func.sum(case((reachable, 1), else_=0)),
            func.count(distinct(case((reachable, latest.c.household_id)))),
        )
        .select_from(latest)
        .outerjoin(
            Person,
            (col(Person.household_id) == latest.c.household_id)
            & or_(col(Person.left_on).is_(None), col(Person.left_on) > period.as_of),
        )
        .outerjoin(contactable, contactable.c.person_id == col(Person.id))
        .group_by(latest.c.recontact)
    )
    contacted = [0, 0]
    reached = [0, 0]
    by_frequency: dict[str, Reach] = {}
    for recontact, households, people, people_reached, households_reached in rows:
        contacted[0] += int(people)
        contacted[1] += int(households)
        reached[0] += int(people_reached or 0)
        reached[1] += int(households_reached)
        if recontact != Recontact.NONE.value:
            by_frequency[recontact] = Reach(int(people), int(households))
    frequencies = {
        code.value: by_frequency.get(code.value, Reach())
        for code in Recontact
        if code is not Recontact.NONE
    }
    figures = WelfareFigures(
        contacted=Reach(*contacted),
        contactable=Reach(*reached),
        asked_again=Reach(
            sum(reach.people for reach in frequencies.values()),
            sum(reach.households for reach in frequencies.values()),
        ),
        by_frequency=frequencies,
    )
    report_audit(session, actor, "welfare_report", period, audited)
    return figures
