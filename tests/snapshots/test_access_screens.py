"""Signing in, the idle lock, the audit trail, an auditor's view of a record and the
users screen, at 80x24."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from textual.pilot import Pilot

from hiw_tui.app import HiwApp
from hiw_tui.db.access.auth import set_password
from hiw_tui.db.access.keys import add_key
from hiw_tui.db.access.leavers import deactivate_user
from hiw_tui.db.households.households import open_household
from hiw_tui.settings import Settings
from tests.helpers.clock import TODAY
from tests.helpers.pilot import SIZE, settle
from tests.helpers.world import PAGE, World


def test_sign_in(snap_compare, world: World) -> None:  # type: ignore[no-untyped-def]
    world.database.write(set_password, username="ada.adv", password="a long enough password")
    app = HiwApp(
        database=world.database,
        username="ada.adv",
        settings=Settings(page_size=PAGE),
        today=lambda: TODAY,
    )

    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press(*"wrong-password", "enter")
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_audit_trail(snap_compare, world: World, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(
        "hiw_tui.db.audit.trail.utcnow", lambda: datetime(2026, 3, 16, 9, 30, tzinfo=UTC)
    )
    for household in world.households[:3]:
        world.database.write(open_household, actor=world.staff.ada, household_id=household.id)

    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("L")
        await settle(pilot)
        await pilot.press("slash", *"ada.adv", "enter")  # rows made at the fixed time only
        await settle(pilot)

    assert snap_compare(
        world.app(world.staff.liverpool_supervisor), terminal_size=SIZE, run_before=run_before
    )


def test_record_for_an_auditor(snap_compare, world: World) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(world.app(world.staff.auditor), terminal_size=SIZE, run_before=run_before)


BENS_KEY = (
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIK9HTZUrlwLaG4wVai1TXDZu6/DPiRxnFd6zCTW+G1ew ben-phone"
)


def _leaver(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ada deactivated at a fixed time; Ben with an SSH key."""
    monkeypatch.setattr(
        "hiw_tui.db.access.leavers.utcnow", lambda: datetime(2026, 3, 13, 17, 0, tzinfo=UTC)
    )
    world.database.write(deactivate_user, actor=world.staff.manager, username="ada.adv")
    world.database.write(add_key, username="ben.adv", text=BENS_KEY)


def test_users_in_16_colours(snap_compare, world: World, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("TERM", "xterm")
    monkeypatch.setenv("COLORTERM", "")
    _leaver(world, monkeypatch)

    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("U")
        await settle(pilot)

    assert snap_compare(
        world.app(world.staff.liverpool_supervisor), terminal_size=SIZE, run_before=run_before
    )


def test_moving_a_caseload(snap_compare, world: World, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    _leaver(world, monkeypatch)

    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("U")
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        await pilot.press("enter", "down", "enter", "tab", "j", "space", "tab", *"Left")
        await settle(pilot)

    assert snap_compare(
        world.app(world.staff.liverpool_supervisor), terminal_size=SIZE, run_before=run_before
    )
