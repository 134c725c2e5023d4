"""What the database holds that an import's ledger.csv and caps.csv rows meet (the
entries they name, the spends a reversal may reverse, the caps set), read as plain
values a chunk of keys at a time; and whether a row agrees with the row held."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import or_
from sqlalchemy import select as sa_select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from hiw_tui.db.core.models import Household, Person, User
from hiw_tui.db.ledger.models import BudgetCap, LedgerDecision, LedgerEntry
from hiw_tui.domain.codes import Decision, EntryKind
from hiw_tui.domain.dates import as_utc
from hiw_tui.transfer.chunks import chunks
from hiw_tui.transfer.identity import ref_of
from hiw_tui.transfer.ledger.records import DECIDED, WAITING, CapRecord, LedgerRecord
from hiw_tui.transfer.records import IMPORT_PAYEE
from hiw_tui.transfer.values import kept_text


@dataclass(frozen=True, slots=True)
class HeldEntry:
    """A ledger entry as held, as ledger.csv would write it."""

    id: int
    household_ref: str
    ref: str
    reversal: bool
    spent_on: date
    amount: int
    category: str
    payee: str
    description: str
    receipt_ref: str
    person_ref: str
    """The reference of whom it was for; blank: the household."""
    reverses: str
    """The reference of the spend a reversal reverses."""
    reason: str
    needs_approval: bool
    entered_by: str
    entered_at: datetime
    decision: str | None
    decided_by: str
    decided_at: datetime | None
    note: str
    reversed: bool
    """A spend that a reversal held here reverses."""


@dataclass(frozen=True, slots=True)
class HeldCap:
    id: int
    household_ref: str
    ref: str
    cap: int
    reason: str
    set_by: str
    set_at: datetime


def _utc(moment: datetime) -> datetime:
    return as_utc(moment).astimezone(UTC)


def entry_query(token: str) -> Any:
    """A select of entries with all `held_entry` makes a HeldEntry of (and their
    households, as `Household`)."""
    target, reversal = aliased(LedgerEntry, name="target"), aliased(LedgerEntry, name="reversal")
    decider = aliased(User, name="decider")
    return (
        sa_select(
            LedgerEntry,
            col(Household.reference),
            ref_of(LedgerEntry, token),
            col(User.username),
            ref_of(Person, token),
            ref_of(target, token),
            LedgerDecision,
            col(decider.username),
            col(reversal.id),
        )
        .join(Household, col(Household.id) == col(LedgerEntry.household_id))
        .join(User, col(User.id) == col(LedgerEntry.entered_by))
        .outerjoin(Person, col(Person.id) == col(LedgerEntry.person_id))
        .outerjoin(target, col(target.id) == col(LedgerEntry.reverses_id))
        .outerjoin(reversal, col(reversal.reverses_id) == col(LedgerEntry.id))
        .outerjoin(LedgerDecision, col(LedgerDecision.entry_id) == col(LedgerEntry.id))
        .outerjoin(decider, col(decider.id) == col(LedgerDecision.decided_by))
    )


def held_entries(session: Session, token: str, ids: Iterable[int]) -> dict[int, HeldEntry]:
    """id -> the entry held, for each of `ids`."""
    found: dict[int, HeldEntry] = {}
    for part in chunks(sorted(set(ids))):
        for row in session.execute(entry_query(token).where(col(LedgerEntry.id).in_(part))):
            entry = held_entry(*row)
            found[entry.id] = entry
    return found


def held_entry(
    entry: LedgerEntry,
    household_ref: str,
    ref: str,
    entered_by: str,
    person_ref: str | None,
    reverses: str | None,
    decision: LedgerDecision | None,
    decided_by: str | None,
    reversed_by: int | None,
) -> HeldEntry:
    return HeldEntry(
        id=entry.id or 0,
        household_ref=household_ref,
        ref=ref,
        reversal=entry.kind == EntryKind.REVERSAL,
        spent_on=entry.spent_on,
        amount=entry.amount_pence,
        category=entry.category,
        payee=kept_text(entry.payee),  # an erasure empties it: written (erased)
        description=entry.description,
        receipt_ref=entry.receipt_ref,
        person_ref=person_ref or "",
        reverses=reverses or "",
        reason=kept_text(entry.reason) if entry.kind == EntryKind.REVERSAL else entry.reason,
        needs_approval=entry.needs_approval,
        entered_by=entered_by,
        entered_at=_utc(entry.entered_at),
        decision=decision.decision if decision else None,
        decided_by=decided_by or "",
        decided_at=_utc(decision.decided_at) if decision else None,
        note=decision.note if decision else "",
        reversed=reversed_by is not None,
    )


def key_ids(session: Session, keys: Iterable[str]) -> dict[str, int]:
    """Idempotency key -> the id of the entry held with it, for those of `keys` held."""
    found: dict[str, int] = {}
    for part in chunks(sorted(set(keys))):
        statement = sa_select(col(LedgerEntry.idempotency_key), col(LedgerEntry.id)).where(
            col(LedgerEntry.idempotency_key).in_(part)
        )
        found.update({key: entry_id for key, entry_id in session.execute(statement)})
    return found


def open_spends(session: Session, household_ids: Iterable[int]) -> Iterator[Any]:
    """(id, household ref, amount, category, date) of the households' spends that count
    and are not reversed, oldest first: what a reversal without `reverses` may reverse."""
    reversed_ids = select(LedgerEntry.reverses_id).where(col(LedgerEntry.reverses_id).is_not(None))
    for part in chunks(sorted(set(household_ids))):
        yield from session.execute(
            sa_select(
                col(LedgerEntry.id),
                col(Household.reference),
                col(LedgerEntry.amount_pence),
                col(LedgerEntry.category),
                col(LedgerEntry.spent_on),
            )
            .join(Household, col(Household.id) == col(LedgerEntry.household_id))
            .outerjoin(LedgerDecision, col(LedgerDecision.entry_id) == col(LedgerEntry.id))
            .where(
                col(LedgerEntry.household_id).in_(part),
                col(LedgerEntry.kind) == EntryKind.SPEND,
                or_(
                    ~col(LedgerEntry.needs_approval),
                    col(LedgerDecision.decision) == Decision.APPROVED,
                ),
                col(LedgerEntry.id).not_in(reversed_ids),
            )
            .order_by(col(LedgerEntry.spent_on), col(LedgerEntry.id))
        )


def cap_query(token: str) -> Any:
    """A select of caps set with all `held_cap` makes a HeldCap of (and their
    households, as `Household`)."""
    return (
        sa_select(BudgetCap, col(Household.reference), ref_of(BudgetCap, token), col(User.username))
        .join(Household, col(Household.id) == col(BudgetCap.household_id))
        .join(User, col(User.id) == col(BudgetCap.set_by))
    )


def held_cap(cap: BudgetCap, household_ref: str, ref: str, set_by: str) -> HeldCap:
    return HeldCap(
        cap.id or 0,
        household_ref,
        ref,
        cap.cap_pence,
        kept_text(cap.reason),
        set_by,
        _utc(cap.set_at),
    )


def held_caps(session: Session, token: str, household_ids: Iterable[int]) -> list[HeldCap]:
    """Every cap set of the households, in the order set."""
    caps: list[HeldCap] = []
    for part in chunks(sorted(set(household_ids))):
        statement = cap_query(token).where(col(BudgetCap.household_id).in_(part))
        caps.extend(held_cap(*row) for row in session.execute(statement))
    return sorted(caps, key=lambda cap: cap.id)


def same_cap(record: CapRecord, held: HeldCap) -> Iterator[tuple[str, bool]]:
    """(column, whether the row agrees with the cap held) for each column it sets."""
    yield "cap", record.cap == held.cap
    yield "reason", record.reason == held.reason
    if record.set_by:
        yield "set_by", record.set_by == held.set_by
    if record.set_at is not None:
        yield "set_at", record.set_at == held.set_at


def same_entry(record: LedgerRecord, held: HeldEntry) -> Iterator[tuple[str, bool]]:
    """(column, whether the row agrees with the entry held) for each column it sets; a
    blank who, when or why cell (entered_by, payee, ...) says nothing."""
    data, given = record.data, record.columns
    yield "amount", (record.reversal, data.amount) == (held.reversal, held.amount)
    yield "date", data.spent_on == held.spent_on
    yield "category", data.category.value == held.category
    yield "description", data.description == held.description
    if data.payee != IMPORT_PAYEE:
        yield "payee", data.payee == held.payee
    if "receipt_ref" in given:
        yield "receipt_ref", data.receipt_ref == held.receipt_ref
    if "person_ref" in given:
        yield "person_ref", record.person == held.person_ref.upper()
    for column, wanted, kept in (
        ("reverses", record.reverses, held.reverses),
        ("reason", record.reason, held.reason),
        ("entered_by", record.entered_by, held.entered_by),
    ):
        if wanted:
            yield column, wanted == kept
    if record.entered_at is not None:
        yield "entered_at", record.entered_at == held.entered_at
    yield "state", same_state(record.state, held)
    if held.decision is not None and record.state == held.decision:
        if record.decided_by:
            yield "decided_by", record.decided_by == held.decided_by
        if record.decided_at is not None:
            yield "decided_at", record.decided_at == held.decided_at
        if "decision_note" in given:
            yield "decision_note", record.note == held.note


def same_state(state: str, held: HeldEntry) -> bool:
    """Whether a row's state agrees with the entry held: a blank one with any entry that
    counts (an export before decisions were written left an approved spend blank); an
    approval or rejection with a spend still waiting, which it decides."""
    if not held.needs_approval:
        return state == ""
    if held.decision is None:
        return state in (WAITING, *DECIDED)
    return state == held.decision or (state == "" and held.decision == Decision.APPROVED)
