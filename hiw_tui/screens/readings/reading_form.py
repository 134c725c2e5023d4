"""A Star reading: a new one, or one already saved, to read and then edit or correct.

A new reading opens with the score grid focused, today's date, "participant with
advocate" and "final" filled in, so a whole reading is eight digits and Ctrl+S. A final
reading needs every area scored or deliberately "not scored"; a missing one is named
beside its row. A draft may be saved part-way, with areas left to score later.

A saved reading opens read-only, its notes shown with it (each area's beside the grid as
the cursor reaches it): `e` edits a draft, or starts correcting a final one, so that no
stray digit changes a score.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import partial
from typing import Any

from textual import on
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Select, Static

from hiw_tui.db.core.engine import Query
from hiw_tui.db.core.models import ReadingPublic
from hiw_tui.db.readings.readings import ReadingSaved, create_reading, update_reading
from hiw_tui.domain.codes import CompletedBy, ReadingStatus
from hiw_tui.domain.framework import Framework
from hiw_tui.domain.star import UNSCORED, area_problems
from hiw_tui.domain.validation import ReadingInput
from hiw_tui.screens.base.form import FormScreen
from hiw_tui.widgets.field import FormField
from hiw_tui.widgets.score_grid import NOT_SCORED, ScoreGrid


class ReadingForm(FormScreen[ReadingInput, ReadingSaved]):
    """A new reading of `person_id` when `reading` is None; otherwise that reading."""

    model = ReadingInput
    dialog_class = "reading-dialog"
    BINDINGS = [Binding("e", "edit", "Correct / edit")]
    EDIT_ACTIONS = frozenset({"edit"})

    def __init__(
        self,
        *,
        person_id: int,
        person_name: str,
        framework: Framework,
        today: date,
        reading: ReadingPublic | None = None,
    ) -> None:
        super().__init__(version=reading.version if reading else None)
        self._person_id = person_id
        self._framework = framework
        self._today = today
        self._reading = reading
        self._person_name = person_name
        self._correcting = reading is not None and reading.status == ReadingStatus.FINAL
        self.editing = reading is None
        """False while a saved reading is only being read."""
        self.area_notes: dict[str, str] = dict(reading.area_notes) if reading else {}
        self._note_area = ""
        self.heading = self._heading()

    def _heading(self) -> str:
        reading, name = self._reading, self._person_name
        if reading is None:
            return f"New Star reading: {name}"
        if not self._correcting:
            return f"Draft reading of {reading.taken_on}: {name}"
        if self.editing:
            return f"Correct the final reading of {reading.taken_on}: {name}"
        return f"Final reading of {reading.taken_on}: {name}"

    def fields(self) -> Sequence[Widget]:
        r = self._reading

        def choose(
            codes: type[CompletedBy] | type[ReadingStatus], value: str, name: str
        ) -> Select[str]:
            return Select(codes.choices(), value=value, allow_blank=False, compact=True, id=name)

        shown: list[Widget] = [
            FormField(
                "Date",
                Input(str(r.taken_on if r else self._today), compact=True, id="taken-on"),
                name="taken_on",
            ),
            FormField(
                "Completed by",
                choose(CompletedBy, r.completed_by if r else CompletedBy.TOGETHER, "completed-by"),
                name="completed_by",
            ),
            FormField(
                "Status",
                choose(ReadingStatus, r.status if r else ReadingStatus.FINAL, "status"),
                name="status",
            ),
        ]
        if self._correcting:
            reason = Input(placeholder="why the scores change", compact=True, id="reason")
            shown.append(FormField("Reason for correcting", reason, name="reason"))
        shown += [
            ScoreGrid(self._framework, dict(r.scores) if r else None, id="scores"),
            Static("", id="meaning", markup=False),
            Horizontal(
                Label("", id="area-note-label", classes="field-label", markup=False),
                Input(compact=True, id="area-note"),
                classes="note-row",
            ),
            FormField(
                "Overall notes",
                Input(r.notes if r else "", compact=True, id="notes"),
                name="notes",
            ),
        ]
        return shown

    def on_mount(self) -> None:
        if not self.editing:
            self._show_editing(False)
        self.set_focus(self.query_one(ScoreGrid))

    def _show_editing(self, editing: bool) -> None:
        """Controls open to change, or shown read-only with a button that opens them."""
        for control in self.query("#taken-on, #completed-by, #status, #area-note, #notes"):
            control.disabled = not editing
        for reason in self.query("#field-reason"):
            reason.display = editing
        self.query_one(ScoreGrid).read_only = not editing
        self.query_one(".dialog-title", Label).update(self._heading())
        verb = "Correct" if self._correcting else "Edit"
        save = self.query_one("#save", Button)
        save.label = "Save (Ctrl+S)" if editing else f"{verb} (e)"
        save.display = editing or self._may_edit
        self.query_one("#cancel", Button).label = "Cancel (Esc)" if editing else "Close (Esc)"
        self.refresh_bindings()

    def action_edit(self) -> None:
        """Start editing (a draft) or correcting (a final reading) what is shown."""
        if not self.check_action("edit", ()):
            return
        self.editing = True
        self._show_editing(True)
        self.query_one(ScoreGrid).focus()

    def action_submit(self) -> None:
        if self.editing:
            super().action_submit()
        else:  # the button under a reading being read says "Correct (e)"
            self.action_edit()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "submit":
            return self.editing
        if action == "edit":
            return not self.editing and self._may_edit
        return super().check_action(action, parameters)

    @property
    def _may_edit(self) -> bool:
        """Whether the signed-in role may change readings (see `EDIT_ACTIONS`)."""
        return bool(super().check_action("edit", ()))

    @on(ScoreGrid.Changed)
    def _cursor_moved(self, event: ScoreGrid.Changed) -> None:
        area, point = event.area, event.point
        if point == NOT_SCORED:
            meaning = f"{area.name} · not scored: left out on purpose (0 or n)."
        else:
            meaning = f"{area.name} · {point} {self._framework.label(point)}: {area.meaning(point)}"
        self.query_one("#meaning", Static).update(meaning)
        if area.code != self._note_area:
            self._note_area = area.code
            with self.prevent(Input.Changed):  # showing a note is not typing one
                self.query_one("#area-note", Input).value = self.area_notes.get(area.code, "")
        self.query_one("#area-note-label", Label).update(f"Note on {area.short_name}")

    @on(Input.Changed, "#area-note")
    def _note_typed(self, event: Input.Changed) -> None:
        self.area_notes[self._note_area] = event.value

    def values(self) -> dict[str, Any]:
        return {
            **super().values(),
            "scores": dict(self.query_one(ScoreGrid).scores),
            "area_notes": {area: note for area, note in self.area_notes.items() if note.strip()},
        }

    def check(self, data: ReadingInput) -> dict[str, str]:
        final = data.status is ReadingStatus.FINAL
        problems = area_problems(self._framework.codes, data.scores, data.area_notes, final=final)
        return {f"scores.{area}": message for area, message in problems.items()}

    def show_errors(self, errors: dict[str, str]) -> None:
        areas = {
            name.removeprefix("scores."): message
            for name, message in errors.items()
            if name.startswith("scores.")
        }
        rest = {n: message for n, message in errors.items() if not n.startswith("scores.")}
        grid = self.query_one(ScoreGrid)
        grid.show_errors(areas)
        super().show_errors(rest)
        if areas and not rest:
            count = len(areas)
            then = (
                "score each (0 if left out), or save as a draft."
                if UNSCORED in areas.values()
                else "score each (0: not scored) to keep its note."
            )
            self.show_message(f"✗ {count} area{'s' if count > 1 else ''} without a score: {then}")
            grid.focus()

    def field_labels(self) -> dict[str, str]:
        labels = super().field_labels()
        for area in self._framework.areas:
            labels[f"score.{area.code}"] = f"{area.name}: score"
            labels[f"note.{area.code}"] = f"{area.name}: note"
        return labels

    def describe(self, name: str, value: object) -> str:
        if name.startswith("score."):
            return "not scored" if value is None else str(value)
        return super().describe(name, value)

    def save(self, data: ReadingInput) -> Query[ReadingSaved]:
        if self._reading is None:
            return partial(
                create_reading, data=data, person_id=self._person_id, framework=self._framework
            )
        return partial(
            update_reading,
            data=data,
            reading_id=self._reading.id,
            version=self.edited_version,
            framework=self._framework,
        )
