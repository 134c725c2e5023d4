"""Driving the real app: a seeded SQLite database, a fixed today, and helpers to wait."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Input

from hiw_tui.app import HiwApp
from hiw_tui.db.core.engine import Database
from hiw_tui.db.core.models import HouseholdPublic, PersonPublic, UserPublic
from hiw_tui.db.households.households import open_household, update_household
from hiw_tui.screens.household.household_record import HouseholdRecordScreen
from hiw_tui.settings import Settings
from tests.conftest import TODAY, Staff, add_staff
from tests.factories import add_reading, household_input, person_input, reading_input, register

PAGE = 10


@dataclass
class World:
    database: Database
    staff: Staff
    households: list[HouseholdPublic]

    def stored(self, household_id: int) -> HouseholdPublic:
        """The household as the database holds it now (read as the programme manager)."""
        return self.database.write(
            open_household, actor=self.staff.manager, household_id=household_id
        )

    def app(self, actor: UserPublic | None = None, **settings: object) -> HiwApp:
        return HiwApp(
            database=self.database,
            actor=actor or self.staff.manager,
            settings=Settings(page_size=PAGE, **settings),  # type: ignore[arg-type]
            today=lambda: TODAY,
        )


FAMILIES = ["Abbot", "Barker", "Carter", "Doyle", "Evans"]


@pytest.fixture
def world(sqlite_database: Database) -> World:
    """25 households: 15 on Ada's caseload (Liverpool), 10 on Cal's (Wirral)."""
    staff = add_staff(sqlite_database)
    households = []
    for n in range(25):
        advocate = staff.ada if n < 15 else staff.cal
        family = FAMILIES[n % len(FAMILIES)]
        households.append(
            register(
                sqlite_database,
                staff.manager,
                advocate,
                person_input(
                    given_name=f"Alex{n:02d}",
                    family_name=family,
                    postcode="L4 0TH" if n < 15 else "CH41 2AB",
                ),
                person_input(
                    role="secondary", given_name=f"Sam{n:02d}", family_name=family, support_needs=[]
                ),
                reference=f"HH-{n:03d}",
                status="referred" if n % 5 == 0 else "active",
            )
        )
    return World(sqlite_database, staff, households)


async def save_over_a_colleagues_change(pilot: Pilot[None], world: World, index: int) -> None:
    """With household `index` open, edit it while a colleague changes its referral route
    to the council's, then try to save "Talent Match" as its previous programme."""
    household = world.households[index]
    await pilot.press("e")
    await settle(pilot)
    theirs = household_input(
        world.staff.ada,
        reference=household.reference,
        status="referred" if index % 5 == 0 else "active",
        referral_route="council",
    )
    world.database.write(
        update_household,
        actor=world.staff.liverpool_supervisor,
        household_id=household.id,
        version=household.version,
        data=theirs,
    )
    pilot.app.screen.query_one("#previous-programmes", Input).value = "Talent Match"
    await pilot.press("ctrl+s")
    await settle(pilot)


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


def screen_text(app: App[None]) -> str:
    """What the terminal shows now, as plain text lines."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


READING_DAYS = (date(2025, 11, 10), date(2026, 1, 5), date(2026, 3, 2))


def add_three_readings(world: World) -> PersonPublic:
    """Three final readings of the first household's primary householder: progress in most
    areas, a regression in Home, and Family not scored in the latest."""
    person = world.households[0].members[0]
    for day, scores in zip(
        READING_DAYS,
        ((2, 3, 1, 2, 2, 3, 1, 2), (3, 3, 2, 2, 3, 3, 2, 3), (4, 2, 3, 3, 4, None, 3, 4)),
        strict=True,
    ):
        add_reading(world.database, world.staff.ada, person.id, reading_input(day, *scores))
    return person


async def open_first_household(pilot: Pilot[None]) -> None:
    """From the list as it opens, open the household on the first row."""
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, HouseholdRecordScreen)


def lines_with(app: App[None], words: str) -> list[str]:
    """The lines of the screen that hold `words`."""
    return [line for line in screen_text(app).splitlines() if words in line]
