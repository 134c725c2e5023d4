"""An unexpected error: the error screen says what failed, the session and a half-typed
form live on, the traceback goes to the log in the data folder and never the terminal."""

from __future__ import annotations

import stat

import pytest
from textual.widgets import Input

from hiw_tui.app import HiwApp
from hiw_tui.screens.base.failures import SurvivesFailures
from hiw_tui.screens.dialogs.common import ErrorScreen
from hiw_tui.screens.household.household_form import HouseholdForm
from hiw_tui.screens.household.household_list import HouseholdListScreen
from tests.helpers.pilot import SIZE, open_first_household, screen_text, settle
from tests.helpers.world import World


class Broken(Exception):
    """The unexpected error the tests set off."""


def _broken(*args: object, **kwargs: object) -> None:
    raise Broken("the fault under test")


async def _typing_in_the_household_form(pilot: object, app: HiwApp) -> Input:
    await open_first_household(pilot)  # type: ignore[arg-type]
    await pilot.press("e")  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]
    assert isinstance(app.screen, HouseholdForm)
    field = app.screen.query_one("#previous-programmes", Input)
    field.value = "Work Programme"
    return field


def _log(app: HiwApp) -> str:
    return app.settings.error_log.read_text(encoding="utf-8")


async def test_a_key_whose_action_raises_shows_the_error_and_keeps_the_form(
    world: World, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(HiwApp, "action_help", _broken)
    app = world.app()
    async with app.run_test(size=SIZE) as pilot:
        field = await _typing_in_the_household_form(pilot, app)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, ErrorScreen)
        assert "Broken: the fault under test" in screen_text(app)
        assert str(app.settings.error_log) in app.screen.message
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HouseholdForm)
        assert field.value == "Work Programme"
    assert app.return_code in (0, None)
    log = _log(app)
    assert "Traceback" in log and "in _broken" in log and "Broken: the fault under test" in log
    assert "Work Programme" not in log
    terminal = capfd.readouterr()
    assert "Traceback" not in terminal.out + terminal.err


async def test_a_failing_save_shows_the_error_and_keeps_the_form(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("hiw_tui.screens.household.household_form.update_household", _broken)
    app = world.app()
    async with app.run_test(size=SIZE) as pilot:
        field = await _typing_in_the_household_form(pilot, app)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ErrorScreen)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HouseholdForm)
        assert field.value == "Work Programme"
    assert "in _broken" in _log(app)


async def test_an_error_on_every_load_shows_one_error_screen_and_logs_it_once(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        HouseholdListScreen, "on_household_list_screen_page_loaded", _broken, raising=True
    )
    app = world.app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ErrorScreen)
        listing = app.screen_stack[-2]
        assert isinstance(listing, HouseholdListScreen)
        for _ in range(3):
            listing.action_reload()
            await settle(pilot)
        assert [type(screen) for screen in app.screen_stack[-2:]] == [
            HouseholdListScreen,
            ErrorScreen,
        ]
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HouseholdListScreen)
        await pilot.press("R")  # the session goes on
        await settle(pilot)
        assert app.screen.__class__.__name__ == "ReportsScreen"
    assert _log(app).count("Traceback") == 1


def test_the_log_is_for_the_user_alone(world: World) -> None:
    from hiw_tui.screens.base.failures import log_failure

    path = world.app().settings.error_log
    try:
        raise Broken("logged")
    except Broken as error:
        log_failure(path, error, where="a test")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


async def test_a_screen_that_cannot_be_built_ends_the_app_with_one_line_not_a_traceback(
    world: World, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(HouseholdListScreen, "compose", _broken)
    app = world.app()
    with pytest.raises(Broken):
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
    assert app.return_code == 1
    assert "in _broken" in _log(app)
    terminal = capfd.readouterr()
    assert "Traceback" not in terminal.out + terminal.err
    assert isinstance(app, SurvivesFailures)
