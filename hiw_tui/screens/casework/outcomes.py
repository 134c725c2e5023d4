"""A household's outcomes (jobs, work experience, volunteering, courses), each with
what the counting rules make of it, and the outcome form."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import partial
from typing import Any

from rich.console import RenderableType
from rich.text import Text
from textual.widgets import Input, Select, Static

from hiw_tui.db.casework.models import OutcomePublic
from hiw_tui.db.casework.outcomes import household_outcomes, save_outcome
from hiw_tui.db.core.engine import Query
from hiw_tui.domain.case_inputs import OutcomeInput
from hiw_tui.domain.codes import OutcomeKind
from hiw_tui.domain.outcomes import course_verdict, job_verdict
from hiw_tui.screens.base.case_list import CaseListScreen
from hiw_tui.screens.base.form_fields import (
    choice_field,
    code_field,
    date_field,
    member_choices,
    text_field,
    yes_no_field,
)
from hiw_tui.screens.base.item_form import ItemForm
from hiw_tui.widgets.text import short_name, user_text


def verdict(
    kind: str, start: date, end: date | None, hours: float, completed: bool, today: date
) -> str:
    """What the counting rules make of an outcome, as the list and the form say it."""
    if kind == OutcomeKind.JOB:
        return job_verdict(start, end, hours, today=today)
    if kind == OutcomeKind.COURSE:
        done = "completed" if completed else "not completed (yet)"
        return f"{course_verdict(hours)} The course is {done}."
    return "✓ Counts as work-related activity."


def _hours(item: OutcomePublic) -> str:
    unit = "h in all" if item.kind == OutcomeKind.COURSE else "h/week"
    return f"{item.hours:g} {unit}"


class OutcomeForm(ItemForm[OutcomeInput, OutcomePublic]):
    model = OutcomeInput
    SAVE = save_outcome
    ROW_ARGUMENT = "outcome_id"
    HEADINGS = ("Record an outcome", "Edit an outcome")

    def fields(self) -> list[Any]:
        o = self.item
        return [
            choice_field(
                "Who",
                "person_id",
                member_choices(self.record),
                o.person_id if o else None,
                prompt="Choose a member",
            ),
            code_field("Kind", "kind", OutcomeKind, o.kind if o else None),
            text_field("Employer or provider", "organisation", o.organisation if o else ""),
            text_field("Role or course", "description", o.description if o else ""),
            date_field("Start date", "start_on", o.start_on if o else None),
            text_field(
                "End date", "end_on", o.end_on if o else None, hint="YYYY-MM-DD, blank if going"
            ),
            text_field(
                "Hours",
                "hours",
                f"{o.hours:g}" if o else "",
                hint="a week (job); in all (course)",
            ),
            yes_no_field(
                "Completed",
                "completed",
                o.completed if o else False,
                yes="Completed",
                no="Not completed (yet)",
            ),
            Static("", id="verdict", markup=False),
        ]

    def on_mount(self) -> None:
        self._update_verdict()

    def on_input_changed(self, event: Input.Changed) -> None:
        self._update_verdict()

    def on_select_changed(self, event: Select.Changed) -> None:
        self._update_verdict()

    def _update_verdict(self) -> None:
        """Say live what the counting rules will make of the outcome as typed."""
        try:
            data = OutcomeInput.model_validate(self.values())
        except ValueError:
            text = "Fill in the kind, dates and hours to see whether it counts."
        else:
            text = verdict(
                data.kind, data.start_on, data.end_on, data.hours, data.completed, self.today
            )
        self.query_one("#verdict", Static).update(text)


class OutcomesScreen(CaseListScreen[OutcomePublic]):
    TITLE = "Outcomes"
    COLUMNS = (
        ("start", "Start"),
        ("who", "Who"),
        ("kind", "Kind"),
        ("where", "Employer/provider"),
        ("counts", "Counts"),
    )
    """At 80 columns: the hours, the employer in full and what was done are in the detail
    below the table."""
    STRETCH = "where"
    EMPTY = "No outcomes yet: n records a job, work experience, volunteering or a course."
    FORM = OutcomeForm

    def list_query(self, *, audited: bool) -> Query[list[OutcomePublic]]:
        return partial(household_outcomes, household_id=self.household_id, audited=audited)

    def _verdict(self, item: OutcomePublic) -> str:
        return verdict(
            item.kind, item.start_on, item.end_on, item.hours, item.completed, self.hiw_app.today()
        )

    def cells(self, item: OutcomePublic) -> Sequence[RenderableType]:
        mark = self._verdict(item)[0]
        return (
            Text(item.start_on.isoformat()),
            user_text(short_name(item.person_name, 14)),
            Text(item.kind.label),
            user_text(item.organisation),
            Text({"✓": "✓ yes", "✗": "✗ no"}.get(mark, "… not yet")),
        )

    def detail(self, item: OutcomePublic) -> RenderableType:
        """What it was, whose (the list shortens the name), where, when and whether it
        counts."""
        when = (
            f"{item.start_on.isoformat()} to {item.end_on.isoformat()}"
            if item.end_on
            else f"from {item.start_on.isoformat()}, still going"
        )
        where: list[str | Text] = (
            ["  at ", user_text(item.organisation)] if item.organisation else []
        )
        return Text.assemble(
            user_text(item.description or item.kind.label, style="bold"),
            *where,
            "\n",
            user_text(item.person_name),
            f"  {when}, {_hours(item)}\n",
            self._verdict(item),
        )
