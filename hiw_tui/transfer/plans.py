"""plans.csv and goals.csv: each action plan's agreement, and its goals.

A plan is a person's, or the household's own (person_ref blank); there is at most one
of each, so a plan is named by its household and person. `agreed_current` says whether
the plan is still as it was agreed (no later change waits to be agreed again). A goal
has its own reference (`goal_ref`: a CRM's, or one made here) and steps.csv may name it;
a step that names none goes under its person's first goal in its Star area, made when
there is none, as CRM files have no goals. Without a reference, a goal is found by its
plan, area and description, and identical goals by their position among them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from hiw_tui.db.casework.models import Goal, Plan
from hiw_tui.db.core.models import Household, User, UserPublic
from hiw_tui.db.core.scope import household_scope
from hiw_tui.transfer.chunks import chunks, plain
from hiw_tui.transfer.files import GOALS, PLANS, STAR_AREAS, STEPS
from hiw_tui.transfer.identity import find_refs, paired, ref_of
from hiw_tui.transfer.problems import Problem, RowError
from hiw_tui.transfer.values import date_cell, flag_cell, kept_text, read_flag

if TYPE_CHECKING:
    from hiw_tui.transfer.match import Matched
    from hiw_tui.transfer.write import Writer

TITLE_LENGTH = 200


@dataclass(frozen=True, slots=True)
class PlanRecord:
    row: int
    household_ref: str
    person_ref: str
    agreed_on: date | None
    agreed_by: str
    changed_on: date | None
    current: bool


@dataclass(frozen=True, slots=True)
class GoalRecord:
    row: int
    ref: str
    household_ref: str
    person_ref: str
    area: str
    description: str


def read_plan(row: int, raw: dict[str, str], read_date: Any) -> PlanRecord:
    problems: list[tuple[str, str]] = []
    agreed_on = read_date(raw.get("agreed_on", ""), "agreed_on")
    try:
        current = read_flag(raw.get("agreed_current", ""), default=agreed_on is not None)
    except ValueError as error:
        problems.append(("agreed_current", str(error)))
        current = False
    if current and agreed_on is None:
        problems.append(("agreed_current", "a plan never agreed cannot be as agreed"))
    if not raw["household_ref"]:
        problems.append(("household_ref", "required"))
    if problems:
        raise RowError(problems)
    return PlanRecord(
        row,
        raw["household_ref"].upper(),
        raw.get("person_ref", "").upper(),
        agreed_on,
        raw.get("agreed_by", "").lower(),
        read_date(raw.get("changed_on", ""), "changed_on"),
        current,
    )


def read_goal(row: int, raw: dict[str, str]) -> GoalRecord:
    problems = []
    if not raw["household_ref"]:
        problems.append(("household_ref", "required"))
    if raw["star_area"] not in STAR_AREAS:
        problems.append(("star_area", f"{raw['star_area']!r} is not a Star area code"))
    description = " ".join(raw["description"].split())
    if not description:
        problems.append(("description", "required"))
    elif len(description) > TITLE_LENGTH:
        problems.append(("description", f"longer than {TITLE_LENGTH} characters"))
    if problems:
        raise RowError(problems)
    return GoalRecord(
        row,
        raw.get("goal_ref", ""),
        raw["household_ref"].upper(),
        raw.get("person_ref", "").upper(),
        raw["star_area"],
        description,
    )


def check_owners(matched: Matched, file: str, records: list[Any]) -> None:
    """Each plan or goal's household must be usable, and its person one of its members."""
    for record in records:
        if record.household_ref not in matched.household_area:
            reason = f"no household {record.household_ref!r} in households.csv or your scope"
            matched.problems.append(Problem(file, record.row, "household_ref", reason))
        elif record.person_ref and (
            matched.person_household.get(record.person_ref) != record.household_ref
        ):
            reason = f"no person {record.person_ref!r} of household {record.household_ref}"
            matched.problems.append(Problem(file, record.row, "person_ref", reason))


def match_goals(session: Session, matched: Matched) -> None:
    """Goal refs, of goals.csv and of the steps naming their goal: those held found (and
    of the same household), each a steps.csv names in goals.csv or held."""
    parsed = matched.parsed
    named = [goal for goal in parsed.goals if goal.ref]
    wanted = {goal.ref for goal in named} | {step.goal_ref for step in parsed.steps}
    found = find_refs(session, Goal, [ref for ref in wanted if ref], matched.token)
    households: dict[int, str] = {}
    for part in chunks(sorted(found.values())):
        statement = (
            sa_select(col(Goal.id), col(Household.reference))
            .join(Plan, col(Plan.id) == col(Goal.plan_id))
            .join(Household, col(Household.id) == col(Plan.household_id))
            .where(col(Goal.id).in_(part))
        )
        households.update({goal_id: ref for goal_id, ref in session.execute(statement)})
    seen: set[str] = set()
    for goal in named:
        if goal.ref in seen:
            reason = f"{goal.ref} is already on an earlier row"
            matched.problems.append(Problem(GOALS.name, goal.row, "goal_ref", reason))
        seen.add(goal.ref)
        if goal.ref in found and households[found[goal.ref]] != goal.household_ref:
            reason = f"{goal.ref} is a goal of another household"
            matched.problems.append(Problem(GOALS.name, goal.row, "goal_ref", reason))
    matched.goal_ids.update(found)
    for step in parsed.steps:
        if step.goal_ref and step.goal_ref not in seen and step.goal_ref not in found:
            reason = f"no goal {step.goal_ref!r} in goals.csv or here"
            matched.problems.append(Problem(STEPS.name, step.row, "goal_ref", reason))


# ---- writing ----


Owner = tuple[int, int | None]
"""A plan's household id and person id (None: the household's own plan)."""


def plan_ids(writer: Writer, owners: set[Owner]) -> dict[Owner, int]:
    """(household id, person id or None) -> plan id, made where missing."""
    households = sorted({household for household, _ in owners})
    held = {
        (plan.household_id, plan.person_id): plan.id or 0
        for plan in writer.load(Plan, col(Plan.household_id), households)
    }
    missing = [
        {"household_id": household, "person_id": person, "version": 1}
        for household, person in sorted(owners - set(held), key=lambda o: (o[0], o[1] or 0))
    ]
    for row, plan_id in zip(missing, writer.insert("Plans", Plan, missing), strict=True):
        held[(row["household_id"], row["person_id"])] = plan_id
    return held


def write_plans(writer: Writer) -> None:
    records = writer.good(PLANS.name, writer.matched.parsed.plans)
    owners = {record.row: writer.owner(record) for record in records}
    by_owner = {
        (plan.household_id, plan.person_id): plan
        for plan in writer.load(
            Plan, col(Plan.household_id), sorted({o[0] for o in owners.values()})
        )
    }
    new, updated, same = [], 0, 0
    for record in records:
        household_id, person_id = owners[record.row]
        agreed_by = writer.user(record.agreed_by) if record.agreed_on else None
        values: dict[str, Any] = {
            "agreed_on": record.agreed_on,
            "agreed_by": agreed_by,
            "changed_on": record.changed_on,
        }
        plan = by_owner.get((household_id, person_id))
        if plan is None:
            agreed = None if record.agreed_on is None else (1 if record.current else 0)
            new.append(
                values
                | {
                    "household_id": household_id,
                    "person_id": person_id,
                    "agreed_version": agreed,
                    "version": 1,
                }
            )
            continue
        held_current = plan.agreed_on is not None and plan.agreed_version == plan.version
        if all(getattr(plan, name) == value for name, value in values.items()) and (
            held_current == record.current
        ):
            same += 1
            continue
        if record.agreed_on is None:
            values["agreed_version"] = None
        else:
            values["agreed_version"] = plan.version + 1 if record.current else plan.version
        writer.update(plan, "plan", household_id, values)
        updated += 1
    writer.insert("Plans", Plan, new, ids=False)
    writer.counts[PLANS.name] = [len(new), updated, same]


def write_goals(writer: Writer) -> dict[str, int]:
    """The goals of goals.csv; goal ref -> id (the file's refs, for steps.csv to name)."""
    records = writer.good(GOALS.name, writer.matched.parsed.goals)
    owners = {record.row: writer.owner(record) for record in records}
    plans = plan_ids(writer, set(owners.values()))
    plan_of = {row: plans[owner] for row, owner in owners.items()}
    named = writer.matched.goal_ids
    held = writer.load(Goal, col(Goal.plan_id), sorted(set(plan_of.values())))
    taken = set(named.values())
    by_position = dict(
        paired(
            [goal for goal in held if goal.id not in taken],
            lambda goal: (goal.plan_id, goal.area, goal.description),
            (
                ((plan_of[r.row], r.area, r.description), r.row)
                for r in records
                if r.ref not in named
            ),
        )
    )
    by_id = {goal.id: goal for goal in held}
    new, updated, same = [], 0, 0
    refs: dict[str, int] = {}
    for record in records:
        goal = by_id.get(named[record.ref]) if record.ref in named else by_position[record.row]
        values = {"plan_id": plan_of[record.row], "area": record.area}
        values["description"] = record.description
        if goal is None:
            new.append((record.ref, values | {"ref": record.ref or None, "version": 1}))
            continue
        if record.ref:
            refs[record.ref] = goal.id or 0
        if writer.update(goal, "goal", owners[record.row][0], values):
            updated += 1
        else:
            same += 1
    ids = writer.insert("Goals", Goal, [values for _, values in new])
    for (ref, _), goal_id in zip(new, ids, strict=True):
        if ref:
            refs[ref] = goal_id
    writer.counts[GOALS.name] = [len(new), updated, same]
    return refs


# ---- export ----


def plan_rows(session: Session, actor: UserPublic, refs: Any) -> Any:
    statement = (
        sa_select(plain(Plan), col(Household.reference), refs.c.ref, col(User.username))
        .join(Household, col(Household.id) == col(Plan.household_id))
        .outerjoin(refs, refs.c.person_id == col(Plan.person_id))
        .outerjoin(User, col(User.id) == col(Plan.agreed_by))
        .where(household_scope(actor))
        .order_by(col(Household.reference), col(Plan.id))
    )
    for plan, household_ref, person_ref, agreed_by in session.execute(statement):
        current = plan.agreed_on is not None and plan.agreed_version == plan.version
        yield [
            household_ref,
            person_ref or "",
            date_cell(plan.agreed_on),
            agreed_by or "",
            date_cell(plan.changed_on),
            flag_cell(current),
        ]


def goal_rows(session: Session, actor: UserPublic, refs: Any, token: str) -> Any:
    statement = (
        sa_select(plain(Goal), ref_of(Goal, token), col(Household.reference), refs.c.ref)
        .join(Plan, col(Plan.id) == col(Goal.plan_id))
        .join(Household, col(Household.id) == col(Plan.household_id))
        .outerjoin(refs, refs.c.person_id == col(Plan.person_id))
        .where(household_scope(actor))
        .order_by(col(Household.reference), col(Goal.id))
    )
    for goal, goal_ref, household_ref, person_ref in session.execute(statement):
        yield [household_ref, goal.area, kept_text(goal.description), goal_ref, person_ref or ""]
