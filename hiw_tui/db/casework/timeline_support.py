"""The timeline's events of the support given: outcomes, contacts, the support budget,
leaving the programme and the check-ins after it. Each row here keeps its own dates,
so these are read from the rows alone.

A contact's note is special category: it is never read here (the contact log shows it
to those who may see it), so the timeline holds no note to hide.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from hiw_tui.db.casework.models import Contact, ExitCheckin, Outcome
from hiw_tui.db.casework.timeline_models import (
    Context,
    TimelineEvent,
    TimelineKind,
    label,
)
from hiw_tui.db.core.models import User
from hiw_tui.db.ledger.models import BudgetCap, LedgerDecision, LedgerEntry
from hiw_tui.domain.codes import (
    BudgetCategory,
    ContactMode,
    Destination,
    EntryKind,
    ExitReason,
    HouseholdStatus,
    OutcomeKind,
    Recontact,
)
from hiw_tui.domain.dates import local_day
from hiw_tui.domain.money import pounds


def outcome_events(session: Session, context: Context) -> list[TimelineEvent]:
    """Each outcome starting, and ending."""
    events = []
    rows = session.exec(
        select(Outcome)
        .where(Outcome.household_id == context.household_id)
        .order_by(col(Outcome.id))
    )
    for outcome in rows:
        kind = label(OutcomeKind, outcome.kind)
        hours = {
            OutcomeKind.JOB.value: f", {outcome.hours:g} hours a week",
            OutcomeKind.COURSE.value: f", {outcome.hours:g} hours",
        }.get(outcome.kind, "")
        days = [(outcome.start_on, f"{kind} started: {outcome.organisation}{hours}")]
        if outcome.end_on is not None:
            ended = "completed" if outcome.completed else "ended"
            days.append((outcome.end_on, f"{kind} {ended}: {outcome.organisation}"))
        events += [
            TimelineEvent(
                on=on,
                kind=TimelineKind.OUTCOME,
                what=what,
                detail=outcome.description,
                person_id=outcome.person_id,
                item_id=outcome.id,
            )
            for on, what in days
        ]
    return events


def contact_events(session: Session, context: Context) -> list[TimelineEvent]:
    """Each contact logged (without its note), and each check-in after a phased exit,
    done once a contact is logged on or after the day it fell due."""
    rows = session.execute(
        sa_select(
            col(Contact.id),
            col(Contact.contacted_on),
            col(Contact.mode),
            col(Contact.purpose),
            col(Contact.participants),
            col(Contact.participant_ids),
            col(Contact.recontact),
            col(User.display_name),
        )
        .join(User, col(User.id) == col(Contact.entered_by))
        .where(col(Contact.household_id) == context.household_id)
        .order_by(col(Contact.contacted_on), col(Contact.id))
    ).all()
    events = []
    for contact_id, on, mode, purpose, others, members, recontact, logged_by in rows:
        again = "" if recontact == Recontact.NONE else f"; again {label(Recontact, recontact)}"
        people = [context.names.get(member, "?") for member in members]
        with_whom = ", ".join([*people, others] if others else people) or "—"
        events.append(
            TimelineEvent(
                on=on,
                kind=TimelineKind.CONTACT,
                what=f"Contact ({label(ContactMode, mode).lower()}): {purpose}",
                detail=f"With: {with_whom}; logged by {logged_by}{again.lower()}",
                person_id=members[0] if len(members) == 1 else None,
                with_ids=tuple(members),
                item_id=contact_id,
            )
        )
    contacted = sorted(on for _, on, *_ in rows)
    checkins = session.exec(
        select(ExitCheckin)
        .where(ExitCheckin.household_id == context.household_id)
        .order_by(col(ExitCheckin.due_on), col(ExitCheckin.id))
    )
    for checkin in checkins:
        done = next((on for on in contacted if on >= checkin.due_on), None)
        state = f"done (contact on {done.isoformat()})" if done else "not done yet"
        events.append(
            TimelineEvent(
                on=checkin.due_on,
                kind=TimelineKind.EXIT,
                what=f"Check-in after exit: {state}",
                detail="A phased exit's check-in: any contact logged on or after it does it",
                item_id=checkin.id,
            )
        )
    return events


def budget_events(session: Session, context: Context) -> list[TimelineEvent]:
    """The budget opening and each cap raised, each spend and reversal, and each
    supervisor's decision on a spend that waited for one."""
    events = []
    caps = session.exec(
        select(BudgetCap)
        .where(BudgetCap.household_id == context.household_id)
        .order_by(col(BudgetCap.id))
    )
    for n, cap in enumerate(caps):
        amount = pounds(cap.cap_pence)
        what = f"Budget opened: {amount}" if n == 0 else f"Budget cap raised to {amount}"
        events.append(_budget(local_day(cap.set_at), what, cap.reason))
    entries = session.exec(
        select(LedgerEntry, LedgerDecision)
        .outerjoin(LedgerDecision, col(LedgerDecision.entry_id) == col(LedgerEntry.id))
        .where(LedgerEntry.household_id == context.household_id)
        .order_by(col(LedgerEntry.id))
    )
    for entry, decision in entries:
        amount = pounds(entry.amount_pence)
        on, person = entry.spent_on, entry.person_id
        if entry.kind == EntryKind.REVERSAL:
            events.append(_budget(on, f"Reversal {amount}: {entry.reason}", "", person, entry.id))
            continue
        waiting = " (waiting for approval)" if entry.needs_approval and decision is None else ""
        what = f"Spend {amount}: {label(BudgetCategory, entry.category)}, {entry.payee}"
        detail = (
            f"{entry.description or 'No description'}; receipt {entry.receipt_ref or '—'}; "
            f"for {context.name(person)}"
        )
        events.append(_budget(on, what + waiting, detail, person, entry.id))
        if decision is not None:
            decided = f"Spend {amount} {decision.decision}: {entry.payee}"
            day = local_day(decision.decided_at)
            events.append(_budget(day, decided, decision.note, person, entry.id))
    return events


def _budget(
    on: date, what: str, detail: str, person_id: int | None = None, item_id: int | None = None
) -> TimelineEvent:
    return TimelineEvent(
        on=on,
        kind=TimelineKind.BUDGET,
        what=what,
        detail=detail,
        person_id=person_id,
        item_id=item_id,
    )


def exit_events(context: Context) -> list[TimelineEvent]:
    """Leaving the programme: exited (with the reason and destination) or withdrawn."""
    household = context.household
    if household.end_date is None:
        return []
    left = {
        HouseholdStatus.EXITED.value: "Exited",
        HouseholdStatus.WITHDRAWN.value: "Withdrawn",
    }.get(household.status, "Support ended")
    reason = label(ExitReason, household.exit_reason)
    destination = label(Destination, household.exit_destination) or "not recorded"
    note = f": {household.exit_note}" if household.exit_note else ""
    return [
        TimelineEvent(
            on=household.end_date,
            kind=TimelineKind.EXIT,
            what=f"{left}: {reason}" if reason else left,
            detail=f"Destination: {destination}{note}",
        )
    ]
