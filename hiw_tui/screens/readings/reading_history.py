"""One person's Star readings by date, and the chart comparing up to three of them.

The first and the latest final readings are marked for comparison when the screen
opens; Space marks or unmarks the highlighted one (three at most). Readings made under
different frameworks are never compared: the screen says so instead of drawing them.
A corrected final reading is marked "✎", and under the table each of its corrections
says when, by whom, why, and what it changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Header, Static

from hiw_tui.db.core.models import ReadingPublic
from hiw_tui.db.readings.corrections import Correction
from hiw_tui.db.readings.readings import PersonReadings, ReadingSaved, person_readings
from hiw_tui.domain.codes import CompletedBy, ReadingStatus
from hiw_tui.domain.dates import local_day
from hiw_tui.domain.framework import Framework
from hiw_tui.domain.sensitive import HIDDEN
from hiw_tui.domain.star import first_and_latest, next_due
from hiw_tui.screens.base.work import DatabaseWork
from hiw_tui.screens.readings.reading_form import ReadingForm
from hiw_tui.widgets.detail_table import DetailTable, Row
from hiw_tui.widgets.footer import KeyFooter
from hiw_tui.widgets.star_chart import MARKS, ChartSeries, StarChart
from hiw_tui.widgets.text import short_name, user_text

CORRECTED = "✎"
"""Marks a final reading that has been corrected (its corrections show under the table)."""
SHOWN_CORRECTIONS = 3
"""Corrections of one reading listed under the table; older ones are counted."""
FRAMEWORK = 14
"""Characters of a reading's framework and version ("hiw-default v1") in the table."""
ENTERED_BY = 12
"""Characters of the name of who entered a reading: with who completed it in a word
("Participant" for "Participant only") and a framework at most FRAMEWORK long, every
column fits 80 columns beside the scrollbar of a long history."""


class ReadingHistoryScreen(DatabaseWork, Screen[None]):
    """Opening the history is audited as a view of the person's readings."""

    TITLE = "Star readings"
    EDIT_ACTIONS = frozenset({"new"})
    """Opening a reading shows it read-only: anyone who sees the history may read one."""
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("space", "mark", "Compare"),
        Binding("enter", "open", "Open (read-only)"),
        Binding("n", "new", "New reading"),
        Binding("b", "chart_mode", "Chart/bars"),
        Binding("j", "cursor(1)", "Down", show=False),
        Binding("k", "cursor(-1)", "Up", show=False),
    ]

    @dataclass
    class Loaded(Message):
        history: PersonReadings

    def __init__(self, person_id: int, *, compare_with: int | None = None) -> None:
        super().__init__()
        self.person_id = person_id
        self.history: PersonReadings | None = None
        self.marked: list[int] = []
        self._compare_with = compare_with
        """A reading to compare with the first when the history opens (a new one)."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Opening…", id="history-title", markup=False)
        yield DetailTable(
            (
                ("mark", "Cmp"),
                ("date", "Date"),
                ("status", "Status"),
                ("scored", "Scored"),
                ("by", "Completed by"),
                ("framework", "Framework"),
                ("entered", "Entered by"),
            ),
            id="readings",
        )
        yield Static("", id="corrections", markup=False)
        yield Static("", id="compare-note", markup=False)
        yield StarChart(self.hiw_app.framework, id="chart")
        yield KeyFooter()

    def on_mount(self) -> None:
        self._table.focus()
        self.reload()

    @property
    def _table(self) -> DetailTable[ReadingPublic]:
        return self.query_one("#readings", DetailTable)

    def reload(self) -> None:
        self.run_db(partial(person_readings, person_id=self.person_id), self.Loaded, write=True)

    def on_reading_history_screen_loaded(self, message: Loaded) -> None:
        first_load = self.history is None
        self.history = history = message.history
        self.sub_title = history.name
        readings = history.readings
        final = [r for r in readings if r.status == ReadingStatus.FINAL]
        span = first_and_latest(final)
        defaults = list(dict.fromkeys(r.id for r in span)) if span else []
        known = {r.id for r in readings}
        if self._compare_with in known:  # a reading just saved: compare it with the first
            self.marked = list(dict.fromkeys([*defaults[:1], self._compare_with or 0]))
        else:
            self.marked = [rid for rid in self.marked if rid in known] or defaults
        self._compare_with = None
        latest = span[1].taken_on if span else None
        due = next_due(latest, weeks=self.hiw_app.settings.reading_due_weeks, joined=history.joined)
        if not history.current:
            then = "has left"
        elif history.household_closed:
            then = "no reading due (household left)"
        elif due is None:
            then = "no reading due before the household starts"
        else:
            then = f"next reading due {due.isoformat()}"
        self.query_one("#history-title", Static).update(
            f"{history.name}: {len(readings)} reading{'s' * (len(readings) != 1)}, "
            f"{len(final)} final · {then}"
        )
        # Open at the newest; a reload keeps the cursor.
        self._fill_table(select=str(readings[-1].id) if first_load and readings else None)
        self.query_one(StarChart).hidden = history.hidden_areas
        self._compare()

    def _readings(self) -> list[ReadingPublic]:
        return self.history.readings if self.history else []

    def _fill_table(self, *, select: str | None = None) -> None:
        letters = dict(zip(self._ordered_marks(), MARKS, strict=False))
        rows = []
        framework = self.hiw_app.framework
        for reading in self._readings():
            scored = sum(1 for score in reading.scores.values() if score is not None)
            # A draft may leave areas for later: count them out of its framework's areas.
            areas = len(framework.codes if reading.framework_id == framework.id else reading.scores)
            cells = (
                Text(letters.get(reading.id, ""), style="bold"),
                Text(reading.taken_on.isoformat()),
                Text(
                    f"{reading.status.label} {CORRECTED}"
                    if self.history and reading.id in self.history.corrections
                    else reading.status.label
                ),
                Text(f"{scored}/{areas}"),
                Text(reading.completed_by.label.split()[0]),
                user_text(f"{reading.framework_id} v{reading.framework_version}", limit=FRAMEWORK),
                user_text(short_name(reading.entered_by_name, ENTERED_BY)),
            )
            rows.append(Row(str(reading.id), reading, cells))
        self._table.show(rows, select=select)

    def _ordered_marks(self) -> list[int]:
        """The marked readings oldest first, as the chart shows them (A, B, C)."""
        return [r.id for r in self._readings() if r.id in self.marked]

    def _compare(self) -> None:
        chosen = [r for r in self._readings() if r.id in self.marked]
        note = self.query_one("#compare-note", Static)
        chart = self.query_one(StarChart)
        frameworks = sorted({r.framework_id for r in chosen})
        if len(frameworks) > 1:
            note.update(
                "✗ Not compared: these readings were made under different frameworks "
                f"({', '.join(frameworks)}), whose scores mean different things."
            )
            chart.show([])
            return
        if chosen and chosen[0].framework_id != self.hiw_app.framework.id:
            note.update(f"Made under framework {chosen[0].framework_id}: areas shown by code.")
        else:
            drafts = sum(1 for r in chosen if r.status == ReadingStatus.DRAFT)
            note.update(
                "Space marks readings to compare (up to three)."
                + (" Drafts marked: they do not count until final." if drafts else "")
            )
        chart.show([ChartSeries(r.taken_on.isoformat(), dict(r.scores)) for r in chosen])

    def _current(self) -> ReadingPublic | None:
        return self._table.current

    @on(DetailTable.Highlighted, "#readings")
    def _show_corrections(self) -> None:
        reading = self._current()
        found = self.history.corrections.get(reading.id, ()) if self.history and reading else ()
        lines = Text("\n").join(
            correction_text(correction, self.hiw_app.framework)
            for correction in found[:SHOWN_CORRECTIONS]
        )
        if len(found) > SHOWN_CORRECTIONS:
            lines.append(f"\n  and {len(found) - SHOWN_CORRECTIONS} earlier corrections")
        box = self.query_one("#corrections", Static)
        box.update(lines)
        box.display = bool(found)

    def action_mark(self) -> None:
        reading = self._current()
        if reading is None:
            return
        if reading.id in self.marked:
            self.marked.remove(reading.id)
        elif len(self.marked) >= len(MARKS):
            self.notify("Compare at most three readings: unmark one with Space first.")
            return
        else:
            self.marked.append(reading.id)
        self._fill_table()
        self._compare()

    def action_cursor(self, step: int) -> None:
        self._table.move_cursor_by(step)

    def action_chart_mode(self) -> None:
        """The other shape than the one drawn (the star or the bars): the chart starts
        automatic, the star where size and colours allow, and b always changes it."""
        chart = self.query_one(StarChart)
        chart.mode = "bars" if chart.draws_star else "star"
        self.notify(f"Chart: {chart.mode}", timeout=2)

    @on(DetailTable.Chosen, "#readings")
    def _chosen(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        reading = self._current()
        if reading is None or self.history is None:
            return
        if reading.framework_id != self.hiw_app.framework.id:
            self.notify(
                f"This reading was made under framework {reading.framework_id}; "
                "it can be opened only where that framework is in use.",
                severity="warning",
            )
            return
        self._edit(reading)

    def action_new(self) -> None:
        if self.history is not None and not self.history.current:
            self.notify("This person has left the household: no new readings.")
            return
        self._edit(None)

    def _edit(self, reading: ReadingPublic | None) -> None:
        if self.history is None:
            return
        form = ReadingForm(
            person_id=self.person_id,
            person_name=self.history.name,
            framework=self.hiw_app.framework,
            today=self.hiw_app.today(),
            reading=reading,
        )
        self.app.push_screen(form, self._saved)

    def _saved(self, saved: ReadingSaved | None) -> None:
        if saved is not None:
            self._compare_with = saved.reading.id if saved.reading.id not in self.marked else None
        self.reload()

    def action_back(self) -> None:
        self.app.pop_screen()


def correction_text(correction: Correction, framework: Framework) -> Text:
    """One correction in a line or two: "✎ Corrected 2026-03-16 by Ada Adv: why. Skills
    2 → 5; note on Money". An area the reader may not see reads "hidden"."""
    text = Text.assemble(
        f"{CORRECTED} Corrected {local_day(correction.at).isoformat()} by ",
        user_text(correction.by_name),
        ": ",
        user_text(correction.reason or "(no reason recorded)"),
    )
    changed = [
        _change_words(name, old, new, framework)
        for name, (old, new) in _ordered(correction, framework)
    ]
    if changed:
        text.append(". ")
        text.append_text(user_text("; ".join(changed)))
    return text


def _ordered(correction: Correction, framework: Framework) -> list[tuple[str, list[object]]]:
    """The reading's own fields, then the areas in the framework's order (score, note)."""
    order = {code: index for index, code in enumerate(framework.codes)}

    def place(item: tuple[str, list[object]]) -> tuple[bool, int, bool, str]:
        kind, _, area = item[0].partition(".")
        return (bool(area), order.get(area, len(order)), kind != "score", item[0])

    return sorted(correction.changes.items(), key=place)


def _change_words(name: str, old: object, new: object, framework: Framework) -> str:
    kind, _, area = name.partition(".")
    if area:
        label = framework.name_of(area, short=True) if area in framework.codes else area
        if HIDDEN in (old, new):
            return f"{label} hidden"
        if kind == "note":
            return f"note on {label}"
        return f"{label} {_score(old)} → {_score(new)}"
    if name == "notes":
        return "overall notes"
    if name == "completed_by":
        return f"completed by {_completed(old)} → {_completed(new)}"
    if name == "taken_on":
        return f"date {old} → {new}"
    return f"{name.replace('_', ' ')} {old} → {new}"


def _score(value: object) -> str:
    return "n/s" if value is None else str(value)


def _completed(value: object) -> str:
    try:
        return CompletedBy(str(value)).label.lower()
    except ValueError:
        return str(value)
