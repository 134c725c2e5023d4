"""Writing steps.csv's rows: each step into the goal it names, or its plan's first goal
in its Star area (made when there is none); a step held is found by its reference, or
by its goal and words and its position among identical steps."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from sqlmodel import col

from hiw_tui.db.casework.models import Goal, Step
from hiw_tui.transfer.files import STEPS
from hiw_tui.transfer.identity import paired
from hiw_tui.transfer.match import household_of
from hiw_tui.transfer.plans import Owner, plan_ids
from hiw_tui.transfer.records import StepRecord

if TYPE_CHECKING:
    from hiw_tui.transfer.write import Writer


def _written(writer: Writer, record: Any) -> bool:
    """Whether the household and person a row names were written (with `partial`, a
    bad one is not)."""
    matched = writer.matched
    if household_of(matched, record) not in matched.household_ids:
        return False
    return not record.person_ref or record.person_ref in matched.person_ids


def write_steps(writer: Writer) -> None:
    records = [
        (record, writer.owner(record))
        for record in writer.good(STEPS.name, writer.matched.parsed.steps)
        if _written(writer, record)
    ]
    plans = plan_ids(writer, {owner for _, owner in records})
    goals = _step_goals(writer, records, plans)
    held = writer.load(Step, col(Step.household_id), sorted({o[0] for _, o in records}))
    positions: dict[int, int] = defaultdict(int)
    for step in held:
        positions[step.goal_id] = max(positions[step.goal_id], step.position)
    row_ids = writer.matched.row_ids
    named = {row_ids[(STEPS.name, r.row)] for r, _ in records if (STEPS.name, r.row) in row_ids}
    by_position = dict(
        paired(
            [step for step in held if step.id not in named],
            lambda step: (step.goal_id, step.description),
            (
                ((goals[r.row], r.data.description), r.row)
                for r, _ in records
                if (STEPS.name, r.row) not in row_ids
            ),
        )
    )
    by_id = {step.id: step for step in held}
    new, updated, same = [], 0, 0
    for record, (household_id, person_id) in records:
        key = (STEPS.name, record.row)
        step = by_id[row_ids[key]] if key in row_ids else by_position[record.row]
        goal_id = goals[record.row]
        data = record.data
        values: dict[str, Any] = {
            "goal_id": goal_id,
            "description": data.description,
            "owner": data.owner.value,
            "partner_id": writer.matched.partner_ids.get(record.partner),
            "status": data.status.value,
            "status_on": data.status_on,
            "due_on": data.due_on,
            "done_on": record.done_on,
        }
        if record.position is not None:
            values["position"] = record.position
        if step is None:
            if record.position is None:
                values["position"] = positions[goal_id] + 1
            positions[goal_id] = max(positions[goal_id], values["position"])
            new.append(
                values
                | {
                    "ref": record.ref or None,
                    "household_id": household_id,
                    "person_id": person_id,
                    "version": 1,
                }
            )
            writer.touched.add(household_id)
            continue
        if step.status == values["status"] and not record.status_dated:
            del values["status_on"]  # the day it last changed stays the day it changed
        if writer.update(step, "step", household_id, values):
            updated += 1
        else:
            same += 1
    writer.insert("Steps", Step, new, ids=False)
    writer.counts[STEPS.name] = [len(new), updated, same]


def _step_goals(
    writer: Writer, records: list[tuple[StepRecord, Owner]], plans: dict[Owner, int]
) -> dict[int, int]:
    """Row -> the goal of each step: the goal it names, or its plan's first goal in its
    Star area (made, named after the area, when there is none)."""
    held = writer.load(Goal, col(Goal.plan_id), sorted(set(plans.values())))
    first: dict[tuple[int, str], int] = {}
    for goal in sorted(held, key=lambda goal: goal.id):
        first.setdefault((goal.plan_id, goal.area), goal.id)
    wanted = {(plans[owner], r.area) for r, owner in records if not r.goal_ref}
    missing = sorted(wanted - set(first))
    rows = [
        {
            "plan_id": plan,
            "area": area,
            "description": writer.framework.name_of(area),
            "version": 1,
        }
        for plan, area in missing
    ]
    for key, goal_id in zip(missing, writer.insert("Goals", Goal, rows), strict=True):
        first[key] = goal_id
    return {
        record.row: writer.goal_refs[record.goal_ref]
        if record.goal_ref
        else first[(plans[owner], record.area)]
        for record, owner in records
    }
