"""A household's timeline as read models, and what its builders share while reading it.

The timeline is built by `hiw_tui.db.casework.timeline` from the household's own rows
(`timeline_case`, `timeline_support`) and, where a row keeps only its latest state, from
the audit trail. Its events are in words already, so every screen and test reads the
same sentences; a person's typed text stays as typed (a screen shows it as text).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from hiw_tui.db.core.models import Household, ReadModel
from hiw_tui.domain.codes import Coded
from hiw_tui.domain.framework import Framework
from hiw_tui.domain.sensitive import Sight


class TimelineKind(Coded):
    """What an event is about, in the order events of one day are listed."""

    CASE = "case"
    """The household's case: referral received, support started, registered in full."""
    MEMBER = "member"
    PLAN = "plan"
    STEP = "step"
    READING = "reading"
    REFERRAL = "referral"
    OUTCOME = "outcome"
    CONTACT = "contact"
    BUDGET = "budget"
    EXIT = "exit"
    """Leaving the programme, and the check-ins after it."""


KIND_ORDER = {kind: rank for rank, kind in enumerate(TimelineKind)}


class TimelineEvent(ReadModel):
    """One thing that happened to the household, on one day."""

    on: date
    kind: TimelineKind
    what: str
    """What happened, in a line: "Reading: Skills 2→4 (+2)", "Referral to CAB: accepted"."""
    detail: str = ""
    """The rest of it, for below the table."""
    person_id: int | None = None
    """The member it is about; None for the household as a whole."""
    item_id: int | None = None
    """The row it is about (a reading, plan, step, referral, outcome, contact, ledger
    entry or check-in), for opening it."""
    with_ids: tuple[int, ...] = ()
    """Members it involves besides `person_id` (who took part in a contact): filtering
    the timeline to one of them keeps it."""

    def involves(self, person_id: int) -> bool:
        return person_id == self.person_id or person_id in self.with_ids


class TimelinePerson(ReadModel):
    """A member, current or former, whose events the timeline may be filtered to."""

    id: int
    name: str
    left_on: date | None


class Timeline(ReadModel):
    """A household's events, oldest first (events of one day in `TimelineKind` order)."""

    household_id: int
    reference: str
    people: tuple[TimelinePerson, ...]
    events: tuple[TimelineEvent, ...]
    hidden: str = ""
    """What this reader does not see of it, in words ("" when they see everything)."""


def day_of(value: Any) -> date | None:
    """A date as the audit trail keeps it (ISO text), or None for anything else."""
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


@dataclass(frozen=True)
class Change:
    """An audit row the timeline reads, its changes as the reader may see them."""

    entity: str
    entity_id: int
    action: str
    on: date
    """The day it was recorded."""
    changes: dict[str, Any]

    def new(self, name: str) -> Any:
        """The value `name` was set to (None when the row did not change it)."""
        values = self.changes.get(name)
        return values[1] if isinstance(values, list) and len(values) == 2 else None

    def status_set(self) -> tuple[str, date] | None:
        """The status this row set an item to (its creation, or a change of status) and
        its day: the status date it set with it, else the day it was recorded."""
        status = self.new("status")
        if not isinstance(status, str) or not status:
            return None
        return status, day_of(self.new("status_on")) or self.on


@dataclass(frozen=True)
class Context:
    """What every builder needs: the household, its people's names, what the reader may
    see, the Star framework (for area names), and its audit rows by (entity, id)."""

    household: Household
    names: dict[int, str]
    seen: Sight
    framework: Framework
    history: dict[tuple[str, int], list[Change]]

    @property
    def household_id(self) -> int:
        return self.household.id or 0

    def changes_of(self, entity: str, entity_id: int | None) -> list[Change]:
        return self.history.get((entity, entity_id or 0), [])

    def name(self, person_id: int | None) -> str:
        return self.names.get(person_id or 0, "the household")


def status_days(changes: Iterable[Change]) -> list[tuple[str, date]]:
    """(status, day) each of an item's audit rows set it to, oldest first."""
    return [found for change in changes if (found := change.status_set()) is not None]


def label(codes: type[Coded], value: str | None) -> str:
    """A stored code's label (the code itself for one no longer in the list)."""
    if not value:
        return ""
    try:
        return codes(value).label
    except ValueError:
        return value
