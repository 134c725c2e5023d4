"""The rows the demo draws for a batch of households, and the ids it gives them.

Ids are assigned here, in Python, so that rows can be inserted in plain batches.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

from hiw_tui.db.casework.models import (
    Consent,
    Contact,
    ExitCheckin,
    Goal,
    Outcome,
    Plan,
    Step,
)
from hiw_tui.db.core.models import Household, Person, PersonNeed, StarReading, StarScore
from hiw_tui.db.ledger.posting import Posting
from hiw_tui.demo.story import Story

Row = dict[str, Any]

TABLES: dict[str, Any] = {
    "households": Household,
    "people": Person,
    "needs": PersonNeed,
    "readings": StarReading,
    "scores": StarScore,
    "consents": Consent,
    "plans": Plan,
    "goals": Goal,
    "steps": Step,
    "outcomes": Outcome,
    "contacts": Contact,
    "checkins": ExitCheckin,
}
"""Each list of rows and its table, in the order they are inserted (parents first)."""


@dataclass
class Rows:
    """Rows for each table of `TABLES`; referrals, made after the consents they need;
    and the budgets' postings and decisions (posted, never inserted)."""

    households: list[Row] = field(default_factory=list)
    people: list[Row] = field(default_factory=list)
    needs: list[Row] = field(default_factory=list)
    readings: list[Row] = field(default_factory=list)
    scores: list[Row] = field(default_factory=list)
    consents: list[Row] = field(default_factory=list)
    plans: list[Row] = field(default_factory=list)
    goals: list[Row] = field(default_factory=list)
    steps: list[Row] = field(default_factory=list)
    outcomes: list[Row] = field(default_factory=list)
    contacts: list[Row] = field(default_factory=list)
    checkins: list[Row] = field(default_factory=list)
    referrals: list[Row] = field(default_factory=list)
    postings: list[Posting] = field(default_factory=list)
    decisions: list[Posting] = field(default_factory=list)
    """Decisions on spends waiting for approval, posted once the spends are written."""


class Ids:
    """The last id given in each table."""

    def __init__(self) -> None:
        self.last: Counter[str] = Counter()

    def next(self, table: str) -> int:
        self.last[table] += 1
        return self.last[table]


def at(day: date, hour: int = 9) -> datetime:
    """A demo entry's time: that day at `hour` (UTC)."""
    return datetime.combine(day, time(hour), tzinfo=UTC)


@dataclass(frozen=True)
class Case:
    """The household whose case work is being drawn, and where its rows go."""

    story: Story
    household_id: int
    advocate_id: int
    supervisor_id: int
    """Their area's supervisor, who decides spends waiting for approval."""
    people: list[Row]
    into: Rows

    @property
    def householders(self) -> list[Row]:
        return [person for person in self.people if person["role"] != "member"]
