"""Every change made to one plan: who, when, what, the old and the new value, in words.

Each field is called what its form calls it (`GOAL_LABELS`, `STEP_LABELS`) and each value
is shown as the plan shows it: a code by its label, a Star area by its name, a partner
service by its name. Who carries out a step is one line, its owner or the partner
service that does it: "Who does it: Householder → Citizens Advice".

A change to several fields is a row for each field, the first saying when, who and what;
below the table the highlighted row is shown in full, with the when, who and what of the
change it belongs to.
"""

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
from textual.widgets import Header, Static

from hiw_tui.db.casework.models import PlanPublic
from hiw_tui.db.casework.plans import HistoryLine, plan_history
from hiw_tui.domain.codes import Coded, StepOwner, StepStatus
from hiw_tui.domain.dates import local_time
from hiw_tui.domain.framework import Framework
from hiw_tui.screens.base.work import DatabaseWork
from hiw_tui.screens.casework.plan_forms import GOAL_LABELS, STEP_LABELS
from hiw_tui.widgets.detail_table import DetailTable, Row
from hiw_tui.widgets.footer import KeyFooter
from hiw_tui.widgets.text import short_name, user_text

ACTIONS = {
    "create": "added",
    "update": "changed",
    "move": "moved",
    "agree": "agreed",
    "import": "imported",
}
ENTITIES = {"plan": "Plan", "goal": "Goal", "step": "Step"}
LABELS: dict[str, dict[str, str]] = {
    "goal": GOAL_LABELS,
    "step": STEP_LABELS,
    "plan": {"agreed_on": "Agreed on"},
}
"""Each kind of row's fields as its form calls them (a plan's agreement has no form)."""
MOVED = "Place in the goal"
"""A step moved up or down: its position among the goal's steps."""
HIDDEN_FIELDS = frozenset({"agreed_by", "agreed_version", "done_on", "goal_id"})
"""Bookkeeping: who agreed is the "Who" column, the version agreed is internal, and a
step's done date is its status date when done."""
CODED_FIELDS: dict[str, type[Coded]] = {"status": StepStatus, "owner": StepOwner}
"""Fields whose stored codes are shown by their labels, as the plan shows them."""
WHO = "owner"
"""The field a step's owner and partner service are shown as, together."""
ACTOR = 14
"""Characters of the name of who made a change (see `short_name`). The table's four
columns take 2 cells of padding each and the scrollbar beside the rows 2 more, which
leaves 70 of 80 columns for the time (16, as `local_time` gives it) + `ACTOR` + `WHAT` +
`CHANGE`; below the table the highlighted row is shown in full."""
WHAT = 20
"""Characters of what was changed: the kind of row, what was done to it and as much of
its name as fits, cut at a word ("Step added: Visit…")."""
CHANGE = 20
"""Characters of a field changed, old and new, at the least: it takes the room the who
and what of the rows shown leave (`ROOM`), "Status: Planned → Done" whole beside a
short name; a long one is cut at a word ("Status since…")."""
ROOM = 70 - 16
"""Characters for who, what and the change together: 70 of 80 columns less the time's."""


@dataclass(frozen=True)
class HistoryRow:
    """One row of the history in full: when, who and what, of the change to the plan
    that the row is part of, and the row's own field, old and new, in words."""

    when: str
    who: str
    what: str
    change: str


def detail_text(row: HistoryRow) -> Text:
    """The row in full, below the table: "2026-03-01 10:00 Ada Lovelace: Step changed:
    Write a CV — Status: Planned → In progress"."""
    detail = f"{row.when} {row.who}: {row.what}"
    return user_text(f"{detail} — {row.change}" if row.change else detail)


class PlanHistoryScreen(DatabaseWork, Screen[None]):
    TITLE = "Plan history"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("j", "cursor(1)", "Down", show=False),
        Binding("k", "cursor(-1)", "Up", show=False),
    ]

    @dataclass
    class Loaded(Message):
        lines: list[HistoryLine]

    def __init__(self, plan: PlanPublic, framework: Framework, *, reference: str) -> None:
        """`reference` is the plan's household's, named in the header as on its record."""
        super().__init__()
        self.sub_title = reference
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
        yield DetailTable[HistoryRow | None](
            (
                ("when", "When"),
                ("who", "Who"),
                ("what", "What"),
                ("change", "Field: old → new"),
            ),
            detail=lambda row: Text("") if row is None else detail_text(row),
            id="plan-history",
        )
        yield KeyFooter()

    def action_cursor(self, step: int) -> None:
        self.query_one(DetailTable).move_cursor_by(step)

    def on_mount(self) -> None:
        self.query_one(DetailTable).focus()
        assert self._plan.id is not None, "a saved plan has a history"
        # Reading the history writes its audit row, so it runs as a write.
        self.run_db(partial(plan_history, plan_id=self._plan.id), self.Loaded, write=True)

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        entries: list[tuple[bool, str, str, HistoryRow]] = []
        for line in message.lines:
            name = self._names.get((line.entity, line.entity_id), "(since changed)")
            done = ACTIONS.get(line.action, line.action)
            what = f"{ENTITIES.get(line.entity, line.entity)} {done}: {name}"
            when = local_time(line.at)
            who = short_name(line.actor_name, ACTOR)
            for index, change in enumerate(self._changes(line) or [""]):
                entries.append(
                    (index == 0, who, what, HistoryRow(when, line.actor_name, what, change))
                )
        who_width = max((len(who) for _, who, _, _ in entries), default=0)
        what_width = max((len(user_text(what, limit=WHAT)) for _, _, what, _ in entries), default=0)
        change_limit = max(CHANGE, ROOM - who_width - what_width)
        rows: list[Row[HistoryRow | None]] = []
        for first, who, what, item in entries:
            cells = (
                Text(item.when if first else ""),
                user_text(who if first else ""),
                user_text(what if first else "", limit=WHAT),
                user_text(item.change, limit=change_limit),
            )
            rows.append(Row(str(len(rows)), item, cells))
        if not message.lines:
            rows.append(
                Row(
                    "none",
                    None,
                    (Text(""), Text(""), Text("No changes recorded yet."), Text("")),
                )
            )
        self.query_one(DetailTable).show(rows)

    def _changes(self, line: HistoryLine) -> list[str]:
        """One line's changes in words, in the order the form has its fields."""
        labels = LABELS.get(line.entity, {})
        order = list(labels)
        values = {
            field: values
            for field, values in line.changes.items()
            if field not in HIDDEN_FIELDS and isinstance(values, list) and len(values) == 2
        }
        if line.entity == "step" and (WHO in values or "partner_id" in values):
            values[WHO] = self._who(line, values)
            values.pop("partner_id", None)
        words = []
        for field in sorted(
            values, key=lambda f: (order.index(f) if f in order else len(order), f)
        ):
            old, new = (self._value(field, value) for value in values[field])
            label = MOVED if field == "position" else labels.get(field, field.replace("_", " "))
            words.append(
                f"{label}: {new}" if line.action == "create" else f"{label}: {old} → {new}"
            )
        return words

    def _who(self, line: HistoryLine, values: dict[str, list[object]]) -> list[object]:
        """Who does a step, before and after: the partner service when a partner does it.
        A step's partner is set only while its owner is a partner, so a partner changed
        with its owner unchanged is one partner for another."""
        owners = values.get(WHO) or [StepOwner.PARTNER.value, StepOwner.PARTNER.value]
        partners = values.get("partner_id") or [None, None]
        return [
            line.partner_names.get(partner, f"partner #{partner}")
            if isinstance(partner, int)
            else owner
            for owner, partner in zip(owners, partners, strict=True)
        ]

    def _value(self, field: str, value: object) -> str:
        if value is None or value == "":
            return "—"
        if field == "area" and isinstance(value, str):
            return self._framework.name_of(value)
        codes = CODED_FIELDS.get(field)
        if codes is not None:
            with suppress(ValueError):  # a partner's name, or a code no longer in the list
                return codes(str(value)).label
        return str(value)
