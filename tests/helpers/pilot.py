"""Driving the app with the Pilot: wait for it to settle, read the screen, fill forms."""

from __future__ import annotations

from textual import events
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Select, TextArea

from hiw_tui.screens.household.household_record import HouseholdRecordScreen

SIZE = (80, 24)
"""The smallest terminal every screen must work in."""


async def settle(pilot: Pilot[None]) -> None:
    """Wait until every worker has finished and what it set off has been handled.

    One piece of work can start the next (a save's result dismisses a form, whose
    callback reloads the list in a new worker), so this waits until three rounds in a
    row find no worker running and the screen unchanged, however slowly a loaded
    machine gets there.
    """
    app: App[None] = pilot.app
    quiet, shown = 0, ""
    for _ in range(200):
        await app.workers.wait_for_complete()
        await pilot.pause()
        # A table lays out its columns when it is next idle: wait for the screen too.
        before, shown = shown, screen_text(app)
        quiet = 0 if len(app.workers) or shown != before else quiet + 1
        if quiet == 3:
            return
    raise AssertionError("the app never settled: a worker kept starting another")


def burst(pilot: Pilot[None], *keys: str) -> None:
    """Hand the app `keys` at once, as the terminal driver does with one read (the
    Pilot's `press` waits after each key); a printable key is its own character."""
    for key in keys:
        character = " " if key == "space" else key if len(key) == 1 else None
        pilot.app.post_message(events.Key(key, character))


def screen_text(app: App[None]) -> str:
    """What the terminal shows now, as plain text lines.

    The one read of Textual's internals in the tests: Textual 8.2 offers the screen as
    an SVG screenshot but not as plain text, so the screen's compositor renders it."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def lines_with(app: App[None], words: str) -> list[str]:
    """The lines of the screen that hold `words`."""
    return [line for line in screen_text(app).splitlines() if words in line]


async def open_first_household(pilot: Pilot[None]) -> None:
    """From the list of every status, open the household on the first row."""
    await open_household(pilot, row=0)
    assert isinstance(pilot.app.screen, HouseholdRecordScreen)


async def open_household(pilot: Pilot[None], row: int = 1) -> None:
    """From the list of every status (an advocate's opens on their open cases), open the
    household on row `row` (HH-001 is active, Ada's)."""
    await settle(pilot)
    status = pilot.app.screen.query_one("#status", Select)
    if status.value is not Select.NULL:
        status.value = Select.NULL
        await settle(pilot)
        pilot.app.screen.query_one(DataTable).move_cursor(row=0)
    await pilot.press(*["j"] * row, "enter")
    await settle(pilot)


async def open_plan_history(pilot: Pilot[None]) -> None:
    """From the list, open the household on row 1, its plan (p) and the plan's history (h)."""
    await open_household(pilot)
    await pilot.press("p")
    await settle(pilot)
    await pilot.press("h")
    await settle(pilot)


def fill(pilot: Pilot[None], **values: object) -> None:
    """Set form controls by id (underscores become dashes)."""
    for name, value in values.items():
        control = pilot.app.screen.query_one(f"#{name.replace('_', '-')}")
        if isinstance(control, Input):
            control.value = str(value)
        elif isinstance(control, Select):
            control.value = value
        elif isinstance(control, TextArea):
            control.load_text(str(value))
        else:
            raise TypeError(f"fill cannot set {control!r}")


async def save(pilot: Pilot[None]) -> None:
    """Press the save key and wait for what it sets off."""
    await pilot.press("ctrl+s")
    await settle(pilot)
