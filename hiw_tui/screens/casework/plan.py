"""Action plans: the household's goals and each member's, one plan at a time.

Goals are set around Star areas; their steps are listed beneath them in order. Keys add
a goal (g) or a step (n), edit the highlighted row (Enter), move a step up or down (K,
J), record that the plan was agreed (a) and show every change made to it (h). `[` and
`]` move between the household's plan and each member's.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from rich.console import RenderableType
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Header, Static

from hiw_tui.db.casework.models import GoalPublic, PlanPublic, StepPublic
from hiw_tui.db.casework.plans import agree_plan, household_plans, move_step
from hiw_tui.db.core.errors import Conflict
from hiw_tui.db.core.models import HouseholdPublic
from hiw_tui.domain.codes import OPEN_STEPS
from hiw_tui.screens.base.work import DatabaseWork
from hiw_tui.screens.casework.plan_forms import GoalForm, StepForm
from hiw_tui.screens.casework.plan_history import PlanHistoryScreen
from hiw_tui.widgets.detail_table import DetailTable, Row
from hiw_tui.widgets.footer import KeyFooter
from hiw_tui.widgets.text import counted, user_text

WHAT = 26
"""Characters of a goal (with its area) or a step shown in the table at least: so that
beside the longest owner ("Householder") and status ("On the back burner"), and the
scrollbar of a long plan, every column fits 80 columns. A goal or step takes the room
the plan's other columns leave, at any terminal width; below the table, the
highlighted row's goal and step are shown in full."""


def _key(goal: GoalPublic, step: StepPublic | None) -> str:
    return f"step-{step.id}" if step else f"goal-{goal.id}"


class PlanScreen(DatabaseWork, Screen[None]):
    TITLE = "Action plan"
    EDIT_ACTIONS = frozenset({"agree", "edit", "move", "new_goal", "new_step"})
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("g", "new_goal", "Goal"),
        Binding("n", "new_step", "Step"),
        Binding("enter", "edit", "Edit", priority=True),  # shown: the table's own is not
        Binding("K", "move(-1)", "Move up", show=False),
        Binding("J", "move(1)", "Move down", show=False),
        Binding("a", "agree", "Agreed"),
        Binding("h", "history", "History"),
        Binding("right_square_bracket", "plan(1)", "Next plan", key_display="]"),
        Binding("left_square_bracket", "plan(-1)", "Previous plan", key_display="[", show=False),
        Binding("j", "cursor(1)", "Down", show=False),
        Binding("k", "cursor(-1)", "Up", show=False),
    ]

    @dataclass
    class Loaded(Message):
        plans: list[PlanPublic]

    def __init__(
        self, record: HouseholdPublic, *, person_id: int | None = None, step_id: int | None = None
    ) -> None:
        super().__init__()
        self.record = record
        self.sub_title = record.reference  # the household's, as the record's header says
        self.plans: list[PlanPublic] = []
        self._shown_width = 0
        self._person_id = person_id
        self._select: str | None = f"step-{step_id}" if step_id else None
        """The key of a row ("goal-ID" or "step-ID") to highlight once the plans are loaded."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Opening…", id="plan-title")
        yield DetailTable(
            (
                ("n", "#"),
                ("what", "Goal / step"),
                ("owner", "Who"),
                ("due", "Due"),
                ("status", "Status"),
            ),
            detail=self._detail,
            empty="g adds a goal around a Star area; n then adds steps towards it."
            if self.role_may("new_goal")
            else "No goals yet.",
            id="plan-rows",
        )
        yield KeyFooter()

    def on_mount(self) -> None:
        self._table.focus()
        self.reload()

    @property
    def _table(self) -> DetailTable[tuple[GoalPublic, StepPublic | None]]:
        return self.query_one("#plan-rows", DetailTable)

    def reload(self, *, audited: bool = True) -> None:
        """Read the plans again; only opening the screen is audited as a view."""
        self.run_db(
            partial(household_plans, household_id=self.record.id, audited=audited),
            self.Loaded,
            write=True,
        )

    @property
    def plan(self) -> PlanPublic | None:
        return next((p for p in self.plans if p.person_id == self._person_id), None)

    def _rows(self) -> list[tuple[GoalPublic, StepPublic | None]]:
        plan = self.plan
        rows: list[tuple[GoalPublic, StepPublic | None]] = []
        for goal in plan.goals if plan else ():
            rows.append((goal, None))
            rows += [(goal, step) for step in goal.steps]
        return rows

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self.plans = message.plans
        if self.plan is None:  # the member left meanwhile
            self._person_id = None
        self._show()

    def _show(self) -> None:
        """Show the plan, afresh when the steps' room changed (a resize, a longer status
        or owner come or gone): cells updated in place can widen a column, never narrow
        it."""
        plan = self.plan
        assert plan is not None
        position = self.plans.index(plan) + 1
        title = Text.assemble(
            (f"Plan {position}/{len(self.plans)}: ", "bold"),
            user_text(plan.owner_name, style="bold"),
            "   ",
            self._agreement(plan),
        )
        self.query_one("#plan-title", Static).update(title)
        select, self._select = self._select, None
        rows = self._rows()
        width = self._what_width(rows)
        fresh, self._shown_width = width != self._shown_width, width
        self._table.show(
            [
                Row(_key(goal, step), (goal, step), self._cells(goal, step, width))
                for goal, step in rows
            ],
            select=select,
            fresh=fresh,
        )

    def on_resize(self) -> None:
        if self.plan is not None:
            self._show()

    def _what_width(self, rows: list[tuple[GoalPublic, StepPublic | None]]) -> int:
        """The room the other columns leave for a goal or step."""
        steps = [step for _, step in rows if step is not None]
        widths = {
            "n": max((len(f"{step.position}.") for step in steps), default=1),
            "owner": max((len(_owner(step)) for step in steps), default=0),
            "due": max((len(_due(step)) for step in steps), default=0),
            "status": max((len(self._status(step)) for step in steps), default=0),
        }
        return max(WHAT, self._table.room_for("what", widths))

    def _cells(self, goal: GoalPublic, step: StepPublic | None, width: int) -> list[Text]:
        if step is None:
            area = f"{self.hiw_app.framework.name_of(goal.area, short=True)}: "
            what = Text.assemble(
                (area, "bold"), user_text(goal.description, style="bold", limit=width - len(area))
            )
            return [Text("◆"), what, Text(""), Text(""), Text("")]
        return [
            Text(f"{step.position}."),
            user_text(step.description, limit=width),
            Text(_owner(step)),
            Text(_due(step)),
            Text(self._status(step)),
        ]

    def _overdue(self, step: StepPublic) -> bool:
        return (
            step.due_on is not None
            and step.due_on < self.hiw_app.today()
            and step.status in OPEN_STEPS
        )

    def _status(self, step: StepPublic) -> str:
        return ("! " if self._overdue(step) else "") + step.status.label

    def _agreement(self, plan: PlanPublic) -> Text:
        if not plan.goals:
            return Text(self.for_role("no goals yet: g adds one", "new_goal"))
        if plan.agreed_on is None:
            may = self.role_may("agree")
            return Text("⚠ not yet agreed" + (" (a records agreement)" if may else ""))
        agreed = f"agreed {plan.agreed_on.isoformat()} with {plan.agreed_by_name or '?'}"
        if plan.needs_agreeing:
            return Text(f"⚠ changed since {agreed}")
        return Text(f"✓ {agreed}")

    def _current(self) -> tuple[GoalPublic, StepPublic | None] | None:
        return self._table.current

    def _detail(self, row: tuple[GoalPublic, StepPublic | None]) -> RenderableType:
        goal, step = row
        heading = Text.assemble(
            (f"{self.hiw_app.framework.name_of(goal.area)}: ", "bold"), user_text(goal.description)
        )
        if step is None:
            how = " n adds one, Enter edits the goal." if self.role_may("new_step") else ""
            return Text.assemble(heading, f"\n{counted(len(goal.steps), 'step')}.{how}")
        partner = f"({step.partner_name})" if step.partner_name else ""
        return Text.assemble(
            heading,
            "\n",
            user_text(step.description),
            "\n",
            "! Overdue. " if self._overdue(step) else "",
            f"{step.status.label} since {step.status_on.isoformat()}. ",
            f"Carried out by: {step.owner.label} ",
            user_text(partner),
        )

    @on(DetailTable.Chosen, "#plan-rows")
    def _chosen(self) -> None:
        if self.check_action("edit", ()):  # as Enter's binding asks (a click chooses too)
            self.action_edit()

    def action_cursor(self, step: int) -> None:
        self._table.move_cursor_by(step)

    def action_plan(self, step: int) -> None:
        if self.plans and self.plan is not None:
            index = (self.plans.index(self.plan) + step) % len(self.plans)
            self._person_id = self.plans[index].person_id
            rows = self._rows()
            self._select = _key(*rows[0]) if rows else None  # each plan opens at its top
            self._show()

    def _open(self, form: GoalForm | StepForm) -> None:
        def saved(plans: list[PlanPublic] | None) -> None:
            if plans is None:
                self.reload(audited=False)
                return
            if form.version is None:  # added: highlight the newest goal or step
                goals = [g for p in plans if p.person_id == self._person_id for g in p.goals]
                if isinstance(form, GoalForm):
                    self._select = _key(max(goals, key=lambda g: g.id), None)
                else:
                    goal = next(g for g in goals if g.id == form.goal.id)
                    self._select = _key(goal, max(goal.steps, key=lambda s: s.id))
            self.post_message(self.Loaded(plans))

        self.app.push_screen(form, saved)

    def action_new_goal(self) -> None:
        if self.plan is not None:
            self._open(GoalForm(self.plan, self.hiw_app.framework, self.hiw_app.today()))

    def action_new_step(self) -> None:
        current = self._current()
        if current is None:
            self.notify("Add a goal first (g): steps lead towards a goal.", severity="warning")
            return
        self._open(StepForm(current[0], self.hiw_app.today()))

    def action_edit(self) -> None:
        current = self._current()
        if current is None or self.plan is None:
            return
        goal, step = current
        if step is None:
            self._open(GoalForm(self.plan, self.hiw_app.framework, self.hiw_app.today(), goal))
        else:
            self._open(StepForm(goal, self.hiw_app.today(), step))

    def action_move(self, offset: int) -> None:
        current = self._current()
        if current is None or current[1] is None:
            return
        step = current[1]
        self._select = _key(current[0], step)
        self.run_db(
            partial(
                move_step,
                step_id=step.id,
                version=step.version,
                offset=offset,
                today=self.hiw_app.today(),
            ),
            self.Loaded,
            write=True,
        )

    def action_agree(self) -> None:
        plan = self.plan
        if plan is None or plan.id is None:
            self.notify("There is nothing to agree yet: add a goal first.", severity="warning")
            return
        self.run_db(
            partial(agree_plan, plan_id=plan.id, version=plan.version, today=self.hiw_app.today()),
            self.Loaded,
            write=True,
        )

    def action_history(self) -> None:
        plan = self.plan
        if plan is not None and plan.id is not None:
            history = PlanHistoryScreen(
                plan, self.hiw_app.framework, reference=self.record.reference
            )
            self.app.push_screen(history)

    def handle_data_error(self, error: BaseException) -> bool:
        if isinstance(error, Conflict):  # moved or agreed on a plan changed meanwhile
            self.reload(audited=False)
        return False

    def action_back(self) -> None:
        self.dismiss(None)  # the screen that opened this one hears of it (and reloads)


def _owner(step: StepPublic) -> str:
    return step.owner.label.split()[0]


def _due(step: StepPublic) -> str:
    return step.due_on.isoformat() if step.due_on else "—"
