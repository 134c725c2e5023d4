"""A household's timeline driven from the keyboard at 80x24: opened from the record with
T, filtered by kind and by member, each line opening its item, Esc back; for an
advocate, a supervisor and an auditor."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from hiw_tui.app import HiwApp
from hiw_tui.db.casework.timeline_models import TimelineEvent, TimelineKind
from hiw_tui.screens.casework.plan import PlanScreen
from hiw_tui.screens.casework.referrals import ReferralsScreen
from hiw_tui.screens.household.household_record import HouseholdRecordScreen
from hiw_tui.screens.household.timeline import TimelineScreen
from hiw_tui.screens.readings.reading_history import ReadingHistoryScreen
from hiw_tui.widgets.detail_table import DetailTable
from hiw_tui.widgets.tables import LeanTable
from tests.helpers.pilot import SIZE, lines_with, screen_text, settle
from tests.helpers.timeline import Lived, lived_household, recorded_on
from tests.helpers.world import World

KINDS = [kind.label for kind in TimelineKind]


@pytest.fixture
def lived(world: World, monkeypatch: pytest.MonkeyPatch) -> Lived:
    return lived_household(world.database, world.staff, recorded_on(monkeypatch))


async def _timeline(pilot: Pilot[None], household_id: int) -> TimelineScreen:
    """From the household's record, T."""
    app = pilot.app
    assert isinstance(app, HiwApp)
    await settle(pilot)
    app.open_household(household_id)
    await settle(pilot)
    assert isinstance(app.screen, HouseholdRecordScreen)
    await pilot.press("T")
    await settle(pilot)
    assert isinstance(app.screen, TimelineScreen)
    return app.screen


async def _choose(pilot: Pilot[None], key: str, place: int) -> None:
    """Open a filter's choices (`/` kind, `m` member) and take the one at `place` (1 is
    the first after "every kind" or "everyone")."""
    await pilot.press(key, "enter", *["down"] * place, "enter")
    await settle(pilot)


def _shown(screen: TimelineScreen) -> list[TimelineEvent]:
    table: DetailTable[TimelineEvent] = screen.query_one("#timeline", DetailTable)
    return [row.item for row in table.rows]


def _current(screen: TimelineScreen) -> TimelineEvent:
    event = screen.query_one("#timeline", DetailTable).current
    assert isinstance(event, TimelineEvent)
    return event


async def test_an_advocate_filters_by_kind_opens_a_referral_and_comes_back(
    world: World, lived: Lived
) -> None:
    app = world.app(world.staff.ada)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _timeline(pilot, lived.household_id)
        events = screen.timeline.events if screen.timeline else ()
        assert f"TL-001: {len(events)} events, oldest first" in screen_text(app)
        # It opens at the newest event, with its row on the screen.
        assert _current(screen) == events[-1]
        assert screen.query_one(LeanTable).rows_below == 0
        await _choose(pilot, "slash", KINDS.index("Referral") + 1)
        shown = _shown(screen)
        assert [event.what.split(": ")[-1] for event in shown] == [
            "made",
            "accepted",
            "made (onward)",
        ]
        assert f"{len(events)} events, 3 shown" in screen_text(app)
        assert screen.query_one(LeanTable).has_focus  # back at the events, filtered
        await pilot.press("k", "enter")  # the referral accepted
        await settle(pilot)
        referrals = app.screen
        assert isinstance(referrals, ReferralsScreen)
        current = referrals.current()
        assert current is not None and current.status == "accepted"
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen and len(_shown(screen)) == 3  # the filter kept
        await pilot.press("x")
        await settle(pilot)
        assert len(_shown(screen)) == len(events)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HouseholdRecordScreen)


async def test_a_step_opens_the_plan_at_that_step(world: World, lived: Lived) -> None:
    app = world.app(world.staff.ada)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _timeline(pilot, lived.household_id)
        await _choose(pilot, "slash", KINDS.index("Step") + 1)
        assert [event.what for event in _shown(screen)] == [
            "Step planned: Write a CV",
            "Step done: Write a CV",
        ]
        await pilot.press("enter")
        await settle(pilot)
        plan = app.screen
        assert isinstance(plan, PlanScreen)
        _goal, step = plan.query_one("#plan-rows", DetailTable).current
        assert step is not None and step.description == "Write a CV"
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen


async def test_a_supervisor_filters_by_member(world: World, lived: Lived) -> None:
    app = world.app(world.staff.liverpool_supervisor)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _timeline(pilot, lived.household_id)
        await _choose(pilot, "m", 2)  # Sam, who left, and took part in a welfare check
        assert [event.what for event in _shown(screen)] == [
            "Joined: Sam Lived (secondary householder)",
            "Contact (phone): Welfare check",
            "Left: Sam Lived",
        ]
        assert lines_with(app, "Sam Lived") and not lines_with(app, "Jo Lived")
        await pilot.press("enter")  # a member's leaving is on the record
        await settle(pilot)
        assert isinstance(app.screen, HouseholdRecordScreen)
        await pilot.press("T")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TimelineScreen)
        await _choose(pilot, "m", 1)
        await _choose(pilot, "slash", KINDS.index("Reading") + 1)
        assert [event.what.split(":")[0] for event in _shown(screen)] == [
            "First reading",
            "Reading",
        ]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReadingHistoryScreen)
        assert app.screen.marked == [_shown(screen)[0].item_id, _shown(screen)[1].item_id]
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
        await pilot.press("m", "escape")  # from a filter, Esc goes back to the events
        await settle(pilot)
        assert app.screen is screen and screen.query_one(LeanTable).has_focus


async def test_an_auditor_reads_the_timeline_without_the_health_areas(
    world: World, lived: Lived
) -> None:
    app = world.app(world.staff.auditor)
    async with app.run_test(size=SIZE) as pilot:
        await _timeline(pilot, lived.household_id)
        assert "scores are hidden" in screen_text(app)
        await _choose(pilot, "slash", KINDS.index("Reading") + 1)
        shown = screen_text(app).replace("Physical Health and Emotional Health scores", "")
        assert "Reading: Skills 2→4 (+2)" in shown
        assert "Physical" not in shown and "Emotional" not in shown
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReadingHistoryScreen)


async def test_an_auditors_timeline_opens_with_its_newest_event_in_sight(
    world: World, lived: Lived
) -> None:
    """The line saying which areas are hidden grew the heading after the cursor was put
    on the newest event: the table shrank under it, and the event the detail described
    lay under "more below"."""
    app = world.app(world.staff.auditor)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _timeline(pilot, lived.household_id)
        table = screen.query_one(LeanTable)
        assert "scores are hidden" in screen_text(app)
        assert table.row_count > 10 and table.cursor_row == table.row_count - 1
        assert table.rows_below == 0, "the highlighted event shows"


async def test_a_filter_keeps_its_choice_on_esc_and_its_prompt_takes_none(
    world: World, lived: Lived
) -> None:
    app = world.app(world.staff.ada)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _timeline(pilot, lived.household_id)
        every = len(_shown(screen))
        await _choose(pilot, "slash", KINDS.index("Referral") + 1)
        assert "Referral ▾" in screen_text(app).splitlines()[1]
        await pilot.press("slash", "enter", "down", "escape")  # opened, moved, left
        await settle(pilot)
        assert app.screen is screen and len(_shown(screen)) == 3
        await pilot.press("slash", "enter")
        await settle(pilot)
        assert "Kind: Enter takes one, Esc leaves it" in screen_text(app)
        await pilot.press("home", "enter")  # the prompt: every kind again
        await settle(pilot)
        assert len(_shown(screen)) == every
        assert "Every kind ▾" in screen_text(app).splitlines()[1]


async def test_filters_that_match_nothing_say_so_not_that_nothing_is_recorded(
    world: World, lived: Lived
) -> None:
    app = world.app(world.staff.ada)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _timeline(pilot, lived.household_id)
        await _choose(pilot, "m", 2)  # Sam: joined, a welfare check, left; no reading
        await _choose(pilot, "slash", KINDS.index("Reading") + 1)
        assert _shown(screen) == []
        assert "Nothing matches these filters: x shows every event." in screen_text(app)
        assert "Nothing recorded yet." not in screen_text(app)


async def test_a_members_event_goes_back_to_the_record_at_that_member(
    world: World, lived: Lived
) -> None:
    app = world.app(world.staff.ada)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _timeline(pilot, lived.household_id)
        await _choose(pilot, "slash", KINDS.index(TimelineKind.MEMBER.label) + 1)
        whats = [event.what for event in _shown(screen)]
        kim = next(at for at, what in enumerate(whats) if what.startswith("Joined: Kim"))
        await pilot.press("g", *["j"] * kim, "enter")
        await settle(pilot)
        record = app.screen
        assert isinstance(record, HouseholdRecordScreen)
        member = record.query_one("#members", DetailTable).current
        assert member is not None and member.given_name == "Kim", whats


async def test_a_former_members_event_says_they_left_back_on_the_record(
    world: World, lived: Lived
) -> None:
    app = world.app(world.staff.ada)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await _timeline(pilot, lived.household_id)
        await _choose(pilot, "slash", KINDS.index(TimelineKind.MEMBER.label) + 1)
        whats = [event.what for event in _shown(screen)]
        sam = next(at for at, what in enumerate(whats) if what.startswith("Left: Sam"))
        await pilot.press("g", *["j"] * sam)
        await settle(pilot)
        assert "Enter: back to the record, which lists them under Former members" in (
            screen_text(app)
        )
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HouseholdRecordScreen)
        said = [notice.message for notice in app._notifications]
        assert said == ["Sam Lived left on 2026-02-20: they are listed under Former members."]
