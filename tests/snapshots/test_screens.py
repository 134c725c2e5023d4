"""The main screens as a person sees them at 80x24 (update with: pytest --snapshot-update)."""

from __future__ import annotations

from datetime import date

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from tests.helpers.factories import add_reading, person_input, reading_input, register
from tests.helpers.pilot import SIZE, settle
from tests.helpers.world import World, add_three_readings, save_over_a_colleagues_change


def test_household_list(snap_compare, world: World) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(world.app(), terminal_size=SIZE, run_before=settle)


def test_household_list_without_colour(
    snap_compare, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(world.app(), terminal_size=SIZE, run_before=settle)


def test_household_list_for_an_advocate(snap_compare, world: World) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(world.app(world.staff.ada), terminal_size=SIZE, run_before=settle)


async def _open_record(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await pilot.press("j", "enter")
    await settle(pilot)


def test_household_record(snap_compare, world: World) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(world.app(), terminal_size=SIZE, run_before=_open_record)


def test_the_record_of_a_referral_not_started(snap_compare, world: World) -> None:  # type: ignore[no-untyped-def]
    register(
        world.database,
        world.staff.manager,
        world.staff.ada,
        person_input(),
        reference="HA-000",  # first in the list
        status="referred",
        start_date=None,
        referred_on=date(2026, 3, 9),
    )
    assert snap_compare(world.app(), terminal_size=SIZE, run_before=_open_record_first)


async def _open_record_first(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)


def test_household_form_with_errors(snap_compare, world: World) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot[None]) -> None:
        await _open_record(pilot)
        await pilot.press("e")
        await settle(pilot)
        pilot.app.screen.query_one("#start-date", Input).value = "2026-13-01"
        pilot.app.screen.query_one("#reference", Input).value = "?"
        await pilot.press("ctrl+s")
        await settle(pilot)
        pilot.app.screen.query_one("#status").focus()
        await pilot.pause()

    assert snap_compare(world.app(), terminal_size=SIZE, run_before=run_before)


def test_person_form(snap_compare, world: World) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot[None]) -> None:
        await _open_record(pilot)
        await pilot.press("a")
        await settle(pilot)

    assert snap_compare(world.app(), terminal_size=SIZE, run_before=run_before)


def test_conflict(snap_compare, world: World) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot[None]) -> None:
        await _open_record(pilot)
        await save_over_a_colleagues_change(
            pilot,
            world,
            1,
            mine="Restart 2023, left after six months",
            previous_programmes=(
                "Work Programme 2019 to 2021, then Restart from March 2023: left after six "
                "months when the childcare fell through; keen to try again with a part-time "
                "role close to home and help with travel costs."
            ),
        )

    assert snap_compare(world.app(), terminal_size=SIZE, run_before=run_before)


def test_help(snap_compare, world: World) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot[None]) -> None:
        await _open_record(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(world.app(), terminal_size=SIZE, run_before=run_before)


def test_help_on_the_list(snap_compare, world: World) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(world.app(), terminal_size=SIZE, run_before=run_before)


def test_household_list_for_a_supervisor_in_16_colours(
    snap_compare, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("TERM", "xterm")
    monkeypatch.setenv("COLORTERM", "")
    app = world.app(world.staff.liverpool_supervisor)
    assert snap_compare(app, terminal_size=SIZE, run_before=settle)


async def _open_history(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await pilot.press("enter", "h")
    await settle(pilot)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_star_chart_with_three_readings(snap_compare, world: World, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    add_three_readings(world)

    async def run_before(pilot: Pilot[None]) -> None:
        await _open_history(pilot)
        await pilot.press("k", "space")  # mark the middle reading too

    assert snap_compare(world.app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize(
    "env",
    [{"NO_COLOR": "1"}, {"TERM": "xterm", "COLORTERM": ""}],
    ids=["no-colour", "16-colours"],
)
def test_star_chart_falls_back_to_bars(
    snap_compare, world: World, monkeypatch: pytest.MonkeyPatch, env: dict[str, str]
) -> None:  # type: ignore[no-untyped-def]
    add_three_readings(world)
    for name, value in env.items():
        monkeypatch.setenv(name, value)

    async def run_before(pilot: Pilot[None]) -> None:
        await _open_history(pilot)
        await pilot.press("k", "space")

    assert snap_compare(world.app(), terminal_size=SIZE, run_before=run_before)


def test_reading_form_with_unscored_areas(snap_compare, world: World) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("enter", "s")
        await settle(pilot)
        await pilot.press("3", "4", "0", "2", "right", "ctrl+s")
        await settle(pilot)

    assert snap_compare(world.app(), terminal_size=SIZE, run_before=run_before)


def test_reading_opened_read_only_with_its_notes(snap_compare, world: World) -> None:  # type: ignore[no-untyped-def]
    person = world.households[0].members[0]
    notes = {"skills": "Wants a forklift licence"}
    reading = reading_input(date(2026, 1, 5), 2, 4, None, area_notes=notes, notes="Seen at home")
    add_reading(world.database, world.staff.ada, person.id, reading)

    async def run_before(pilot: Pilot[None]) -> None:
        await _open_history(pilot)
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(world.app(), terminal_size=SIZE, run_before=run_before)


def test_unsaved_changes_question(snap_compare, world: World) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("enter", "s")
        await settle(pilot)
        await pilot.press("3", "escape")
        await settle(pilot)

    assert snap_compare(world.app(), terminal_size=SIZE, run_before=run_before)


def test_hand_over_pack_question_in_16_colours(
    snap_compare, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("TERM", "xterm")
    monkeypatch.setenv("COLORTERM", "")

    async def run_before(pilot: Pilot[None]) -> None:
        await _open_record(pilot)
        await pilot.press("P")
        await settle(pilot)

    app = world.app(world.staff.liverpool_supervisor)
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
