"""Action plans: a plan per member and one for the household, goals set around Star
areas, and ordered steps towards each goal.

Every write locks the household's row before anything else, so writers to one
household's plans queue in one order (no deadlock between two of them), and re-reads
the goal, step or plan it changes once it holds that lock.

Every change is audited against the goal or step it touches (who, when, old and new
values), and also moves the plan on: its version, so a colleague's stale save or
agreement is refused as a conflict, and its `changed_on` date, so a plan changed since
the household agreed it says so. A step's progress (its status) is the exception: it
carries the agreed plan out and leaves the plan as agreed.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import and_, or_
from sqlmodel import Session, SQLModel, col, func, select

from hiw_tui.db.audit import trail
from hiw_tui.db.casework.models import Goal, GoalPublic, Partner, Plan, PlanPublic, Step, StepPublic
from hiw_tui.db.casework.partners import usable_partner
from hiw_tui.db.casework.rows import create_row, open_list, update_row
from hiw_tui.db.core.errors import Conflict, NotFound
from hiw_tui.db.core.models import AuditEvent, AuditPublic, Household, User, UserPublic
from hiw_tui.db.households.households import current_members, household_in_scope
from hiw_tui.domain.case_inputs import GoalInput, StepInput
from hiw_tui.domain.codes import StepStatus

HOUSEHOLD_PLAN = "Household goals"


def household_plans(
    session: Session, *, actor: UserPublic, household_id: int, audited: bool = True
) -> list[PlanPublic]:
    """The household's plan, then each current member's, with goals and steps in order.

    A member without a plan yet gets an empty one (id None). Opening is audited as a view.
    """
    open_list(session, actor, household_id, "plans", audited=audited)
    owners: list[tuple[int | None, str]] = [(None, HOUSEHOLD_PLAN)]
    owners += [
        (p.id, f"{p.given_name} {p.family_name}") for p in current_members(session, household_id)
    ]
    plans = {
        plan.person_id: plan
        for plan in session.exec(select(Plan).where(Plan.household_id == household_id))
    }
    goals = _goals(session, [plan.id or 0 for plan in plans.values()])
    names = _user_names(session, [p.agreed_by for p in plans.values() if p.agreed_by])
    result = []
    for person_id, owner_name in owners:
        plan = plans.get(person_id)
        result.append(
            PlanPublic(
                id=plan.id if plan else None,
                household_id=household_id,
                person_id=person_id,
                owner_name=owner_name,
                agreed_on=plan.agreed_on if plan else None,
                agreed_by_name=names.get(plan.agreed_by or 0) if plan else None,
                agreed_version=plan.agreed_version if plan else None,
                changed_on=plan.changed_on if plan else None,
                version=plan.version if plan else 0,
                goals=tuple(goals.get(plan.id or 0, ())) if plan else (),
            )
        )
    return result


def _user_names(session: Session, ids: list[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.exec(select(User.id, User.display_name).where(col(User.id).in_(ids)))
    return {user_id or 0: name for user_id, name in rows}


def _goals(session: Session, plan_ids: list[int]) -> dict[int, list[GoalPublic]]:
    if not plan_ids:
        return {}
    steps: dict[int, list[StepPublic]] = {}
    rows = session.exec(
        select(Step, Partner.name)
        .join(Goal, col(Goal.id) == col(Step.goal_id))
        .outerjoin(Partner, col(Partner.id) == col(Step.partner_id))
        .where(col(Goal.plan_id).in_(plan_ids))
        .order_by(col(Step.position), col(Step.id))
    )
    for step, partner_name in rows:
        steps.setdefault(step.goal_id, []).append(
            StepPublic.model_validate({**step.model_dump(), "partner_name": partner_name})
        )
    goals: dict[int, list[GoalPublic]] = {}
    for goal in session.exec(
        select(Goal).where(col(Goal.plan_id).in_(plan_ids)).order_by(col(Goal.id))
    ):
        goals.setdefault(goal.plan_id, []).append(
            GoalPublic.model_validate(
                {**goal.model_dump(), "steps": tuple(steps.get(goal.id or 0, ()))}
            )
        )
    return goals


def _plan_for(session: Session, household: Household, person_id: int | None) -> Plan:
    """The plan of `person_id` (None: the household's), created on its first goal."""
    household_id = household.id or 0
    if person_id is not None:
        members = {p.id for p in current_members(session, household_id)}
        if person_id not in members:
            raise NotFound("That person is not a current member of this household.")
    plan = session.exec(
        select(Plan).where(
            Plan.household_id == household_id,
            col(Plan.person_id).is_(None) if person_id is None else Plan.person_id == person_id,
        )
    ).first()
    if plan is None:
        plan = Plan(household_id=household_id, person_id=person_id)
        session.add(plan)
        session.flush()
    return plan


def _moved_on(plan: Plan, today: date) -> None:
    plan.changed_on = today
    plan.version += 1


def _lock_plan(session: Session, actor: UserPublic, plan: Plan, *rows: SQLModel) -> None:
    """Lock the plan's household (in scope), then re-read the plan and `rows` under it."""
    household_in_scope(session, actor, plan.household_id, lock=True)
    for row in (plan, *rows):
        session.refresh(row)


def _plan_of_goal(session: Session, actor: UserPublic, goal_id: int) -> tuple[Plan, Goal]:
    goal = session.get(Goal, goal_id)
    plan = session.get(Plan, goal.plan_id) if goal else None
    if goal is None or plan is None:
        raise NotFound("That goal is no longer in the plan.")
    _lock_plan(session, actor, plan, goal)
    return plan, goal


def add_goal(
    session: Session,
    *,
    actor: UserPublic,
    household_id: int,
    person_id: int | None,
    data: GoalInput,
    today: date,
) -> list[PlanPublic]:
    household = household_in_scope(session, actor, household_id, lock=True)
    plan = _plan_for(session, household, person_id)
    values = data.model_dump()
    goal = Goal(plan_id=plan.id or 0, **values)
    create_row(session, actor, goal, entity="goal", household_id=household_id, values=values)
    _moved_on(plan, today)
    return household_plans(session, actor=actor, household_id=household_id, audited=False)


def update_goal(
    session: Session, *, actor: UserPublic, goal_id: int, version: int, data: GoalInput, today: date
) -> list[PlanPublic]:
    plan, goal = _plan_of_goal(session, actor, goal_id)
    values = data.model_dump()
    if update_row(
        session,
        actor,
        goal,
        entity="goal",
        household_id=plan.household_id,
        version=version,
        values=values,
    ):
        _moved_on(plan, today)
    return household_plans(session, actor=actor, household_id=plan.household_id, audited=False)


PROGRESS = frozenset({"status", "status_on", "done_on"})
"""A step's progress: changing only these is carrying the plan out, not changing it, so
the plan keeps its version and its agreement (the step's own history records it)."""


def _step_values(data: StepInput) -> dict[str, Any]:
    values = data.model_dump()
    values["done_on"] = data.status_on if data.status is StepStatus.DONE else None
    return values


def add_step(
    session: Session, *, actor: UserPublic, goal_id: int, data: StepInput, today: date
) -> list[PlanPublic]:
    plan, _goal = _plan_of_goal(session, actor, goal_id)
    usable_partner(session, data.partner_id, "partner_id")
    last = session.exec(select(func.max(Step.position)).where(Step.goal_id == goal_id)).one()
    values = _step_values(data)
    step = Step(
        goal_id=goal_id,
        household_id=plan.household_id,
        person_id=plan.person_id,
        position=(last or 0) + 1,
        **values,
    )
    create_row(session, actor, step, entity="step", household_id=plan.household_id, values=values)
    _moved_on(plan, today)
    return household_plans(session, actor=actor, household_id=plan.household_id, audited=False)


def _step(session: Session, actor: UserPublic, step_id: int) -> tuple[Plan, Step]:
    step = session.get(Step, step_id)
    if step is None:
        raise NotFound("That step is no longer in the plan.")
    plan, _goal = _plan_of_goal(session, actor, step.goal_id)
    session.refresh(step)
    return plan, step


def update_step(
    session: Session, *, actor: UserPublic, step_id: int, version: int, data: StepInput, today: date
) -> list[PlanPublic]:
    """Save a step opened at `version`; a stale version raises Conflict with both versions."""
    plan, step = _step(session, actor, step_id)
    if data.partner_id != step.partner_id:
        usable_partner(session, data.partner_id, "partner_id")
    values = _step_values(data)
    reworded = any(
        getattr(step, name) != value for name, value in values.items() if name not in PROGRESS
    )
    if (
        update_row(
            session,
            actor,
            step,
            entity="step",
            household_id=plan.household_id,
            version=version,
            values=values,
        )
        and reworded
    ):
        _moved_on(plan, today)
    return household_plans(session, actor=actor, household_id=plan.household_id, audited=False)


def move_step(
    session: Session, *, actor: UserPublic, step_id: int, version: int, offset: int, today: date
) -> list[PlanPublic]:
    """Swap a step with the one above (offset -1) or below (+1) it in its goal."""
    plan, step = _step(session, actor, step_id)
    if step.version != version:
        raise Conflict("step", {"position": step.position}, {"position": "moved"}, step.version)
    siblings = list(
        session.exec(
            select(Step)
            .where(Step.goal_id == step.goal_id)
            .order_by(col(Step.position), col(Step.id))
        )
    )
    index = next(i for i, sibling in enumerate(siblings) if sibling.id == step.id)
    target = index + offset
    if 0 <= target < len(siblings):
        siblings[index], siblings[target] = siblings[target], siblings[index]
        for position, sibling in enumerate(siblings, start=1):
            if sibling.position != position:
                trail.record(
                    session,
                    actor=actor,
                    action="move",
                    entity="step",
                    entity_id=sibling.id or 0,
                    household_id=plan.household_id,
                    changes={"position": [sibling.position, position]},
                )
                sibling.position = position
                sibling.version += 1
        _moved_on(plan, today)
    return household_plans(session, actor=actor, household_id=plan.household_id, audited=False)


def agree_plan(
    session: Session, *, actor: UserPublic, plan_id: int, version: int, today: date
) -> list[PlanPublic]:
    """Record that the person (or household) agreed the plan as it stands at `version`."""
    plan = session.get(Plan, plan_id)
    if plan is None:
        raise NotFound("That plan no longer exists.")
    _lock_plan(session, actor, plan)
    agreed = {"agreed_on": today, "agreed_by": actor.id, "agreed_version": version + 1}
    update_row(
        session,
        actor,
        plan,
        entity="plan",
        household_id=plan.household_id,
        version=version,
        values=agreed,
        action="agree",
    )
    return household_plans(session, actor=actor, household_id=plan.household_id, audited=False)


class HistoryLine(AuditPublic):
    actor_name: str
    partner_names: dict[int, str] = {}
    """The names of the partner services the line's change names (`partner_id`)."""


def plan_history(session: Session, *, actor: UserPublic, plan_id: int) -> list[HistoryLine]:
    """Every change to the plan, its goals and their steps, newest first; reading it is
    audited as a view of the household."""
    plan = session.get(Plan, plan_id)
    if plan is None:
        raise NotFound("That plan no longer exists.")
    household_in_scope(session, actor, plan.household_id, lock=False)
    trail.record(
        session,
        actor=actor,
        action="view",
        entity="plan_history",
        entity_id=plan_id,
        household_id=plan.household_id,
    )
    goal_ids = select(Goal.id).where(Goal.plan_id == plan_id)
    step_ids = select(Step.id).where(col(Step.goal_id).in_(goal_ids))
    rows = session.exec(
        select(AuditEvent, User.display_name)
        .join(User, col(User.id) == col(AuditEvent.actor_id))
        .where(
            AuditEvent.household_id == plan.household_id,
            AuditEvent.action != "view",
            or_(
                and_(col(AuditEvent.entity) == "plan", col(AuditEvent.entity_id) == plan_id),
                and_(col(AuditEvent.entity) == "goal", col(AuditEvent.entity_id).in_(goal_ids)),
                and_(col(AuditEvent.entity) == "step", col(AuditEvent.entity_id).in_(step_ids)),
            ),
        )
        .order_by(col(AuditEvent.id).desc())
        .limit(500)
    )
    events = list(rows)
    named = {
        value
        for event, _name in events
        for value in event.changes.get("partner_id") or ()
        if isinstance(value, int)
    }
    partners: dict[int, str] = {}
    if named:
        statement = select(Partner.id, Partner.name).where(col(Partner.id).in_(named))
        partners = {partner_id or 0: partner for partner_id, partner in session.exec(statement)}
    return [
        HistoryLine.model_validate(
            {
                **event.model_dump(),
                "actor_name": name,
                "partner_names": {
                    value: partners[value]
                    for value in event.changes.get("partner_id") or ()
                    if value in partners
                },
            }
        )
        for event, name in events
    ]
