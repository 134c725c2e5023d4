"""Keys that reach the app together, in one read of the terminal, apply in the order typed.

The Pilot waits after each key it presses, so these tests post a burst's keys to the app
all at once, as the terminal driver does with one read (`test_terminal.py` writes bursts
to a real terminal)."""

from __future__ import annotations

import itertools
import time
import types

import pytest
import textual.timer
from textual.widgets import Input

from hiw_tui.screens.readings.reading_history import ReadingHistoryScreen
from tests.helpers.pilot import burst, screen_text, settle
from tests.helpers.world import World


async def test_backspace_and_ctrl_u_in_a_burst_apply_before_the_letters_after_them(
    world: World,
) -> None:
    app = world.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        burst(pilot, "slash", *"carx", "backspace", *"ter", "enter")
        await settle(pilot)
        assert app.screen.query_one("#search", Input).value == "carter"
        assert "5 households ·" in screen_text(app)
        burst(pilot, "slash", "ctrl+u", *"ch41", "enter")
        await settle(pilot)
        assert app.screen.query_one("#search", Input).value == "ch41"
        assert "10 households ·" in screen_text(app)


async def test_a_key_after_one_that_opens_a_screen_goes_to_that_screen(world: World) -> None:
    app = world.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        burst(pilot, "enter", "h")
        await settle(pilot)
        assert isinstance(app.screen, ReadingHistoryScreen)


async def test_a_held_key_is_handed_on_when_the_app_checks_late(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a busy machine the app's thread can resume later than the few milliseconds a
    held key waits between checks (a database worker holding the interpreter, another
    process on the CPU): the key is still handed on, and the keys after it."""
    app = world.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        readings = itertools.count()
        # Each reading of Textual's timer clock 10 ms after the one before.
        late = types.SimpleNamespace(get_time=lambda: time.monotonic() + next(readings) / 100)
        monkeypatch.setattr(textual.timer, "_time", late)
        burst(pilot, "enter", "h")
        await settle(pilot)
        assert isinstance(app.screen, ReadingHistoryScreen)
        burst(pilot, "escape", "escape")
        await settle(pilot)
        assert "households" in screen_text(app)
