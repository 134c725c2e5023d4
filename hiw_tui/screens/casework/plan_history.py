"""Every change made to one plan: who, when, what, the old and the new value."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from hiw_tui.db.casework.models import PlanPublic
from hiw_tui.db.casework.plans import HistoryLine, plan_history
from hiw_tui.domain.dates import local_time
from hiw_tui.domain.framework import Framework
from hiw_tui.screens.base.work import DatabaseWork
from hiw_tui.widgets.tables import LeanTable
from hiw_tui.widgets.text import user_text

ACTIONS = {"create": "added", "update": "changed", "move": "moved", "agree": "agreed"}


class PlanHistoryScreen(DatabaseWork, Screen[None]):
    TITLE = "Plan history"
    BINDINGS = [Binding("escape", "app.pop_screen", "Back")]

    @dataclass
    class Loaded(Message):
        lines: list[HistoryLine]

    def __init__(self, plan: PlanPublic, framework: Framework) -> None:
        super().__init__()
        self._plan = plan
        self._framework = framework
        self._changes: list[Text] = []
        """Each table row's change in full, for the line under the table."""
        self._names: dict[tuple[str, int], str] = {("plan", plan.id or 0): plan.owner_name}
        for goal in plan.goals:
            self._names[("goal", goal.id)] = goal.description
            for step in goal.steps:
                self._names[("step", step.id)] = step.description

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(
            Text.assemble("Every change to the plan of ", user_text(self._plan.owner_name)),
            id="history-title",
        )
        yield LeanTable(id="plan-history", cursor_type="row")
        yield Static("", id="change-detail")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for key, heading in (
            ("when", "When"),
            ("who", "Who"),
            ("what", "What"),
            ("change", "Field: old → new"),
        ):
            table.add_column(heading, key=key)
        table.focus()
        assert self._plan.id is not None, "a saved plan has a history"
        self.run_db(partial(plan_history, plan_id=self._plan.id), self.Loaded)

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        table = self.query_one(DataTable)
        for line in message.lines:
            name = self._names.get((line.entity, line.entity_id), "(since changed)")
            what = f"{line.entity} {ACTIONS.get(line.action, line.action)}"
            when = local_time(line.at)
            # Who agreed is the "Who" column, and the version agreed is bookkeeping.
            changes = sorted(
                (field, values)
                for field, values in line.changes.items()
                if field not in {"agreed_by", "agreed_version"}
            ) or [("", [None, None])]
            for index, (field, (old, new)) in enumerate(changes):
                change = user_text(
                    f"{field.replace('_', ' ')}: {self._value(field, old)} → "
                    f"{self._value(field, new)}"
                )
                self._changes.append(change)
                table.add_row(
                    Text(when if index == 0 else ""),
                    user_text(line.actor_name[:14] if index == 0 else ""),
                    user_text(f"{what}: {name}"[:24] if index == 0 else ""),
                    change,
                )
        if not message.lines:
            table.add_row(Text(""), Text(""), Text("No changes recorded yet."), Text(""))
        self._show_change()

    @on(DataTable.RowHighlighted)
    def _show_change(self) -> None:
        """The highlighted change in full: values too long for the table at 80 columns."""
        row = self.query_one(DataTable).cursor_row
        text = self._changes[row] if 0 <= row < len(self._changes) else Text("")
        self.query_one("#change-detail", Static).update(text)

    def _value(self, field: str, value: object) -> str:
        if value is None:
            return "—"
        if field == "area" and isinstance(value, str):
            return self._framework.name_of(value)
        return str(value)
