"""ledger.csv and caps.csv as `hiw-tui export` writes them: every entry (rejected spends
too) and every cap set of the households in scope, in the order they were made (by id),
so that an import into an empty database makes them again in that order, and every cell
as the import reads it back (`hiw_tui.transfer.values`)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlmodel import Session, col

from hiw_tui.db.ledger.models import BudgetCap, LedgerEntry
from hiw_tui.transfer.ledger.held import HeldEntry, cap_query, entry_query, held_cap, held_entry
from hiw_tui.transfer.ledger.records import WAITING
from hiw_tui.transfer.values import date_cell, pounds_cell, time_cell

STREAM = {"yield_per": 5_000}


def ledger_rows(session: Session, token: str, visible: Any) -> Iterator[list[Any]]:
    """ledger.csv's rows (in LEDGER's columns) for the households `visible` (an SQL
    condition on `Household`) selects."""
    statement = entry_query(token).where(visible).order_by(col(LedgerEntry.id))
    for row in session.execute(statement.execution_options(**STREAM)):
        yield _entry_cells(held_entry(*row))


def _entry_cells(entry: HeldEntry) -> list[Any]:
    amount = pounds_cell(entry.amount)
    return [
        entry.household_ref,
        date_cell(entry.spent_on),
        f"-{amount}" if entry.reversal else amount,
        entry.category,
        entry.description,
        _state(entry),
        entry.ref,
        entry.payee,
        entry.receipt_ref,
        entry.person_ref,
        entry.reverses,
        entry.reason,
        entry.entered_by,
        time_cell(entry.entered_at),
        entry.decided_by,
        time_cell(entry.decided_at),
        entry.note,
    ]


def _state(entry: HeldEntry) -> str:
    """Blank for a spend counted at once (and a reversal), else waiting or the decision."""
    if not entry.needs_approval:
        return ""
    return entry.decision or WAITING


def cap_rows(session: Session, token: str, visible: Any) -> Iterator[list[Any]]:
    """caps.csv's rows (in CAPS's columns) for the households `visible` selects."""
    statement = cap_query(token).where(visible).order_by(col(BudgetCap.id))
    for row in session.execute(statement.execution_options(**STREAM)):
        cap = held_cap(*row)
        yield [
            cap.household_ref,
            pounds_cell(cap.cap),
            cap.reason,
            cap.ref,
            cap.set_by,
            time_cell(cap.set_at),
        ]
