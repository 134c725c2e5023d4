"""Targets beside the figures measured for them, as every benchmark prints them."""

from __future__ import annotations

from typing import NamedTuple


class Target(NamedTuple):
    """One target: what, its limit and the worst figure measured for it."""

    label: str
    measured: float
    limit: float
    shape: str
    """How a figure is written, e.g. "{:.0f} ms"."""

    @property
    def met(self) -> bool:
        return self.measured <= self.limit


def table(rows: list[Target]) -> str:
    """A Markdown table of `rows`, each said met or missed."""
    lines = ["| target | at most | measured | met |", "|---|---|---|---|"]
    for row in rows:
        verdict = "met" if row.met else "missed"
        lines.append(
            f"| {row.label} | {row.shape.format(row.limit)} | {row.shape.format(row.measured)}"
            f" | {verdict} |"
        )
    return "\n".join(lines)
