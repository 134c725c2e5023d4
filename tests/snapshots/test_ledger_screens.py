"""The support-budget screens at 80x24: the ledger, the spend form refusing an amount,
the approvals queue and the spend report."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import text, update
from textual.pilot import Pilot

from hiw_tui.db.ledger.models import BudgetCap, LedgerDecision, LedgerEntry
from hiw_tui.db.ledger.posting import reverse_spend
from hiw_tui.domain.budget import ReversalInput
from tests.helpers.clock import TODAY
from tests.helpers.factories import CAP, POLICY, spend
from tests.helpers.pilot import SIZE, fill, open_household, settle
from tests.helpers.world import World

SETTINGS = {"budget_cap_pence": CAP, "approval_threshold_pence": 25_000}


def _spending(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """Four spends on HH-001 (one waiting, one reversed), entered at a fixed time."""
    household = world.households[1].id
    ada = world.staff.ada
    spend(world.database, ada, household, "12.50", payee="Anfield Co-op [Stanley Rd]")
    view = spend(world.database, ada, household, "7.20", category="travel", payee="Merseyrail")
    spend(world.database, ada, household, "300", category="bedding", payee="Dreams Beds")
    spend(world.database, ada, household, "24", category="phone_topup", payee="Vodafone")
    world.database.write(
        reverse_spend,
        actor=ada,
        household_id=household,
        entry_id=view.lines[-1].id,
        data=ReversalInput(reason="Paid by the college"),
        today=TODAY,
        policy=POLICY,
    )
    # Entry times are shown in local time: fix both. The ledger's own rows refuse
    # updates, so this copy of the database has its update triggers dropped first.
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    at = datetime(2026, 3, 16, 9, 30, tzinfo=UTC)
    with world.database.engine.begin() as connection:
        for table in ("ledger_entry", "budget_cap", "ledger_decision"):
            connection.execute(text(f"DROP TRIGGER {table}_no_update"))
        connection.execute(update(LedgerEntry).values(entered_at=at))
        connection.execute(update(BudgetCap).values(set_at=at))
        connection.execute(update(LedgerDecision).values(decided_at=at))


def test_ledger(snap_compare, world: World, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    _spending(world, monkeypatch)

    async def run_before(pilot: Pilot[None]) -> None:
        await open_household(pilot)
        await pilot.press("b")
        await settle(pilot)

    app = world.app(world.staff.ada, **SETTINGS)
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_spend_form_refusing_an_amount(snap_compare, world: World) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot[None]) -> None:
        await open_household(pilot)
        await pilot.press("b", "n")
        await settle(pilot)
        fill(pilot, amount="12.505", category="food", payee="Anfield Co-op", spent_on="2026-03-16")
        await pilot.press("ctrl+s")
        await settle(pilot)

    app = world.app(world.staff.ada, **SETTINGS)
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


@pytest.mark.parametrize("keys", ["A", "$"], ids=["approvals", "spend-report"])
def test_supervisor_budget_screen(  # type: ignore[no-untyped-def]
    snap_compare, world: World, monkeypatch: pytest.MonkeyPatch, keys: str
) -> None:
    _spending(world, monkeypatch)
    spend(world.database, world.staff.cal, world.households[20].id, "40", spent_on=date(2026, 2, 2))

    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press(keys)
        await settle(pilot)

    app = world.app(world.staff.liverpool_supervisor, **SETTINGS)
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
