"""The timeline's events of the case itself: registration, members joining and leaving,
Star readings with their change, plan agreements, step changes and referrals.

A plan keeps only the day it was last agreed, and a step or a referral only its latest
status and that status's day: the audit trail holds each agreement and each change of
status, and the rows' own dates fill in what the trail lacks (an imported step, a demo
referral). An event both tell of (the same status on the same day) is told once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from sqlmodel import Session, col, select

from hiw_tui.db.casework.models import Goal, Partner, Plan, Referral, Step
from hiw_tui.db.casework.timeline_models import (
    Context,
    TimelineEvent,
    TimelineKind,
    day_of,
    label,
    status_days,
)
from hiw_tui.db.core.models import Person, ReadingPublic
from hiw_tui.db.privacy.visibility import shown_reading
from hiw_tui.db.readings.scores import load_readings
from hiw_tui.domain.codes import (
    CompletedBy,
    HouseholdStatus,
    MemberRole,
    ReadingStatus,
    ReferralRoute,
    ReferralStatus,
    StepStatus,
)
from hiw_tui.domain.dates import local_day
from hiw_tui.domain.framework import Framework
from hiw_tui.domain.star import score_change


def household_events(context: Context) -> list[TimelineEvent]:
    """The referral received, support starting, and a short-term case registered in full."""
    household = context.household
    converted = [
        change
        for change in context.changes_of("household", household.id)
        if change.action == "convert" or change.changes.get("status") == ["short_term", "active"]
    ]
    events = []
    route = label(ReferralRoute, household.referral_route)
    if household.referred_on is not None:
        events.append(_household(household.referred_on, f"Referral received: {route}"))
    if household.start_date is not None:
        short = household.status == HouseholdStatus.SHORT_TERM.value or bool(converted)
        started = "Short-term support started (12 weeks)" if short else "Support started"
        before = household.previous_programmes or "none recorded"
        events.append(_household(household.start_date, started, f"Before HiW: {before}"))
    if household.referred_on is None and household.start_date is None:
        registered = f"Registered ({route}), not yet started"
        events.append(_household(local_day(household.created_at), registered))
    events += [_household(change.on, "Registered in full (was short term)") for change in converted]
    return events


def _household(on: date, what: str, detail: str = "") -> TimelineEvent:
    return TimelineEvent(on=on, kind=TimelineKind.CASE, what=what, detail=detail)


def member_events(context: Context, people: Sequence[Person]) -> list[TimelineEvent]:
    """Each member joining, and leaving. No row keeps the day someone joined: a member
    added after the day the household was registered joined on the day they were added
    (both days the audit trail's); one registered with it (or imported, or in the demo)
    joined when its support started (or, before that, when it was referred)."""
    household = context.household
    created = [c.on for c in context.changes_of("household", household.id) if c.action == "create"]
    registered = created[0] if created else local_day(household.created_at)
    first_day = household.start_date or household.referred_on or registered
    events = []
    for person in people:
        name = context.name(person.id)
        added = next(
            (c.on for c in context.changes_of("person", person.id) if c.action == "create"), None
        )
        later = added if added is not None and added > registered else None
        role = label(MemberRole, person.role).lower()
        events.append(
            TimelineEvent(
                on=later or first_day,
                kind=TimelineKind.MEMBER,
                what=f"Joined: {name} ({role})",
                detail="Added to the household" if later else "Registered with the household",
                person_id=person.id,
            )
        )
        if person.left_on is not None:
            events.append(
                TimelineEvent(
                    on=person.left_on,
                    kind=TimelineKind.MEMBER,
                    what=f"Left: {name}",
                    person_id=person.id,
                )
            )
    return events


def reading_events(
    session: Session, context: Context, person_ids: Iterable[int]
) -> list[TimelineEvent]:
    """Each Star reading, a final one with its change since the person's previous final
    reading under the same framework; the areas the reader may not see are left out."""
    events = []
    for readings in load_readings(session, person_ids).values():
        previous: dict[str, ReadingPublic] = {}
        for stored in readings:
            reading = shown_reading(stored, context.seen)
            events.append(_reading(context.framework, reading, previous.get(reading.framework_id)))
            if reading.status is ReadingStatus.FINAL:
                previous[reading.framework_id] = reading
    return events


def _score(score: int | None) -> str:
    return "n/s" if score is None else str(score)


def _moved(name: str, before: int | None, after: int | None) -> str:
    """ "Skills 2→4 (+2)"; "n/s" for an area not scored."""
    change = score_change(before, after)
    mark = "" if change is None else f" ({change:+d})" if change else " (=)"
    return f"{name} {_score(before)}→{_score(after)}{mark}"


def _areas(framework: Framework, *scores: Mapping[str, int | None]) -> list[str]:
    """The areas of `scores`, in the framework's order (others, from an earlier
    framework, after them)."""
    held = {area for values in scores for area in values}
    return [area for area in framework.codes if area in held] + sorted(held - set(framework.codes))


def _reading(
    framework: Framework, reading: ReadingPublic, previous: ReadingPublic | None
) -> TimelineEvent:
    """ "First reading: Skills 2, Home 3, ...", "Reading: Skills 2→4 (+2), ..." (the
    areas that moved since the previous one), or "Draft reading: 5 areas scored so far"."""
    scores = reading.scores

    def name(area: str) -> str:
        return framework.name_of(area, short=True)

    def listed(areas: Iterable[str]) -> str:
        return ", ".join(f"{name(area)} {_score(scores[area])}" for area in areas)

    detail = []
    if reading.status is ReadingStatus.DRAFT:
        scored = sum(score is not None for score in scores.values())
        what = f"Draft reading: {scored} area{'s' * (scored != 1)} scored so far"
        detail.append(listed(_areas(framework, scores)))
    elif previous is None:
        what = f"First reading: {listed(_areas(framework, scores))}"
    else:
        before = previous.scores
        areas = _areas(framework, before, scores)
        moved = [area for area in areas if before.get(area) != scores.get(area)]
        changes = ", ".join(_moved(name(a), before.get(a), scores.get(a)) for a in moved)
        what = f"Reading: {changes or 'no change'}"
        detail.append(f"Since {previous.taken_on.isoformat()}")
        same = [area for area in areas if area not in moved and area in scores]
        if same and moved:
            detail.append(f"unchanged: {listed(same)}")
    together = reading.completed_by == CompletedBy.TOGETHER
    by = "together" if together else f"by {label(CompletedBy, reading.completed_by).lower()}"
    detail.append(f"{'c' if detail else 'C'}ompleted {by}")
    return TimelineEvent(
        on=reading.taken_on,
        kind=TimelineKind.READING,
        what=what,
        detail="; ".join(part for part in detail if part),
        person_id=reading.person_id,
        item_id=reading.id,
    )


def _once(days: Iterable[tuple[str, date]]) -> list[tuple[str, date]]:
    """Each (status, day) once, in the order first told."""
    return list(dict.fromkeys(days))


def plan_events(session: Session, context: Context) -> list[TimelineEvent]:
    """Each plan's agreements, and each step's changes of status."""
    events = []
    plans = session.exec(select(Plan).where(Plan.household_id == context.household_id)).all()
    for plan in sorted(plans, key=lambda plan: plan.id or 0):
        days = {
            day_of(change.new("agreed_on")) or change.on
            for change in context.changes_of("plan", plan.id)
            if change.action == "agree"
        }
        if plan.agreed_on is not None:
            days.add(plan.agreed_on)
        owner = context.name(plan.person_id)
        events += [
            TimelineEvent(
                on=day,
                kind=TimelineKind.PLAN,
                what="Plan agreed" if plan.person_id else "Household plan agreed",
                detail=f"The plan of {owner}, as it stood, agreed with them",
                person_id=plan.person_id,
                item_id=plan.id,
            )
            for day in sorted(days)
        ]
    steps = session.exec(
        select(Step, Goal.area, Goal.description)
        .join(Goal, col(Goal.id) == col(Step.goal_id))
        .where(Step.household_id == context.household_id)
        .order_by(col(Step.id))
    )
    for step, area, goal in steps:
        told = [*status_days(context.changes_of("step", step.id)), (step.status, step.status_on)]
        due = f"; due {step.due_on.isoformat()}" if step.due_on else ""
        events += [
            TimelineEvent(
                on=day,
                kind=TimelineKind.STEP,
                what=f"Step {label(StepStatus, status).lower()}: {step.description}",
                detail=f"Goal ({context.framework.name_of(area)}): {goal}{due}",
                person_id=step.person_id,
                item_id=step.id,
            )
            for status, day in _once(told)
        ]
    return events


def referral_events(session: Session, context: Context) -> list[TimelineEvent]:
    """Each referral made, and each change of its status."""
    events = []
    rows = session.exec(
        select(Referral, Partner.name)
        .join(Partner, col(Partner.id) == col(Referral.partner_id))
        .where(Referral.household_id == context.household_id)
        .order_by(col(Referral.id))
    )
    for referral, partner in rows:
        told = _once(
            [
                (ReferralStatus.MADE.value, referral.made_on),
                *status_days(context.changes_of("referral", referral.id)),
                (referral.status, referral.status_on),
            ]
        )
        events += [
            TimelineEvent(
                on=day,
                kind=TimelineKind.REFERRAL,
                what=f"Referral to {partner}: {label(ReferralStatus, status).lower()}"
                + (" (onward)" if referral.onward and status == ReferralStatus.MADE else ""),
                detail=_referral_detail(context, referral),
                person_id=referral.person_id,
                item_id=referral.id,
            )
            for status, day in told
        ]
    return events


def _referral_detail(context: Context, referral: Referral) -> str:
    detail = (
        f"For {context.name(referral.person_id)}; purpose: {referral.purpose or '—'}; "
        f"outcome: {referral.outcome_note or '—'}"
    )
    if referral.consent_override:
        detail += f"; shared without consent: {referral.consent_override}"
    return detail
