"""The case-work screens as an advocate sees them at 80x24."""

from __future__ import annotations

import time
from collections.abc import Callable, Coroutine
from datetime import UTC, date, datetime
from typing import Any

import pytest
from textual.pilot import Pilot

from hiw_tui.db.casework.contacts import save_contact
from hiw_tui.db.casework.outcomes import save_outcome
from hiw_tui.db.casework.referrals import save_referral
from hiw_tui.domain.case_inputs import ContactInput, OutcomeInput, ReferralInput
from tests.helpers.factories import add_partner, consent_to_share
from tests.helpers.pilot import SIZE, fill, open_household, settle
from tests.helpers.world import World, plan_goal, solo_case

Steps = Callable[[Pilot[None]], Coroutine[Any, Any, None]]


def _keys(*keys: str, row: int = 1) -> Steps:
    async def run_before(pilot: Pilot[None]) -> None:
        await open_household(pilot, row=row)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)

    return run_before


def _case_history(world: World) -> None:
    """A goal with two steps, a referral, a job and a welfare check for HH-001."""
    household = world.households[1]
    person = household.members[0].id
    plan_goal(world)
    bank = add_partner(world.database, world.staff.ada, "Anfield Food Bank [North]")
    consent_to_share(world.database, world.staff.ada, household, bank)
    day = date(2026, 3, 2)
    for save, data in (
        (
            save_referral,
            ReferralInput(
                person_id=person, partner_id=bank, purpose="Food parcel", made_on=day, status_on=day
            ),
        ),
        (
            save_outcome,
            OutcomeInput(
                person_id=person, kind="job", organisation="Mersey Bakery", start_on=day, hours=20
            ),
        ),
        (
            save_contact,
            ContactInput(
                contacted_on=day, mode="phone", purpose="Welfare check", recontact="weekly"
            ),
        ),
    ):
        world.database.write(save, actor=world.staff.ada, household_id=household.id, data=data)


SCREENS = {
    "plan": ("p",),
    "goal-form": ("p", "g"),
    "step-form": ("p", "j", "j", "enter"),
    "plan-history": ("p", "h"),
    "referrals": ("f",),
    "referral-form": ("f", "n"),
    "partners": ("f", "P"),
    "outcomes": ("o",),
    "contacts": ("c",),
    "contact-form": ("c", "n"),
    "consent": ("K",),
    "consent-form": ("K", "n"),
    "my-week": ("w",),
}
"""Each case-work screen, and the keys from the record that open it."""


@pytest.mark.parametrize("name", SCREENS)
def test_case_work_screen(  # type: ignore[no-untyped-def]
    snap_compare, world: World, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The plan's history shows when each change was made, in local time: fix both.
    # (Audit rows cannot be changed once written, so the clock is fixed before.)
    monkeypatch.setattr(
        "hiw_tui.db.audit.trail.utcnow", lambda: datetime(2026, 3, 16, 9, 30, tzinfo=UTC)
    )
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    _case_history(world)
    assert snap_compare(
        world.app(world.staff.ada), terminal_size=SIZE, run_before=_keys(*SCREENS[name])
    )


def test_outcome_form_says_when_a_job_counts(snap_compare, world: World) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot[None]) -> None:
        await _keys("o", "n")(pilot)
        fill(pilot, kind="job", organisation="Mersey Bakery", start_on="2026-03-02", hours="16")
        await pilot.pause()

    assert snap_compare(world.app(world.staff.ada), terminal_size=SIZE, run_before=run_before)


def test_exit_form(snap_compare, world: World) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(world.app(world.staff.ada), terminal_size=SIZE, run_before=_keys("X"))


def test_short_term_question(snap_compare, world: World) -> None:  # type: ignore[no-untyped-def]
    solo_case(world, "short_term", date(2025, 12, 1))
    assert snap_compare(world.app(world.staff.ada), terminal_size=SIZE, run_before=_keys(row=0))
