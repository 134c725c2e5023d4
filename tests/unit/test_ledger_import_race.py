"""An import writing a household's spends while an advocate spends on its ledger, in two
real processes on both databases: whichever comes second is checked against what the
first spent, so the budget is never overspent and its totals stay what its rows say."""

from __future__ import annotations

import multiprocessing
from datetime import date
from multiprocessing.synchronize import Barrier, Event
from pathlib import Path
from typing import Any

from hiw_tui.db.core.engine import Database
from hiw_tui.db.core.errors import FieldError
from hiw_tui.db.core.models import UserPublic
from hiw_tui.db.ledger.check import check_ledger
from hiw_tui.db.ledger.posting import household_ledger
from hiw_tui.domain.framework import load_framework
from hiw_tui.transfer.load import import_directory
from tests.helpers.factories import POLICY, person_input, register, spend
from tests.helpers.staff import Staff

AMOUNT = 60_000  # £600 each: the import's and the advocate's cannot both fit in £1,000
SPENT_SOON = 5.0
"""Seconds the import waits for the advocate's spend before going on: long enough for a
spend nothing holds back; one the import's lock holds back waits for it instead."""
BARRIER = 60.0
"""Seconds either process waits for the other to arrive before the test fails."""


def _importer(url: str, actor: UserPublic, folder: Path, start: Barrier, spent: Event) -> bool:
    """Import `folder`; once matched and writing, let the advocate spend first."""
    database = Database(url, busy_timeout_ms=120_000)

    def progress(what: str, done: int, total: int) -> None:
        if not what.startswith("Checking") and not spent.is_set():
            start.wait(BARRIER)
            spent.wait(SPENT_SOON)
            spent.set()

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
        return result.written
    finally:
        database.dispose()


def _advocate(url: str, actor: UserPublic, household_id: int, start: Barrier, spent: Event) -> str:
    database = Database(url, busy_timeout_ms=120_000)
    try:
        start.wait(BARRIER)
        try:
            spend(database, actor, household_id, AMOUNT)
            return "spent"
        except FieldError as error:
            return "refused" if "remains" in error.message else error.message
        finally:
            spent.set()
    finally:
        database.dispose()


def test_an_import_and_a_spend_at_once_never_overspend(
    database: Database, staff: Staff, tmp_path: Path
) -> None:
    household = register(database, staff.manager, staff.ada, person_input())
    folder = tmp_path / "crm"
    folder.mkdir()
    # The household as it is held, so the import leaves its row alone and adds a spend,
    # and a new one, written (and reported as progress) before the ledger.
    (folder / "households.csv").write_text(
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
    with context.Manager() as manager, context.Pool(2) as pool:
        start: Any = manager.Barrier(2)
        spent: Any = manager.Event()
        imported = pool.apply_async(_importer, (database.url, staff.manager, folder, start, spent))
        advocate = pool.apply_async(
            _advocate, (database.url, staff.ada, household.id, start, spent)
        )
        written, outcome = imported.get(timeout=300), advocate.get(timeout=300)
    view = database.write(
        household_ledger, actor=staff.ada, household_id=household.id, policy=POLICY
    )
    assert (written, outcome) == (True, "refused")
    assert view.spent == AMOUNT
    assert database.read(check_ledger) == []
