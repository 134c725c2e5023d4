"""A member's Star progress in brief: for the members table and the member's details."""

from __future__ import annotations

from datetime import date

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from hiw_tui.db.core.models import StarSummary
from hiw_tui.domain.framework import Framework
from hiw_tui.domain.star import change_mark, next_due
from hiw_tui.widgets.text import due_text


def star_brief(summary: StarSummary | None) -> str:
    """Areas up and down since the first reading, e.g. "▲5 ▼1"; or how many readings."""
    if summary is None:
        return "none"
    if summary.readings - summary.set_aside < 2:
        return "1 reading"
    ups = sum(1 for change in summary.changes.values() if change and change > 0)
    downs = sum(1 for change in summary.changes.values() if change and change < 0)
    return f"▲{ups} ▼{downs}"


def star_detail(
    summary: StarSummary | None,
    framework: Framework,
    *,
    weeks: int,
    joined: date | None,
    today: date,
) -> RenderableType:
    """The latest scores with the change since the first, and when the next is due
    (`joined`: the household's start date, None while it is only referred), marked "!"
    once overdue, as the list and My week mark it."""
    due = next_due(summary.latest_on if summary else None, weeks=weeks, joined=joined)
    when = f"due {due_text(due, today).lstrip()}" if due else "due once the household starts"
    if summary is None:
        return Text(f"Star: no final reading yet · {when} (s to score)")
    compared = summary.readings - summary.set_aside
    since = f"; change since {summary.first_on.isoformat()}" if compared > 1 else ""
    heading = Text(
        f"Star {summary.latest_on.isoformat()} ({summary.readings} final{since}) · next {when}"
    )
    if summary.set_aside:
        heading.append(f" · {summary.set_aside} under another framework, not compared")
    grid = Table.grid(padding=(0, 1), expand=True)
    for _ in range(4):
        grid.add_column(no_wrap=True)
        grid.add_column(no_wrap=True)
    cells: list[Text] = []
    for area in framework.areas:
        score = summary.latest.get(area.code)
        change = summary.changes.get(area.code)
        mark = change_mark(change) if compared > 1 and change is not None else ""
        shown = "n/s" if score is None else str(score)
        cells += [Text(area.short_name, style="bold"), Text(f"{shown} {mark}".rstrip())]
    for start in range(0, len(cells), 8):
        grid.add_row(*cells[start : start + 8])
    return Group(heading, grid)
