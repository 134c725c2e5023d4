"""Spending kept per advocate, area, month and category (`spend_month`).

The table is never added to piecemeal: an advocate's groups are restated from the
ledger rows of their households, in the same transaction as whatever changed them. So
whatever posts to a ledger (`posting.post`), moves a household to another advocate or
area (an edit, a caseload move, an import), restates the advocates concerned, and the
kept groups are always what the ledger says; `check_spend_months` proves it.

Restating an advocate first locks their user row (`FOR NO KEY UPDATE`, which rows
naming the user do not wait for), in ascending id after the household rows the caller
locked, so that two restatements of one advocate follow each other on PostgreSQL rather
than each counting without the other's rows. Whoever restates does so last, after
every household row it writes to is locked.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from sqlalchemy import Connection, case, delete, extract, func, insert, or_
from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from hiw_tui.db.core.models import Household, User
from hiw_tui.db.ledger.models import LedgerDecision, LedgerEntry, SpendMonth
from hiw_tui.db.ledger.sums import COMMITTED, COUNTED, SPENT, WAITING
from hiw_tui.domain.casework import add_months
from hiw_tui.domain.money import pounds

ENTRIES = func.sum(case((or_(COUNTED, WAITING), 1), else_=0))
"""Spends counted or waiting (a rejected spend or a reversal is not an entry)."""
FIGURES = ("entries", "spent_pence", "waiting_pence")
BATCH = 10_000

Key = tuple[int, str, date, str]
"""(advocate id, local authority, first day of the month, category)."""
Months = tuple[date, date]
"""The first day of a month and the first day after a later month: those months."""


def months_of(days: Iterable[date]) -> Months | None:
    """The months from the earliest of `days` to the latest (None: no days)."""
    ordered = sorted(days)
    if not ordered:
        return None
    return ordered[0].replace(day=1), add_months(ordered[-1].replace(day=1), 1)


def ledger_groups(conditions: Iterable[Any] = ()) -> Any:
    """The ledger's rows grouped as `spend_month` keeps them, under `conditions` (on
    `LedgerEntry`, `Household` or `User`): advocate id, username, area, year, month,
    category, then entries, spent and waiting."""
    spent_on = col(LedgerEntry.spent_on)
    grouped = (
        col(Household.advocate_id),
        col(User.username),
        col(Household.local_authority),
        extract("year", spent_on),
        extract("month", spent_on),
        col(LedgerEntry.category),
    )
    return (
        sa_select(*grouped, ENTRIES, SPENT, COMMITTED)
        .join(Household, col(Household.id) == col(LedgerEntry.household_id))
        .join(User, col(User.id) == col(Household.advocate_id))
        .outerjoin(LedgerDecision, col(LedgerDecision.entry_id) == col(LedgerEntry.id))
        .where(*conditions)
        .group_by(*grouped)
    )


def _computed(
    session: Session | Connection, advocates: list[int] | None, months: Months | None = None
) -> dict[Key, tuple[int, ...]]:
    conditions: list[Any] = []
    if advocates is not None:
        conditions.append(col(Household.advocate_id).in_(advocates))
    if months is not None:
        spent_on = col(LedgerEntry.spent_on)
        conditions += [spent_on >= months[0], spent_on < months[1]]
    return {
        (advocate_id, area, date(int(year), int(month), 1), category): (
            int(entries),
            int(spent),
            int(waiting),
        )
        for advocate_id, _, area, year, month, category, entries, spent, waiting in session.execute(
            ledger_groups(conditions)
        )
    }


def restate_spend_months(
    session: Session | Connection,
    advocate_ids: Iterable[int] | None,
    months: Months | None = None,
) -> None:
    """Restate the kept groups of these advocates (None: of everyone) from the ledger:
    of every month, or only of `months`."""
    advocates = None if advocate_ids is None else sorted(set(advocate_ids))
    clear = delete(SpendMonth)
    if months is not None:
        kept = col(SpendMonth.month)
        clear = clear.where(kept >= months[0], kept < months[1])
    if advocates is not None:
        if not advocates:
            return
        session.execute(
            sa_select(col(User.id))
            .where(col(User.id).in_(advocates))
            .order_by(col(User.id))
            .with_for_update(key_share=True)
        ).all()
        clear = clear.where(col(SpendMonth.advocate_id).in_(advocates))
    session.execute(clear)
    rows = [
        dict(zip(("advocate_id", "local_authority", "month", "category"), key, strict=True))
        | dict(zip(FIGURES, figures, strict=True))
        for key, figures in _computed(session, advocates, months).items()
    ]
    table: Any = SpendMonth.__table__  # type: ignore[attr-defined]  # a table model
    for start in range(0, len(rows), BATCH):
        session.execute(insert(table), rows[start : start + BATCH])


def advocates_of(session: Session | Connection, household_ids: Iterable[int]) -> set[int]:
    """The advocates whose caseloads hold these households now."""
    ids = sorted(set(household_ids))
    found: set[int] = set()
    for start in range(0, len(ids), BATCH):
        found.update(
            session.execute(
                sa_select(col(Household.advocate_id))
                .where(col(Household.id).in_(ids[start : start + BATCH]))
                .distinct()
            ).scalars()
        )
    return found


def check_spend_months(session: Session) -> Iterator[str]:
    """Every kept group that differs from what the ledger's rows add up to."""
    computed = _computed(session, None)
    kept = {
        (row.advocate_id, row.local_authority, row.month, row.category): (
            row.entries,
            row.spent_pence,
            row.waiting_pence,
        )
        for row in session.execute(sa_select(SpendMonth)).scalars()
    }
    for key in sorted(computed.keys() | kept.keys()):
        if computed.get(key) != kept.get(key):
            advocate_id, area, month, category = key
            yield (
                f"spending of advocate {advocate_id} in {area}, {month:%Y-%m}, {category}:"
                f" kept as {_shown(kept.get(key))} but the ledger says {_shown(computed.get(key))}"
            )


def _shown(figures: tuple[int, ...] | None) -> str:
    if figures is None:
        return "nothing"
    entries, spent, waiting = figures
    return f"{entries} entries, {pounds(spent)} spent, {pounds(waiting)} waiting"
