"""One timeline per household: everything that happened to it, in date order.

Registration, members joining and leaving, Star readings with their change, plan
agreements and step changes, referrals and their statuses, outcomes, contacts, spends
and decisions, leaving the programme and the check-ins after it: each as an event of
one day, in words (`hiw_tui.db.casework.timeline_models`).

It is read from the household's rows, a query or two per kind of row, and from the
household's audit rows in one query where the rows keep only their latest state (see
`timeline_case`). What the reader may see is decided by the one visibility rule: the
Star areas hidden from them are left out of each reading (`shown_reading`) and the
audit rows are read as they may read them (`shown_event`); no contact detail, need,
ethnicity or contact note is read at all.
"""

from __future__ import annotations

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from hiw_tui.db.casework.rows import open_list
from hiw_tui.db.casework.timeline_case import (
    household_events,
    member_events,
    plan_events,
    reading_events,
    referral_events,
)
from hiw_tui.db.casework.timeline_models import (
    KIND_ORDER,
    Change,
    Context,
    Timeline,
    TimelinePerson,
)
from hiw_tui.db.casework.timeline_support import (
    budget_events,
    contact_events,
    exit_events,
    outcome_events,
)
from hiw_tui.db.core.models import AuditEvent, Household, Person, UserPublic
from hiw_tui.db.households.households import household_in_scope
from hiw_tui.db.privacy.visibility import household_sight, shown_event
from hiw_tui.domain.dates import local_day
from hiw_tui.domain.framework import Framework
from hiw_tui.domain.sensitive import hidden_areas

HISTORY: dict[str, frozenset[str]] = {
    "household": frozenset({"create", "convert", "update"}),
    "person": frozenset({"create"}),
    "plan": frozenset({"agree"}),
    "step": frozenset({"create", "update"}),
    "referral": frozenset({"create", "update"}),
}
"""The audit rows the timeline reads: entity -> the actions it reads of it."""


def household_timeline(
    session: Session,
    *,
    actor: UserPublic,
    household_id: int,
    framework: Framework,
    audited: bool = True,
) -> Timeline:
    """Everything that happened to the household, oldest first, as `actor` may see it;
    opening it is audited as a view. `framework` names the Star areas."""
    open_list(session, actor, household_id, "timeline", audited=audited)
    household = household_in_scope(session, actor, household_id, lock=False)
    people = session.exec(
        select(Person).where(Person.household_id == household_id).order_by(col(Person.id))
    ).all()
    names = {
        person.id or 0: f"{person.given_name} {person.family_name}".strip() or "(erased)"
        for person in people
    }
    seen = household_sight(actor, household)
    context = Context(household, names, seen, framework, _history(session, actor, household))
    events = [
        *household_events(context),
        *member_events(context, people),
        *plan_events(session, context),
        *reading_events(session, context, names),
        *referral_events(session, context),
        *outcome_events(session, context),
        *contact_events(session, context),
        *budget_events(session, context),
        *exit_events(context),
    ]
    events.sort(key=lambda event: (event.on, KIND_ORDER[event.kind]))
    hidden = [framework.name_of(area) for area in framework.codes if area in hidden_areas(seen)]
    return Timeline(
        household_id=household_id,
        reference=household.reference,
        people=tuple(
            TimelinePerson(id=person.id or 0, name=names[person.id or 0], left_on=person.left_on)
            for person in people
        ),
        events=tuple(events),
        hidden=f"{' and '.join(hidden)} scores are hidden" if hidden else "",
    )


def _history(
    session: Session, actor: UserPublic, household: Household
) -> dict[tuple[str, int], list[Change]]:
    """The household's audit rows the timeline reads, by (entity, id), oldest first,
    each row's changes as `actor` may read them."""
    rows = session.execute(
        sa_select(
            col(AuditEvent.entity),
            col(AuditEvent.entity_id),
            col(AuditEvent.action),
            col(AuditEvent.at),
            col(AuditEvent.changes),
        )
        .where(
            col(AuditEvent.household_id) == household.id,
            col(AuditEvent.entity).in_(HISTORY),
            col(AuditEvent.action).in_(set().union(*HISTORY.values())),
        )
        .order_by(col(AuditEvent.id))
    )
    history: dict[tuple[str, int], list[Change]] = {}
    for entity, entity_id, action, at, changes in rows:
        if action not in HISTORY[entity]:
            continue
        shown = shown_event(
            actor,
            entity=entity,
            changes=changes,
            safe_contact=household.safe_contact,
            advocate_id=household.advocate_id,
        )
        change = Change(entity, entity_id, action, local_day(at), shown)
        history.setdefault((entity, entity_id), []).append(change)
    return history
