"""An import's ledger plan as the rows of the ledger's one locked path: each step a
`Posting`, naming the households, people and users by their ids, once the households and
people of the import are written."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from hiw_tui.db.ledger.models import BudgetCap, LedgerDecision, LedgerEntry
from hiw_tui.db.ledger.posting import Posting
from hiw_tui.domain.codes import EntryKind
from hiw_tui.transfer.ledger.plan import REVERSAL_REASON, AddEntry, SetCap
from hiw_tui.transfer.ledger.records import LedgerRecord
from hiw_tui.transfer.match import Matched


def ledger_postings(matched: Matched, user: Callable[[str], int], stamp: datetime) -> list[Posting]:
    """The postings of `matched.ledger`'s steps, in order. `user(username)` is the id of
    the user a row names (the importer's, for a blank); a row that says not when it was
    entered (or decided, or set) was at `stamp`."""
    ids = matched.household_ids
    entries: dict[int, LedgerEntry] = {}
    """ledger.csv row -> its new entry."""
    postings: list[Posting] = []
    for step in matched.ledger.steps:
        if isinstance(step, SetCap):
            cap = step.record
            row = BudgetCap(
                household_id=ids[step.household_ref],
                cap_pence=step.cap,
                reason=step.reason,
                set_by=user(cap.set_by if cap else ""),
                set_at=(cap.set_at if cap else None) or stamp,
                ref=(cap.ref if cap else "") or None,
            )
            postings.append(
                Posting(row.household_id, row, opens=step.opens, line=cap.row if cap else 0)
            )
            continue
        record = step.record
        household_id = ids[record.household_ref]
        if isinstance(step, AddEntry):
            entry = _entry(step, matched, user(record.entered_by), stamp)
            entries[record.row] = entry
            spend = step.reverses
            if isinstance(spend, int):
                entry.reverses_id = spend
            earlier = entries[spend.row] if isinstance(spend, LedgerRecord) else None
            postings.append(Posting(household_id, entry, spend=earlier, line=record.row))
            continue
        decision = LedgerDecision(
            entry_id=step.spend if isinstance(step.spend, int) else 0,
            decision=record.state,
            note=record.note,
            decided_by=user(record.decided_by),
            decided_at=record.decided_at or stamp,
        )
        decided = entries[record.row] if isinstance(step.spend, LedgerRecord) else None
        postings.append(Posting(household_id, decision, spend=decided, line=record.row))
    return postings


def _entry(step: AddEntry, matched: Matched, entered_by: int, stamp: datetime) -> LedgerEntry:
    record, data = step.record, step.record.data
    return LedgerEntry(
        ref=record.ref or None,
        household_id=matched.household_ids[record.household_ref],
        kind=(EntryKind.REVERSAL if record.reversal else EntryKind.SPEND).value,
        spent_on=data.spent_on,
        amount_pence=data.amount,
        category=data.category.value,
        payee=data.payee,
        description=data.description,
        receipt_ref=data.receipt_ref,
        person_id=matched.person_ids[record.person] if record.person else None,
        reason=(record.reason or REVERSAL_REASON) if record.reversal else "",
        needs_approval=record.needs_approval,
        entered_by=entered_by,
        entered_at=record.entered_at or stamp,
        idempotency_key=step.key,
    )
