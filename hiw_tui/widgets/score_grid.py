"""Scoring a Star reading from the keyboard: every area in a grid, or one area at a time.

Digits 1-5 score the area under the cursor and move on to the next; 0 (or n) marks it
"not scored" on purpose. The arrows (or h/j/k/l) move between areas and points, and
Space or Enter scores the point under the cursor. `v` switches between all areas and
one area with the meaning of every point written out. A grid that is `read_only` moves
its cursor (to show each point's meaning) but scores nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from textual.binding import Binding
from textual.geometry import Offset
from textual.message import Message
from textual.widget import Widget

from hiw_tui.domain.framework import SCORES, Area, Framework

NOT_SCORED = 6
"""The cursor position of the "not scored" column, right of the five points."""
SCORED, UNSET = "●", "·"


class ScoreGrid(Widget, can_focus=True):
    """Holds `scores` (area code -> 1-5, or None when not scored); unset areas are absent."""

    DEFAULT_CSS = "ScoreGrid { height: auto; }"
    BINDINGS = [
        Binding("1", "score(1)", "Score 1-5 and move on", key_display="1-5"),
        *(Binding(str(p), f"score({p})", f"Score {p}", show=False) for p in SCORES[1:]),
        Binding("0,n", "score(None)", "Not scored", key_display="0"),
        Binding("space,enter", "score_cursor", "Score cursor", show=False),
        Binding("backspace,delete", "clear", "Clear", show=False),
        Binding("up,k", "area(-1)", "Previous area", show=False),
        Binding("down,j", "area(1)", "Next area", show=False),
        Binding("left,h", "point(-1)", "Lower", show=False),
        Binding("right,l", "point(1)", "Higher", show=False),
        Binding("v", "toggle_view", "One/all areas"),
    ]

    @dataclass
    class Changed(Message):
        """The cursor moved or a score changed: `area` and `point` are under the cursor."""

        grid: ScoreGrid
        area: Area
        point: int

    def __init__(
        self,
        framework: Framework,
        scores: dict[str, int | None] | None = None,
        *,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.framework = framework
        self.scores: dict[str, int | None] = dict(scores or {})
        self.errors: dict[str, str] = {}
        self.one_at_a_time = False
        self.read_only = False
        self.row = 0
        self.point = self._point_of(self.current_area)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (self.read_only and action in {"score", "score_cursor", "clear"})

    @property
    def current_area(self) -> Area:
        return self.framework.areas[self.row]

    def _chosen(self, area: Area) -> int | None:
        """The column chosen for `area` (a point, or NOT_SCORED), or None while unset."""
        if area.code not in self.scores:
            return None
        score = self.scores[area.code]
        return NOT_SCORED if score is None else score

    def _point_of(self, area: Area) -> int:
        return self._chosen(area) or 3

    def on_mount(self) -> None:
        self._changed()

    def _changed(self) -> None:
        self.refresh(layout=True)
        self.post_message(self.Changed(self, self.current_area, self.point))

    def show_errors(self, errors: dict[str, str]) -> None:
        """Messages beside areas (area code -> message); the cursor goes to the first."""
        self.errors = dict(errors)
        if errors:
            self.row = self.framework.codes.index(next(iter(errors)))
            self.point = self._point_of(self.current_area)
        self._changed()

    def action_score(self, score: int | None) -> None:
        area = self.current_area
        self.scores[area.code] = score
        self.errors.pop(area.code, None)
        self.point = NOT_SCORED if score is None else score
        if self.row < len(self.framework.areas) - 1:
            self.row += 1
            self.point = self._chosen(self.current_area) or self.point
        self._changed()

    def action_score_cursor(self) -> None:
        self.action_score(None if self.point == NOT_SCORED else self.point)

    def action_clear(self) -> None:
        self.scores.pop(self.current_area.code, None)
        self._changed()

    def action_area(self, step: int) -> None:
        self.row = max(0, min(len(self.framework.areas) - 1, self.row + step))
        self.point = self._chosen(self.current_area) or self.point
        self._changed()

    def action_point(self, step: int) -> None:
        self.point = max(1, min(NOT_SCORED, self.point + step))
        self._changed()

    def action_toggle_view(self) -> None:
        self.one_at_a_time = not self.one_at_a_time
        self._changed()

    def _mark(self, area: Area) -> str:
        """What the last column says of an area: its score, "not scored", or its error."""
        if area.code in self.errors:
            return f"✗ {self.errors[area.code]}"
        if area.code not in self.scores:
            return ""
        score = self.scores[area.code]
        return "not scored" if score is None else f"{score} {self.framework.label(score)}"

    def _cell(self, area: Area, row: int, point: int) -> Text:
        chosen = self._chosen(area) == point
        text = Text(f" {SCORED if chosen else UNSET} ", style="bold" if chosen else "")
        if row == self.row and point == self.point:
            text.stylize("reverse")
        return text

    def render(self) -> RenderableType:
        return self._one_area() if self.one_at_a_time else self._all_areas()

    @property
    def cursor_offset(self) -> Offset:
        """Where the cell under the cursor is drawn (the one reversed cell), at its mark:
        the terminal's cursor goes there (`hiw_tui.widgets.cursor`)."""
        console = self.app.console
        options = console.options.update_width(self.content_size.width or 1)
        for y, line in enumerate(console.render_lines(self.render(), options, pad=False)):
            x = 0
            for segment in line:
                if segment.style is not None and segment.style.reverse:
                    return Offset(x + 1, y)
                x += segment.cell_length
        return Offset(0, 0)

    def _all_areas(self) -> Table:
        table = Table.grid(padding=(0, 0), expand=True)
        table.add_column(width=2, no_wrap=True)
        names = max(len(area.name) for area in self.framework.areas) + 1
        table.add_column(width=min(names, 30), no_wrap=True, overflow="ellipsis")
        for _ in range(NOT_SCORED):
            table.add_column(width=3, no_wrap=True)
        table.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        table.add_row(
            "",
            Text("Area", style="bold"),
            *(Text(f" {p} ", style="bold") for p in SCORES),
            Text("n/s", style="bold"),
            Text(" Score", style="bold"),
        )
        for row, area in enumerate(self.framework.areas):
            mark = self._mark(area)
            table.add_row(
                Text("▶" if row == self.row else " "),
                Text(area.name + " ", style="bold" if row == self.row else ""),
                *(self._cell(area, row, point) for point in range(1, NOT_SCORED + 1)),
                Text(" " + mark, style="bold" if mark.startswith("✗") else ""),
            )
        return table

    def _one_area(self) -> Table:
        area = self.current_area
        table = Table.grid(padding=(0, 1), expand=True)
        table.add_column(width=3, no_wrap=True)
        table.add_column(no_wrap=True)
        table.add_column(ratio=1)
        position = f"area {self.row + 1} of {len(self.framework.areas)}"
        mark = self._mark(area)
        title = Text.assemble((area.name, "bold"), f" ({position})  ", (mark, "bold"))
        table.add_row("", title, "")
        for point in range(1, NOT_SCORED + 1):
            label = "n/s" if point == NOT_SCORED else f"{point} {self.framework.label(point)}"
            meaning = (
                "Left out on purpose: no score, and no change counted."
                if point == NOT_SCORED
                else area.meaning(point)
            )
            table.add_row(self._cell(area, self.row, point), Text(label), Text(meaning))
        return table
