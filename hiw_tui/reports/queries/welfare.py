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

One grouped query over the households' latest contacts and their members, with
whether each may be contacted as each member keeps it (`hiw_tui.db.privacy.contactable`,
read from the consents only for a date before their latest); run for each of two parts
of the households side by side.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from sqlalchemy import case, distinct, func, or_
from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from hiw_tui.db.casework.models import Contact
from hiw_tui.db.core.models import Household, Person, UserPublic
from hiw_tui.db.core.side_by_side import side_by_side
from hiw_tui.db.privacy.contactable import contactable_on
from hiw_tui.domain.casework_reports import Reach, WelfareFigures
from hiw_tui.domain.codes import Recontact
from hiw_tui.domain.counting import Period
from hiw_tui.reports.queries.programme import report_audit
from hiw_tui.reports.queries.scoped import households_in_scope, within


def _latest_contacts(scoped: list[Any], period: Period) -> Any:
    """Per household in scope, the re-contact its latest contact in the period set (NULL
    with none): one step down the (household, date) index per household, rather than
    ranking every contact."""
    recontact = (
        sa_select(col(Contact.recontact))
        .where(
            col(Contact.household_id) == col(Household.id),
            within(col(Contact.contacted_on), period),
        )
        .order_by(col(Contact.contacted_on).desc(), col(Contact.id).desc())
        .limit(1)
        .correlate(Household)
        .scalar_subquery()
    )
    # Materialised, so the look-up runs once per household (not again for its filter).
    return (
        sa_select(col(Household.id).label("household_id"), recontact.label("recontact"))
        .where(*scoped)
        .cte("latest")
        .prefix_with("MATERIALIZED")
    )


PARTS = 2
"""The households are counted in this many parts, side by side (`side_by_side`): each
part's households are its own, so its counts add to the others'."""


def _counts(session: Session, scoped: list[Any], period: Period, part: int) -> list[Any]:
    """Per re-contact frequency set (the latest contact's), the part's contacted
    households and people, and of them those reachable: a row each."""
    in_part = [*scoped, col(Household.id) % PARTS == part]
    latest = _latest_contacts(in_part, period)
    members = (
        sa_select(
            latest.c.recontact,
            latest.c.household_id,
            col(Person.id).label("person_id"),
            case((contactable_on(period.as_of), 1), else_=0).label("reachable"),
        )
        .select_from(latest)
        .outerjoin(
            Person,
            (col(Person.household_id) == latest.c.household_id)
            & or_(col(Person.left_on).is_(None), col(Person.left_on) > period.as_of),
        )
        .where(latest.c.recontact.is_not(None))  # NULL: no contact in the period
        # Materialised, so each member's consent is asked once, not once per sum.
        .cte("members")
        .prefix_with("MATERIALIZED")
    )
    reachable = members.c.reachable == 1
    return list(
        session.execute(
            sa_select(
                members.c.recontact,
                func.count(distinct(members.c.household_id)),
                func.count(members.c.person_id),
                func.sum(case((reachable, 1), else_=0)),
                func.count(distinct(case((reachable, members.c.household_id)))),
            ).group_by(members.c.recontact)
        )
    )


def welfare_checks(
    session: Session, *, actor: UserPublic, period: Period, audited: bool = False
) -> WelfareFigures:
    """Counted in `PARTS` parts side by side: asking each member's consent took 1.2-1.4 s
    at 100,000 households in one."""
    scoped = households_in_scope(session, actor, period)
    parts = side_by_side(
        session,
        [partial(_counts, scoped=scoped, period=period, part=part) for part in range(PARTS)],
    )
    rows = [row for part in parts for row in part]
    contacted = [0, 0]
    reached = [0, 0]
    by_frequency: dict[str, Reach] = {}
    for recontact, households, people, people_reached, households_reached in rows:
        contacted[0] += int(people)
        contacted[1] += int(households)
        reached[0] += int(people_reached or 0)
        reached[1] += int(households_reached)
        if recontact != Recontact.NONE.value:
            was = by_frequency.get(recontact, Reach())
            by_frequency[recontact] = Reach(
                was.people + int(people), was.households + int(households)
            )
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
