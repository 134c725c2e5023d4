"""Signing in, the idle lock, the audit browser, and what each role's screens show."""

from __future__ import annotations

import threading
from contextlib import suppress
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input
from textual.worker import WorkerCancelled

from hiw_tui.app import DataLayer, HiwApp, given_data_layer
from hiw_tui.db.access import auth
from hiw_tui.db.access.auth import SignIn, set_password
from hiw_tui.db.core.models import HouseholdPublic, UserPublic
from hiw_tui.db.households.households import open_household
from hiw_tui.db.households.people import add_person
from hiw_tui.screens.access.audit_log import AuditLogScreen
from hiw_tui.screens.access.sign_in import SignInScreen
from hiw_tui.screens.base.key_order import HOLD_LIMIT_SECONDS
from hiw_tui.screens.casework.my_week import MyWeekScreen
from hiw_tui.screens.household.household_list import HouseholdListScreen
from hiw_tui.settings import Settings
from tests.helpers.clock import TODAY
from tests.helpers.factories import person_input, register
from tests.helpers.pilot import burst, screen_text, settle
from tests.helpers.world import PAGE, World

PASSWORD = "a long enough password"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _app(
    world: World,
    clock: Clock | None = None,
    actor: UserPublic | None = None,
    *,
    remote: bool = False,
) -> HiwApp:
    return HiwApp(
        remote=remote,
        database=world.database,
        actor=actor,
        username="" if actor else "ada.adv",
        settings=Settings(page_size=PAGE, idle_lock_minutes=15),
        today=lambda: TODAY,
        clock=clock or Clock(),
    )


def _keys(text: str) -> list[str]:
    return ["space" if char == " " else char for char in text]


async def _type(pilot: Pilot[None], text: str) -> None:
    await pilot.press(*_keys(text))


def _loading_slowly(world: World) -> tuple[HiwApp, threading.Event]:
    """An app at sign-in for Ada (her password set) whose data layer loads once the
    event is set."""
    world.database.write(set_password, username="ada.adv", password=PASSWORD)
    release = threading.Event()

    def load() -> DataLayer:
        release.wait(timeout=20)
        return given_data_layer(world.database, Settings(page_size=PAGE), None, None, None)

    return HiwApp(load=load, username="ada.adv", today=lambda: TODAY, clock=Clock()), release


async def test_a_password_submitted_before_the_data_layer_is_loaded_waits_for_it(
    world: World,
) -> None:
    """At launch the sign-in screen is up before the data layer is loaded: a password
    submitted meanwhile says Loading…, stays typed, and signs in once it is loaded."""
    app, release = _loading_slowly(world)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, SignInScreen)
        await _type(pilot, PASSWORD)
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert "Loading…" in screen_text(app)
        assert app.screen.query_one("#password", Input).value == PASSWORD
        release.set()
        await settle(pilot)
        assert isinstance(app.screen, HouseholdListScreen)
        assert app.actor.id == world.staff.ada.id


async def test_keys_typed_after_the_password_wait_for_the_check_and_go_to_the_list(
    world: World,
) -> None:
    """Password, Enter and the next keys typed in one burst, with the check taking longer
    than a key otherwise waits (the data layer still loading): the keys after Enter reach
    the list once signed in, not the password box."""
    app, release = _loading_slowly(world)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        burst(pilot, *_keys(PASSWORD), "enter", "w")
        await pilot.pause(HOLD_LIMIT_SECONDS + 0.5)
        assert app.screen.query_one("#password", Input).value == PASSWORD
        release.set()
        await settle(pilot)
        assert isinstance(app.screen, MyWeekScreen)


async def test_ctrl_q_quits_while_a_password_waits_for_the_data_layer(world: World) -> None:
    """The keys after Enter wait for the check, however long; quitting does not."""
    app, release = _loading_slowly(world)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        burst(pilot, *_keys(PASSWORD), "enter", "ctrl+q")
        await pilot.pause(0.5)
        assert app.return_code == 0  # leaving, with the data layer still loading
        release.set()


async def test_keys_typed_after_a_wrong_password_are_not_typed_into_the_box(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    world.database.write(set_password, username="ada.adv", password=PASSWORD)
    release = threading.Event()
    check = auth.check_password

    def slow_check(*args: Any, **kwargs: Any) -> SignIn:
        release.wait(timeout=20)
        return check(*args, **kwargs)

    monkeypatch.setattr(auth, "check_password", slow_check)
    app = _app(world)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        burst(pilot, *"wrong", "enter", "w", "x")
        await pilot.pause(HOLD_LIMIT_SECONDS + 0.5)
        release.set()
        await settle(pilot)
        assert "Wrong username or password." in screen_text(app)
        assert app.screen.query_one("#password", Input).value == ""


async def test_a_data_layer_that_fails_to_load_ends_the_app_saying_why(world: World) -> None:
    """A password submitted while the data layer loads, and keys after it: the load
    fails, and the app ends with status 2 and the reason, not a traceback."""
    release = threading.Event()

    def load() -> DataLayer:
        release.wait(timeout=20)
        raise RuntimeError("the audit key file is missing")

    app = HiwApp(load=load, username="ada.adv", today=lambda: TODAY, clock=Clock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await _type(pilot, PASSWORD)
        await pilot.press("enter", "R", "2")
        release.set()
        # The app ends, which cancels whatever else was still running.
        with suppress(WorkerCancelled):
            await settle(pilot)
    assert (app.return_code, app.load_error) == (2, "the audit key file is missing")


async def test_a_sign_in_that_fails_says_so_once_its_error_is_closed(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fails(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the audit key file is missing")

    monkeypatch.setattr("hiw_tui.db.access.auth.check_password", fails)
    app = _app(world)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await _type(pilot, PASSWORD)
        await pilot.press("enter")
        await settle(pilot)
        assert "RuntimeError: the audit key" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen)
        assert "Not signed in" in screen_text(app) and "Checking" not in screen_text(app)


async def test_signing_in_at_the_terminal_acts_as_that_user(world: World) -> None:
    world.database.write(set_password, username="ada.adv", password=PASSWORD)
    app = _app(world)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen)
        await pilot.press("w")  # typed into the password box; My week does not open
        await pilot.press("backspace")
        await _type(pilot, "wrong password")
        await pilot.press("enter")
        await settle(pilot)
        assert "Wrong username or password." in screen_text(app)
        assert "HH-" not in screen_text(app)
        await _type(pilot, PASSWORD)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HouseholdListScreen)
        assert app.actor.id == world.staff.ada.id
        shown = screen_text(app)
        assert "Ada Adv (Advocate, Liverpool)" in shown and "HH-001" in shown
        assert "HH-015" not in shown  # Cal's caseload


async def test_the_idle_lock_hides_everything_and_keeps_what_was_typed(world: World) -> None:
    world.database.write(set_password, username="ada.adv", password=PASSWORD)
    clock = Clock()
    app = _app(world, clock, actor=world.staff.ada)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # the first household's record
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        programmes = app.screen.query_one("#previous-programmes", Input)
        programmes.focus()
        await _type(pilot, "Talent")
        clock.now += 14 * 60
        app.lock_if_idle()
        await settle(pilot)
        assert not app.locked  # 14 minutes is not yet idle
        clock.now += 61
        app.lock_if_idle()
        await settle(pilot)
        assert app.locked and isinstance(app.screen, SignInScreen)
        shown = screen_text(app)
        assert "Locked" in shown
        for secret in ("HH-000", "Alex00", "Abbot", "Talent", "L4 0TH"):
            assert secret not in shown
        await pilot.press("ctrl+p")  # nothing opens while locked
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen)
        await _type(pilot, PASSWORD)
        await pilot.press("enter")
        await settle(pilot)
        assert not app.locked
        assert app.screen.query_one("#previous-programmes", Input).value == "Talent"
    actions = [line for line in world.database.read(_actions)]
    assert "lock" in actions and "unlock" in actions


async def test_an_idle_ssh_session_without_a_password_ends(world: World) -> None:
    clock = Clock()
    app = _app(world, clock, actor=world.staff.liverpool_supervisor, remote=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        clock.now += 15 * 60
        app.lock_if_idle()
        # Whether the user has a password: the answer ends the session, which cancels
        # whatever else was still running.
        with suppress(WorkerCancelled):
            await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.return_code == 0 and not app.is_running


def _actions(session):  # type: ignore[no-untyped-def]
    from sqlmodel import select

    from hiw_tui.db.core.models import AuditEvent

    return [event.action for event in session.exec(select(AuditEvent))]


async def test_the_audit_browser_filters_by_household(world: World) -> None:
    first = world.households[0]
    world.database.write(open_household, actor=world.staff.ada, household_id=first.id)
    app = world.app(world.staff.liverpool_supervisor)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("L")
        await settle(pilot)
        assert isinstance(app.screen, AuditLogScreen)
        await pilot.press("slash")
        await pilot.press("tab")
        await _type(pilot, first.reference)
        await pilot.press("enter")
        await settle(pilot)
        shown = screen_text(app)
        assert "view household" in shown and "ada.adv" in shown
        assert "HH-015" not in shown
    advocate = world.app(world.staff.ada)
    async with advocate.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("L")
        await settle(pilot)
        assert not isinstance(advocate.screen, AuditLogScreen)
        assert "The audit trail is for supervisors" in screen_text(advocate)
        await pilot.press("question_mark")
        await settle(pilot)
        assert "Audit trail" not in screen_text(advocate)  # no key the role cannot use


def _sensitive_household(world: World) -> HouseholdPublic:
    """On Ada's caseload: safe contact, with a member whose every sensitive field is set."""
    record = register(
        world.database,
        world.staff.manager,
        world.staff.ada,
        person_input(
            given_name="Quinn",
            family_name="Zephyr",
            ethnicity="arab",
            address="7 Refuge Row",
            postcode="L8 7XX",
            phone="07700 900777",
            support_needs=["mental_health", "domestic_abuse", "ex_offender", "drug_misuse"],
        ),
        reference="HH-SAFE",
        safe_contact=True,
    )
    return world.database.write(
        add_person,
        actor=world.staff.manager,
        household_id=record.id,
        data=person_input(role="secondary", given_name="Robin", family_name="Zephyr"),
    )


SENSITIVE_WORDS = ("Arab", "Mental health", "domestic abuse", "Ex offender", "Drug misuse")
CONTACT = ("7 Refuge Row", "L8 7XX", "07700 900777")


async def _visit(app: HiwApp, reference: str | None) -> str:
    """Every main screen the role reaches, as one text: the list, the record (when
    `reference` is in scope), a search for a Wirral household, My week, the cohort
    report and the audit trail."""
    seen = []
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        seen.append(screen_text(app))
        if reference:
            await pilot.press("slash", *reference, "enter")
            await settle(pilot)
            await pilot.press("enter")
            await settle(pilot)
            seen.append(screen_text(app))
            await pilot.press("escape")
            await settle(pilot)
        await pilot.press("slash", *"HH-015", "enter")  # on Cal's caseload, in Wirral
        await settle(pilot)
        seen.append(screen_text(app))
        for keys in (("w",), ("R", "2"), ("L",)):
            await pilot.press(*keys)
            await settle(pilot)
            seen.append(screen_text(app))
            await pilot.press("escape")
            await settle(pilot)
    return "\n".join(seen)


@pytest.mark.parametrize(
    # sees_sensitive: the role holds the permission to see special-category data.
    ("role", "sees_record", "sees_sensitive", "sees_contact"),
    [
        ("ada", True, True, True),
        ("ben", False, True, False),
        ("liverpool_supervisor", True, True, False),
        ("wirral_supervisor", False, True, False),
        ("manager", True, True, False),
        ("auditor", True, False, False),
    ],
)
async def test_each_role_sees_its_scope_and_nothing_more(
    world: World, role: str, sees_record: bool, sees_sensitive: bool, sees_contact: bool
) -> None:
    _sensitive_household(world)
    actor: UserPublic = getattr(world.staff, role)
    shown = await _visit(world.app(actor), "HH-SAFE")
    assert ("Zephyr" in shown) is sees_record
    if not sees_sensitive:  # not even as a label or a count anywhere
        for word in SENSITIVE_WORDS:
            assert word.lower() not in shown.lower(), (role, word)
    assert ("Arab" in shown) is (sees_record and sees_sensitive)
    for detail in CONTACT:
        assert (detail in shown) is sees_contact, (role, detail)
    if sees_record and not sees_contact:
        assert "(withheld: safe contact)" in shown
    # HH-015's primary householder (the search text itself shows "HH-015" to everyone).
    assert ("Alex15" in shown) is (role in {"manager", "auditor", "wirral_supervisor"})


async def test_a_supervisor_editing_a_safe_contact_member_cannot_type_over_their_address(
    world: World,
) -> None:
    """Where the contact details are withheld the fields say so and take no typing: a
    supervisor's address would otherwise be dropped silently (the stored one is kept)."""
    _sensitive_household(world)
    app = world.app(world.staff.liverpool_supervisor)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"HH-SAFE", "enter")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        for name in ("address", "postcode", "phone", "email"):
            field = app.screen.query_one(f"#{name}", Input)
            assert field.disabled and field.placeholder == "(withheld: safe contact)"
            assert field.value == ""
        assert not any(value in screen_text(app) for value in CONTACT)
