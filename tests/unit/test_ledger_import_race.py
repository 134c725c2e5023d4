"""An import writing a household's spends while advocates spend on its ledger, in real
processes on both databases: whichever comes second is checked against what the first
spent, so the budget is never overspent and its totals stay what its rows say; and a
budget that moved under the import after it was checked is reported against its row,
with nothing written."""

from __future__ import annotations

import multiprocessing
import queue
import time
from datetime import date
from multiprocessing.synchronize import Barrier
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from hiw_tui.db.core.engine import Database
from hiw_tui.db.core.errors import FieldError
from hiw_tui.db.core.models import Household, HouseholdPublic, UserPublic
from hiw_tui.db.ledger.check import check_ledger
from hiw_tui.db.ledger.models import Budget
from hiw_tui.db.ledger.posting import household_ledger
from hiw_tui.domain.framework import load_framework
from hiw_tui.transfer.load import import_directory
from tests.helpers.factories import CAP, POLICY, person_input, register, spend
from tests.helpers.staff import Staff

AMOUNT = 60_000  # £600 each: the import's and the advocate's cannot both fit in £1,000
SMALL = 20_000
"""£200, under the approval threshold: three fit beside the import's £600, not four."""
SPENT_SOON = 5.0
"""Seconds the import waits for the advocates' spends before going on: long enough for a
spend nothing holds back; one the import's lock holds back waits for it instead."""
BARRIER = 60.0
"""Seconds any process waits for the others to arrive before the test fails."""


def _unlocked_budgets(session: Session, household_ids: Any) -> dict[int, Budget]:
    """The budgets as they are, read without a lock: a check that a spend can overtake."""
    budgets = session.exec(select(Budget).where(col(Budget.household_id).in_(household_ids)))
    return {budget.household_id: budget for budget in budgets}


def _importer(
    url: str, actor: UserPublic, folder: Path, start: Barrier, done: Any, unlocked: bool
) -> list[str] | None:
    """Import `folder`; once matched and writing, let the advocates spend first. With
    `unlocked`, the import checks its rows against budgets it has not locked, so a spend
    can move a budget between the check and the posting. The problems, None if written."""
    if unlocked:
        import hiw_tui.transfer.match

        hiw_tui.transfer.match.lock_budgets = _unlocked_budgets  # type: ignore[assignment]
    database = Database(url, busy_timeout_ms=120_000)
    waited: list[bool] = []

    def progress(what: str, finished: int, total: int) -> None:
        if what.startswith("Checking") or waited:
            return
        waited.append(True)
        start.wait(BARRIER)
        deadline = time.monotonic() + SPENT_SOON
        for _ in range(start.parties - 1):
            try:
                done.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                break

    try:
        result = import_directory(
            database,
            actor=actor,
            folder=folder,
            today=date(2026, 3, 31),
            framework=load_framework(),
            policy=POLICY,
            progress=progress,
        )
        return None if result.written else [str(problem) for problem in result.problems]
    finally:
        database.dispose()


def _advocate(
    url: str, actor: UserPublic, household_id: int, amount: int, start: Barrier, done: Any
) -> str:
    database = Database(url, busy_timeout_ms=120_000)
    try:
        start.wait(BARRIER)
        try:
            spend(database, actor, household_id, amount)
            return "spent"
        except FieldError as error:
            return "refused" if "remains" in error.message else error.message
        finally:
            done.put(True)
    finally:
        database.dispose()


def _race(
    database: Database,
    staff: Staff,
    folder: Path,
    household: HouseholdPublic,
    spends: list[int],
    *,
    unlocked: bool = False,
) -> tuple[list[str] | None, list[str]]:
    """Run the import of `folder` and one advocate per amount in `spends` at once."""
    (folder / "households.csv").write_text(
        # The household as it is held, so the import leaves its row alone and adds a
        # spend, and a new one, written (and reported as progress) before the ledger.
        "household_ref,local_authority,advocate,status,referral_source,start_date,end_date\n"
        f"{household.reference},{household.local_authority},{staff.ada.username},"
        f"{household.status},{household.referral_route},{household.start_date},\n"
        f"NEW-00001,{household.local_authority},{staff.ada.username},active,jcp,2026-03-02,\n",
        encoding="utf-8",
    )
    (folder / "ledger.csv").write_text(
        "household_ref,date,amount,category,description\n"
        f"{household.reference},2026-03-01,{AMOUNT / 100:.2f},furniture,Bed\n",
        encoding="utf-8",
    )
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager, context.Pool(1 + len(spends)) as pool:
        start: Any = manager.Barrier(1 + len(spends))
        done: Any = manager.Queue()
        imported = pool.apply_async(
            _importer, (database.url, staff.manager, folder, start, done, unlocked)
        )
        advocates = [
            pool.apply_async(
                _advocate, (database.url, staff.ada, household.id, amount, start, done)
            )
            for amount in spends
        ]
        return imported.get(timeout=300), [advocate.get(timeout=300) for advocate in advocates]


def _spent(database: Database, staff: Staff, household: HouseholdPublic) -> int:
    view = database.write(
        household_ledger, actor=staff.ada, household_id=household.id, policy=POLICY
    )
    assert database.read(check_ledger) == []
    return view.spent


def test_an_import_and_a_spend_at_once_never_overspend(
    database: Database, staff: Staff, tmp_path: Path
) -> None:
    household = register(database, staff.manager, staff.ada, person_input())
    problems, outcomes = _race(database, staff, tmp_path, household, [AMOUNT])
    assert (problems, outcomes) == (None, ["refused"])
    assert _spent(database, staff, household) == AMOUNT


def test_a_budget_moved_under_the_import_is_a_problem_on_its_row(
    database: Database, staff: Staff, tmp_path: Path
) -> None:
    """The import's check is made without its lock, so three £200 spends can land between
    the check and the posting. On PostgreSQL they do: the import's £600 no longer fits,
    and it reports ledger.csv row 2 (not a traceback) and writes nothing, not even the
    new household. An SQLite write transaction is exclusive, so there the spends wait
    and the third no longer fits. Either way the cap holds."""
    household = register(database, staff.manager, staff.ada, person_input())
    problems, outcomes = _race(database, staff, tmp_path, household, [SMALL] * 3, unlocked=True)
    new = database.read(
        lambda session: session.exec(
            select(Household).where(Household.reference == "NEW-00001")
        ).all()
    )
    if database.is_sqlite:
        assert (problems, sorted(outcomes)) == (None, ["refused", "spent", "spent"])
        assert _spent(database, staff, household) == AMOUNT + 2 * SMALL == CAP
        assert len(new) == 1
        return
    assert problems == [
        "ledger.csv row 2, column amount: the budget changed while importing: Only £400.00 "
        "of this household's budget remains (£600.00 spent). Import again."
    ]
    assert outcomes == ["spent"] * 3
    assert _spent(database, staff, household) == 3 * SMALL <= CAP
    assert new == []
