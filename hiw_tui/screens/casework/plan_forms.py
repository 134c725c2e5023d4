"""The goal and step forms of an action plan."""

from __future__ import annotations

from datetime import date
from functools import partial

from rich.text import Text
from textual.widgets import Select

from hiw_tui.db.casework.models import GoalPublic, PlanPublic, StepPublic
from hiw_tui.db.casework.plans import add_goal, add_step, update_goal, update_step
from hiw_tui.db.core.engine import Query
from hiw_tui.domain.case_inputs import GoalInput, StepInput
from hiw_tui.domain.codes import StepOwner, StepStatus
from hiw_tui.domain.framework import Framework
from hiw_tui.screens.base.form import FormScreen
from hiw_tui.screens.base.form_fields import (
    code_field,
    date_field,
    partner_field,
    restamp,
    text_field,
)
from hiw_tui.widgets.field import FormField

Plans = list[PlanPublic]

GOAL_LABELS = {"area": "Star area", "description": "Goal"}
"""What the goal form calls each field; the plan's history says the same."""
STEP_LABELS = {
    "description": "Step",
    "owner": "Who does it",
    "partner_id": "Partner service",
    "due_on": "Due",
    "status": "Status",
    "status_on": "Status since",
}
"""What the step form calls each field; the plan's history says the same."""


class GoalForm(FormScreen[GoalInput, Plans]):
    """A new goal of `plan` (None: edit `goal`), set around one Star area."""

    model = GoalInput

    def __init__(
        self, plan: PlanPublic, framework: Framework, today: date, goal: GoalPublic | None = None
    ) -> None:
        super().__init__(version=goal.version if goal else None)
        self._plan, self._framework, self._today, self._goal = plan, framework, today, goal
        self.heading = f"{'Edit a goal' if goal else 'New goal'}: {plan.owner_name}"

    def fields(self) -> list[FormField]:
        g = self._goal
        areas = Select(
            [(Text(area.name), area.code) for area in self._framework.areas],
            value=g.area if g else Select.NULL,
            prompt="Choose a Star area",
            id="area",
            compact=True,
        )
        return [
            FormField(GOAL_LABELS["area"], areas, name="area"),
            text_field(GOAL_LABELS["description"], "description", g.description if g else ""),
        ]

    def describe(self, name: str, value: object) -> str:
        if name == "area" and isinstance(value, str):
            return self._framework.name_of(value)
        return super().describe(name, value)

    def save(self, data: GoalInput) -> Query[Plans]:
        if self._goal is not None:
            return partial(
                update_goal,
                data=data,
                goal_id=self._goal.id,
                version=self.edited_version,
                today=self._today,
            )
        return partial(
            add_goal,
            data=data,
            household_id=self._plan.household_id,
            person_id=self._plan.person_id,
            today=self._today,
        )


class StepForm(FormScreen[StepInput, Plans]):
    """A new step towards `goal`, or an edit of `step`."""

    model = StepInput

    def __init__(self, goal: GoalPublic, today: date, step: StepPublic | None = None) -> None:
        super().__init__(version=step.version if step else None)
        self.goal, self._today, self._step = goal, today, step
        self.heading = f"{'Edit a step' if step else 'New step'}: {goal.description}"

    def fields(self) -> list[FormField]:
        s = self._step
        partner = (s.partner_name, s.partner_id) if s and s.partner_name and s.partner_id else None
        label = STEP_LABELS
        return [
            text_field(label["description"], "description", s.description if s else ""),
            code_field(label["owner"], "owner", StepOwner, s.owner if s else "householder"),
            partner_field(
                label["partner_id"], "partner_id", partner, prompt="Only when a partner does it"
            ),
            date_field(label["due_on"], "due_on", s.due_on if s else None),
            code_field(label["status"], "status", StepStatus, s.status if s else "planned"),
            date_field(label["status_on"], "status_on", s.status_on if s else self._today),
        ]

    def on_select_changed(self, event: Select.Changed) -> None:
        restamp(self, event, self._step.status if self._step else None, "#status-on", self._today)

    def save(self, data: StepInput) -> Query[Plans]:
        if self._step is not None:
            return partial(
                update_step,
                data=data,
                step_id=self._step.id,
                version=self.edited_version,
                today=self._today,
            )
        return partial(add_step, data=data, goal_id=self.goal.id, today=self._today)
