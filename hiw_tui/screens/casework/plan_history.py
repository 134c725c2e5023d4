"""Every change made to one plan: who, when, what, the old and the new value."""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from functools import partial

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from hiw_tui.db.casework.models import PlanPublic
from hiw_tui.db.casework.plans import HistoryLine, plan_history
from hiw_tui.domain.codes import Coded, StepOwner, StepStatus
from hiw_tui.domain.dates import local_time
from hiw_tui.domain.framework import Framework
from hiw_tui.screens.base.work import DatabaseWork
from hiw_tui.widgets.detail_table import DetailTable, Row
from hiw_tui.widgets.text import user_text

ACTIONS = {"create": "added", "update": "changed", "move": "moved", "agree": "agreed"}
CODED_FIELDS: dict[str, type[Coded]] = {"status": StepStatus, "owner": StepOwner}
"""Fields whose stored codes are shown by their labels, as the plan shows them."""


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
        # Each row's change in full below the table: values too long for it at 80 columns.
        yield DetailTable[Text](
            (
                ("when", "When"),
                ("who", "Who"),
                ("what", "What"),
                ("change", "Field: old → new"),
            ),
            detail=lambda change: change,
            id="plan-history",
        )
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(DetailTable).focus()
        assert self._plan.id is not None, "a saved plan has a history"
        # Reading the history writes its audit row, so it runs as a write.
        self.run_db(partial(plan_history, plan_id=self._plan.id), self.Loaded, write=True)

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        rows: list[Row[Text]] = []
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
                cells = (
                    Text(when if index == 0 else ""),
                    user_text(line.actor_name[:14] if index == 0 else ""),
                    user_text(f"{what}: {name}"[:24] if index == 0 else ""),
                    change,
                )
                rows.append(Row(str(len(rows)), change, cells))
        if not message.lines:
            rows.append(
                Row(
                    "none",
                    Text(""),
                    (Text(""), Text(""), Text("No changes recorded yet."), Text("")),
                )
            )
        self.query_one(DetailTable).show(rows)

    def _value(self, field: str, value: object) -> str:
        if value is None:
            return "—"
        if field == "area" and isinstance(value, str):
            return self._framework.name_of(value)
        codes = CODED_FIELDS.get(field)
        if codes is not None:
            with suppress(ValueError):  # a code no longer in the list reads as stored
                return codes(str(value)).label
        return str(value)
