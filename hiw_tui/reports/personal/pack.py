"""The hand-over pack: one member's Star readings compared and their plan, in plain
words, for the household to keep.

What it holds, for the member it is made for and nobody else:
- their final Star readings compared: the first, the one before the latest and the
  latest (made under one framework; drafts are left out), each area as bars with its
  figures, what the latest score means in that area (the framework's own words) and the
  change since the first;
- their own plan: its goals and the steps under each, with who does it, by when and
  where it stands (steps dropped from the plan are left out), and whether they agreed it
  as it stands.

It never holds notes (the readings' or anyone's), contact details, support needs, or
anything of another member: the household's shared plan may speak of them, so it is
not included. Making one is case work (`Permission.EDIT`), so an auditor cannot; the
readings are read through `hiw_tui.db.privacy.visibility` like every other path.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date

from sqlmodel import Session

from hiw_tui.db.casework.models import PlanPublic, StepPublic
from hiw_tui.db.casework.plans import household_plans
from hiw_tui.db.core.errors import NotFound
from hiw_tui.db.core.models import Person, ReadingPublic, User, UserPublic
from hiw_tui.db.core.scope import require
from hiw_tui.db.households.households import household_in_scope
from hiw_tui.db.privacy.visibility import household_sight, shown_reading
from hiw_tui.db.readings.scores import load_readings
from hiw_tui.domain.access import Permission
from hiw_tui.domain.codes import StepOwner, StepStatus
from hiw_tui.domain.dates import plain_date
from hiw_tui.domain.document import INDENT, Bar, Bars, Block, Document, Heading, Section
from hiw_tui.domain.framework import Framework
from hiw_tui.domain.sensitive import hidden_areas
from hiw_tui.domain.star import score_change


def handover_pack(
    session: Session, *, actor: UserPublic, person_id: int, framework: Framework, today: date
) -> Document:
    """The pack for one current member of a household in `actor`'s scope."""
    require(actor, Permission.EDIT, "make a hand-over pack")
    person = session.get(Person, person_id)
    if person is None or person.left_on is not None or person.erased_on is not None:
        raise NotFound("That person is not a current member of a household you can see.")
    household = household_in_scope(session, actor, person.household_id, lock=False)
    seen = household_sight(actor, household)
    readings = [
        shown_reading(reading, seen)
        for reading in load_readings(session, [person_id], final_only=True).get(person_id, [])
    ]
    plans = household_plans(session, actor=actor, household_id=household.id or 0, audited=False)
    plan = next((plan for plan in plans if plan.person_id == person_id), None)
    advocate = session.get(User, household.advocate_id)
    advocate_name = advocate.display_name if advocate else "your advocate"
    name = f"{person.given_name} {person.family_name}"
    return Document(
        f"{name}: your progress and your plan",
        (
            f"Made on {plain_date(today)} by {actor.display_name}.",
            f"Your employment advocate: {advocate_name}. Households into Work.",
        ),
        (
            Section(
                "How you are doing",
                tuple(_progress(readings, framework, sorted(hidden_areas(seen)))),
            ),
            Section("Your plan", tuple(_plan(plan, framework, advocate_name))),
        ),
    )


def compared(readings: Sequence[ReadingPublic]) -> list[ReadingPublic]:
    """The readings the pack compares, oldest first: the first, the one before the latest
    and the latest, among those made under the latest one's framework."""
    if not readings:
        return []
    same = [r for r in readings if r.framework_id == readings[-1].framework_id]
    chosen = {r.id: r for r in (same[0], *same[-2:])}
    return list(chosen.values())


def _progress(
    readings: Sequence[ReadingPublic], framework: Framework, hidden: list[str]
) -> Iterator[Block]:
    shown = compared(readings)
    if not shown:
        yield "No Star readings yet: your advocate will go through one with you."
        return
    first, latest = shown[0], shown[-1]
    scale = ", ".join(f"{point.score} {point.label}" for point in framework.scale)
    *earlier, last = [plain_date(reading.taken_on) for reading in shown]
    days = f"{', '.join(earlier)} and {last}" if earlier else last
    yield f"Your Star {'readings' if len(shown) > 1 else 'reading'} on {days}."
    yield f"Each area is scored from 1 to 5: {scale}."
    if hidden:
        names = ", ".join(framework.name_of(code) for code in hidden)
        yield f"Left out of this pack: {names}."
    words = latest.framework_id == framework.id  # the meanings are of this framework
    for area in framework.areas:
        if area.code in hidden:
            continue
        yield Heading(area.name)
        yield Bars(tuple(Bar(plain_date(r.taken_on), r.scores.get(area.code)) for r in shown))
        score = latest.scores.get(area.code)
        if score is None:
            yield "Not scored at your latest reading."
        elif words:
            yield f"Now {score} of 5 ({framework.label(score)}): {area.meaning(score)}"
        else:
            yield f"Now {score} of 5."
        change = score_change(first.scores.get(area.code), score)
        if len(shown) > 1 and change is not None:
            yield _change_words(change, first.taken_on)


def _change_words(change: int, since: date) -> str:
    if change == 0:
        return f"The same as on {plain_date(since)}."
    points = "point" if abs(change) == 1 else "points"
    way = "Up" if change > 0 else "Down"
    return f"{way} {abs(change)} {points} since {plain_date(since)}."


def _plan(plan: PlanPublic | None, framework: Framework, advocate_name: str) -> Iterator[Block]:
    if plan is None or not plan.goals:
        yield "No plan written down yet: your advocate will go through one with you."
        return
    if plan.agreed_on is None:
        yield "This plan has not been agreed yet: go through it with your advocate."
    elif plan.needs_agreeing:
        changed = f" (on {plain_date(plan.changed_on)})" if plan.changed_on else ""
        yield (
            f"You agreed a plan on {plain_date(plan.agreed_on)}. It has changed since"
            f"{changed}: go through the changes with your advocate."
        )
    else:
        yield f"You agreed this plan on {plain_date(plan.agreed_on)}."
    for goal in plan.goals:
        yield Heading(f"Goal: {goal.description}")
        yield f"Star area: {framework.name_of(goal.area)}"
        steps = [step for step in goal.steps if step.status != StepStatus.DROPPED]
        if not steps:
            yield "No steps yet."
        for number, step in enumerate(steps, start=1):
            yield f"{number}. {step.description}"
            yield f"{INDENT}Who: {_owner(step, advocate_name)}"
            yield f"{INDENT}By: {plain_date(step.due_on) if step.due_on else 'no date set'}"
            yield f"{INDENT}Where it stands: {_status(step)}"


def _owner(step: StepPublic, advocate_name: str) -> str:
    if step.owner == StepOwner.HOUSEHOLDER:
        return "you"
    if step.owner == StepOwner.ADVOCATE:
        return f"your advocate, {advocate_name}"
    return step.partner_name or "a partner service"


def _status(step: StepPublic) -> str:
    if step.status == StepStatus.DONE:
        return f"done on {plain_date(step.status_on)}"
    return step.status.label.lower()
