"""The records of ledger.csv and caps.csv, each read from a row by the forms' rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from hiw_tui.domain.budget import CapInput, DecisionInput, ReversalInput, SpendInput
from hiw_tui.domain.codes import Decision
from hiw_tui.transfer.cell_checks import collect, iso_date, read_cell, required
from hiw_tui.transfer.files import (
    LEDGER,
    FileSpec,
)
from hiw_tui.transfer.problems import RowError
from hiw_tui.transfer.records import IMPORT_PAYEE
from hiw_tui.transfer.values import read_time

WAITING = "waiting"
"""ledger.csv `state` of a spend still waiting for a supervisor's approval."""
DECIDED = (Decision.APPROVED.value, Decision.REJECTED.value)
"""ledger.csv `state`s of a spend that waited and was decided."""
STATES = ("", "spent", WAITING, *DECIDED)
"""ledger.csv `state`s: blank or `spent` for a spend counted at once (and a reversal)."""


@dataclass(frozen=True, slots=True)
class LedgerRecord:
    """A row of ledger.csv: a spend, or the reversal of one. Blank who and when cells
    (entered_by, entered_at, decided_by, decided_at) are the importer and the import's
    time."""

    row: int
    household_ref: str
    data: SpendInput
    reversal: bool
    """A negative amount: the reversal of an earlier spend, the one `reverses` names or
    else the oldest of the same amount and category."""
    state: str = ""
    """Blank (counted at once), `waiting`, `approved` or `rejected`."""
    ref: str = ""
    person: str = ""
    """person_ref: whom the spend was for; blank, the household. (Not `person_ref`, which
    names the person whose row it is: a ledger row is its household's.)"""
    reverses: str = ""
    reason: str = ""
    entered_by: str = ""
    entered_at: datetime | None = None
    decided_by: str = ""
    decided_at: datetime | None = None
    note: str = ""
    columns: frozenset[str] = frozenset()
    """The file's optional columns (one it lacks says nothing about an entry held)."""

    @property
    def needs_approval(self) -> bool:
        return self.state not in ("", "spent")

    @property
    def waiting(self) -> bool:
        return self.state == WAITING


@dataclass(frozen=True, slots=True)
class CapRecord:
    """A row of caps.csv: a budget's cap as set (its opening cap, or a raise)."""

    row: int
    household_ref: str
    cap: int
    reason: str
    ref: str = ""
    set_by: str = ""
    set_at: datetime | None = None


def read_spend(row: int, raw: dict[str, str]) -> LedgerRecord:
    required(raw, "household_ref", "amount")
    problems: list[tuple[str, str]] = []
    state = raw.get("state", "")
    amount = raw["amount"].replace(" ", "")
    reversal = amount.startswith("-")
    if state not in STATES:
        expected = "'spent', 'waiting', 'approved' or 'rejected'"
        problems.append(("state", f"{state!r} is not a state here; expected {expected}"))
    elif reversal and state not in ("", "spent"):
        problems.append(("state", f"a reversal (a negative amount) cannot be {state}"))
    for column in ("reverses", "reason"):
        if raw.get(column) and not reversal:
            problems.append((column, "only a reversal (a negative amount) has one"))
    for column in ("decided_by", "decided_at", "decision_note"):
        if raw.get(column) and state not in DECIDED:
            problems.append((column, "only an approved or rejected spend has one"))
    why = (
        collect(problems, ReversalInput, {"reason": raw["reason"]}, {})
        if raw.get("reason")
        else None
    )
    decided = None
    if state in DECIDED:
        note = {"decision": state, "note": raw.get("decision_note", "")}
        decided = collect(problems, DecisionInput, note, {"note": "decision_note"})
    times = {
        name: read_cell(read_time, raw, name, problems) for name in ("entered_at", "decided_at")
    }
    values = {
        "amount": amount.removeprefix("-"),
        "category": raw["category"],
        "payee": raw.get("payee") or IMPORT_PAYEE,
        "description": raw["description"],
        "receipt_ref": raw.get("receipt_ref", ""),
        "spent_on": iso_date(raw["date"]),
    }
    data = collect(problems, SpendInput, values, {"spent_on": "date"})
    if problems or data is None:
        raise RowError(problems)
    return LedgerRecord(
        row,
        raw["household_ref"].upper(),
        data,
        reversal,
        "" if state == "spent" else state,
        raw.get("entry_ref", ""),
        raw.get("person_ref", "").upper(),
        raw.get("reverses", ""),
        why.reason if why else "",
        raw.get("entered_by", "").lower(),
        times["entered_at"],
        raw.get("decided_by", "").lower(),
        times["decided_at"],
        decided.note if decided else "",
        _optional_columns(LEDGER, tuple(raw)),
    )


def read_cap(row: int, raw: dict[str, str]) -> CapRecord:
    required(raw, "household_ref", "cap")
    problems: list[tuple[str, str]] = []
    set_at = read_cell(read_time, raw, "set_at", problems)
    data = collect(problems, CapInput, {"cap": raw["cap"], "reason": raw["reason"]}, {})
    if problems or data is None:
        raise RowError(problems)
    return CapRecord(
        row,
        raw["household_ref"].upper(),
        data.cap,
        data.reason,
        raw.get("cap_ref", ""),
        raw.get("set_by", "").lower(),
        set_at,
    )


@cache
def _optional_columns(spec: FileSpec, header: tuple[str, ...]) -> frozenset[str]:
    """The optional columns of `spec` a header has (one set per header, not per row)."""
    return frozenset(name for name in spec.optional if name in header)
