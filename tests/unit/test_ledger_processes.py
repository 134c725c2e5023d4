"""Eight real processes spending against one household at once, on both databases: the
cap holds, every refusal is the cap's own, and a spend saved by all of them under one
idempotency key (a retry after a crash) is written once."""

from __future__ import annotations

import multiprocessing
from multiprocessing.synchronize import Barrier
from typing import Any

from hiw_tui.db.core.engine import Database
from hiw_tui.db.core.errors import FieldError
from hiw_tui.db.core.models import UserPublic
from hiw_tui.db.ledger.check import check_ledger
from hiw_tui.db.ledger.posting import household_ledger
from tests.helpers.factories import CAP, POLICY, person_input, register, spend
from tests.helpers.staff import Staff

PROCESSES = 8
TRIES = 5
AMOUNT = 5_000  # £50: 40 tries of £50 ask for twice the budget
RETRIED = 1_000  # £10, saved by every process under one key


def _spender(url: str, actor: UserPublic, household_id: int, start: Barrier) -> list[str]:
    database = Database(url, busy_timeout_ms=120_000)
    try:
        start.wait()
        spend(database, actor, household_id, RETRIED, key="retried-after-a-crash")
        outcomes = []
        for _ in range(TRIES):
            try:
                spend(database, actor, household_id, AMOUNT)
                outcomes.append("spent")
            except FieldError as error:
                outcomes.append("refused" if "remains" in error.message else error.message)
        return outcomes
    finally:
        database.dispose()


def test_eight_processes_never_exceed_the_cap(database: Database, staff: Staff) -> None:
    household = register(database, staff.manager, staff.ada, person_input())
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager, context.Pool(PROCESSES) as pool:
        start: Any = manager.Barrier(PROCESSES)
        runs = [
            pool.apply_async(_spender, (database.url, staff.ada, household.id, start))
            for _ in range(PROCESSES)
        ]
        outcomes = [outcome for run in runs for outcome in run.get(timeout=300)]
    view = database.write(
        household_ledger, actor=staff.ada, household_id=household.id, policy=POLICY
    )
    spent = (CAP - RETRIED) // AMOUNT
    assert sorted(set(outcomes)) == ["refused", "spent"]
    assert (outcomes.count("spent"), outcomes.count("refused")) == (spent, 40 - spent)
    assert [line.amount for line in view.lines if line.kind == "spend"].count(RETRIED) == 1
    assert view.spent == RETRIED + spent * AMOUNT <= CAP
    assert min(line.left for line in view.lines) >= 0
    assert database.read(check_ledger) == []
