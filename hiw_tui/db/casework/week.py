"""An advocate's week: what falls due across the caseload, overdue first, by date.

Five kinds of item: open plan steps due, Star readings due, contacts due (a welfare
check's re-contact, while the household takes part; or a phased exit's check-in), and
households near the end of their
support (12 months, or 12 weeks for a short-term case); and for a supervisor or
programme manager, households whose advocate can no longer sign in (a leaver), due since
the day the advocate was deactivated, until moved. An advocate sees their own
caseload; a supervisor or programme manager the households in their scope. Each kind is
read with its own bounded query, so a large scope never loads everything.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import and_, exists
from sqlmodel import Session, col, or_, select

from hiw_tui.db.access.caseloads import awaiting_move
from hiw_tui.db.casework.models import Contact, ExitCheckin, Step
from hiw_tui.db.core.models import Household, Person, ReadModel, User, UserPublic
from hiw_tui.db.core.scope import household_scope
from hiw_tui.domain.access import Permission
from hiw_tui.domain.casework import NEAR_END, SUPPORT_MONTHS, WEEK_AHEAD, add_months, support_ends
from hiw_tui.domain.codes import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    OPEN_STEPS,
    HouseholdStatus,
    UserRole,
)
from hiw_tui.domain.outcomes import SHORT_TERM, short_term_ends
from hiw_tui.domain.star import household_due

PER_KIND = 200
"""Most items of one kind shown; the screen says when a list was cut short."""


class WeekItem(ReadModel):
    due_on: date
    kind: str
    """step, reading, contact, checkin, support_end, short_term or move."""
    household_id: int
    reference: str
    primary_name: str
    what: str
    person_id: int | None = None
    item_id: int | None = None
    advocate_id: int | None = None
    advocate_name: str = ""
    """The household's advocate, named for a supervisor or programme manager (whose week
    spans several caseloads); empty for an advocate, whose week is their own."""


def steps_due(by: date) -> list[Any]:
    """The rule for an action-plan step falling due, as conditions on `Step` joined to its
    `Household`: planned or in progress, due on or before `by`, in a household still
    taking part (not exited or withdrawn). A step is *overdue* when it fell due before
    today: `steps_due(today - 1 day)` (`overdue_steps`). My week and the caseload report
    both count by it."""
    return [
        col(Household.status).not_in([s.value for s in CLOSED_STATUSES]),
        col(Step.status).in_([s.value for s in OPEN_STEPS]),
        col(Step.due_on) <= by,
    ]


def overdue_steps(today: date) -> list[Any]:
    """Open steps due before `today` (see `steps_due`)."""
    return steps_due(today - timedelta(days=1))


def readings_due(by: date, weeks: int) -> list[Any]:
    """The rule for a household falling due a Star reading on or before `by`, as
    conditions on `Household`: `hiw_tui.domain.star.household_due` in SQL (taking part,
    with members, and `weeks` since the earliest of its members' latest final readings,
    or on its start date while a member has none). My week and the caseload report
    both count by it."""
    return [
        col(Household.status).in_([s.value for s in OPEN_STATUSES]),
        col(Household.member_count) > 0,
        or_(
            col(Household.star_scored_through) <= by - timedelta(weeks=weeks),
            and_(
                col(Household.star_scored_through).is_(None),
                col(Household.start_date) <= by,
            ),
        ),
    ]


def _caseload(actor: UserPublic) -> list[Any]:
    conditions = [household_scope(actor)]
    if actor.role is UserRole.ADVOCATE:
        conditions.append(col(Household.advocate_id) == actor.id)
    return conditions


def _item(household: Household, **values: Any) -> WeekItem:
    return WeekItem(
        household_id=household.id or 0,
        reference=household.reference,
        primary_name=household.primary_name,
        advocate_id=household.advocate_id,
        **values,
    )


def _name_advocates(session: Session, items: list[WeekItem]) -> list[WeekItem]:
    """`items`, each with its advocate's name, read once for all of them."""
    ids = {item.advocate_id for item in items if item.advocate_id is not None}
    if not ids:
        return items
    rows = session.exec(select(User.id, User.display_name).where(col(User.id).in_(ids)))
    names = {user_id: name for user_id, name in rows}
    return [
        item.model_copy(update={"advocate_name": names.get(item.advocate_id or 0, "")})
        for item in items
    ]


def _due_members(
    session: Session, household_ids: list[int], scored_before: date
) -> dict[int, list[str]]:
    """The given names of the current members due a reading, by household: no final
    reading yet, or the latest on or before `scored_before`."""
    names: dict[int, list[str]] = {}
    if not household_ids:
        return names
    rows = session.exec(
        select(Person.household_id, Person.given_name)
        .where(
            col(Person.household_id).in_(household_ids),
            col(Person.left_on).is_(None),
            or_(col(Person.star_latest_on).is_(None), col(Person.star_latest_on) <= scored_before),
        )
        .order_by(col(Person.household_id), col(Person.id))
    )
    for household_id, given in rows:
        names.setdefault(household_id, []).append(given)
    return names


def my_week(
    session: Session, *, actor: UserPublic, today: date, reading_due_weeks: int
) -> list[WeekItem]:
    """Everything due by a week from `today` (and everything overdue), earliest first;
    the 12 months of support ending, `NEAR_END` ahead (time to plan the exit)."""
    horizon = today + WEEK_AHEAD
    caseload = _caseload(actor)
    items: list[WeekItem] = []

    steps = session.exec(
        select(Step, Household, Person.given_name)
        .join(Household, col(Household.id) == col(Step.household_id))
        .outerjoin(Person, col(Person.id) == col(Step.person_id))
        .where(*caseload, *steps_due(horizon))
        .order_by(col(Step.due_on))
        .limit(PER_KIND)
    )
    for step, household, given in steps:
        who = given or "household"
        items.append(
            _item(
                household,
                due_on=step.due_on,
                kind="step",
                # What it is first: My week's column has room for a few words of it.
                what=f"{step.description} ({who})",
                person_id=step.person_id,
                item_id=step.id,
            )
        )

    scored_before = horizon - timedelta(weeks=reading_due_weeks)
    reading_rows = session.exec(
        select(Household)
        .where(*caseload, *readings_due(horizon, reading_due_weeks))
        .order_by(col(Household.star_scored_through).nulls_first())
        .limit(PER_KIND)
    )
    readings = list(reading_rows)
    due_members = _due_members(session, [h.id or 0 for h in readings], scored_before)
    for household in readings:
        due = household_due(
            status=household.status,
            members=household.member_count,
            scored_through=household.star_scored_through,
            start=household.start_date,
            weeks=reading_due_weeks,
        )
        if due is not None:  # as `readings_due` says: due by the horizon
            who = ", ".join(due_members.get(household.id or 0, []))
            what = f"Due: {who}" if who else "Star reading due"  # the kind says "Reading"
            items.append(_item(household, due_on=due, kind="reading", what=what))

    contacts = session.exec(
        select(Household)
        .where(
            *caseload,
            col(Household.next_contact_on) <= horizon,
            # A welfare check ends with the household's time on the programme (an exit
            # has check-ins of its own).
            col(Household.status).not_in([s.value for s in CLOSED_STATUSES]),
        )
        .order_by(col(Household.next_contact_on))
        .limit(PER_KIND)
    )
    for household in contacts:
        assert household.next_contact_on is not None
        items.append(
            _item(
                household,
                due_on=household.next_contact_on,
                kind="contact",
                what="Contact due (welfare check)",
            )
        )

    contacted_since = exists().where(
        col(Contact.household_id) == col(ExitCheckin.household_id),
        col(Contact.contacted_on) >= col(ExitCheckin.due_on),
    )
    checkins = session.exec(
        select(ExitCheckin, Household)
        .join(Household, col(Household.id) == col(ExitCheckin.household_id))
        .where(*caseload, col(ExitCheckin.due_on) <= horizon, ~contacted_since)
        .order_by(col(ExitCheckin.due_on))
        .limit(PER_KIND)
    )
    for checkin, household in checkins:
        items.append(
            _item(
                household,
                due_on=checkin.due_on,
                kind="checkin",
                what="Check-in after exit",
                item_id=checkin.id,
            )
        )

    # Support running out: 12 months for a full case, 12 weeks for a short-term one.
    endings = (
        (
            HouseholdStatus.ACTIVE,
            add_months(today + NEAR_END, -SUPPORT_MONTHS),
            support_ends,
            "support_end",
            "12 months of support end: plan the exit",
        ),
        (
            HouseholdStatus.SHORT_TERM,
            horizon - SHORT_TERM,
            short_term_ends,
            "short_term",
            "12 weeks of short-term support end: convert or exit",
        ),
    )
    for status, started_by, ends, kind, what in endings:
        ending = session.exec(
            select(Household)
            .where(
                *caseload,
                col(Household.status) == status.value,
                col(Household.start_date) <= started_by,
            )
            .order_by(col(Household.start_date))
            .limit(PER_KIND)
        )
        items += [
            _item(household, due_on=ends(household.start_date), kind=kind, what=what)
            for household in ending
            if household.start_date is not None  # as the query says: it has started
        ]
    if actor.can(Permission.OVERSEE):
        items = _name_advocates(session, items + _to_move(session, caseload, today))
    return sorted(items, key=lambda item: (item.due_on, item.reference, item.kind))


def _to_move(session: Session, caseload: list[Any], today: date) -> list[WeekItem]:
    """Households whose advocate can no longer sign in, due since they were deactivated
    (or today, for an advocate only locked), until moved."""
    waiting = session.exec(
        select(Household, User.display_name, User.deactivated_at)
        .join(User, col(User.id) == col(Household.advocate_id))
        .where(*caseload, *awaiting_move())
        .order_by(col(User.deactivated_at), col(Household.reference))
        .limit(PER_KIND)
    )
    return [
        _item(
            household,
            due_on=since.date() if since else today,
            kind="move",
            what=f"{name} {'left' if since else 'is locked'}",
        )
        for household, name, since in waiting
    ]
