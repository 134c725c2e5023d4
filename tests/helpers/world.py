"""The seeded world the app is driven in: 25 households, a fixed today, a small page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from textual.pilot import Pilot
from textual.widgets import Input

from hiw_tui.app import HiwApp
from hiw_tui.db.casework.contacts import save_contact
from hiw_tui.db.casework.plans import add_goal, add_step
from hiw_tui.db.core.engine import Database
from hiw_tui.db.core.models import HouseholdPublic, PersonPublic, UserPublic
from hiw_tui.db.households.households import open_household, update_household
from hiw_tui.domain.case_inputs import ContactInput, GoalInput, StepInput
from hiw_tui.settings import Settings
from tests.helpers.clock import TODAY
from tests.helpers.factories import (
    add_reading,
    household_input,
    person_input,
    reading_input,
    register,
    step_input,
)
from tests.helpers.pilot import settle
from tests.helpers.staff import Staff, add_staff

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


def seed_world(database: Database) -> World:
    """25 households: 15 on Ada's caseload (Liverpool), 10 on Cal's (Wirral)."""
    staff = add_staff(database)
    households = []
    for n in range(25):
        advocate = staff.ada if n < 15 else staff.cal
        family = FAMILIES[n % len(FAMILIES)]
        households.append(
            register(
                database,
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
    return World(database, staff, households)


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


def solo_case(world: World, status: str, start_date: date) -> HouseholdPublic:
    """HA-001: a one-member household of Ada's (first in the list by reference), at
    `status` since `start_date`; for the prompts a case past its time brings."""
    return register(
        world.database,
        world.staff.manager,
        world.staff.ada,
        person_input(given_name="Solo", family_name="Aardvark"),
        reference="HA-001",
        status=status,
        start_date=start_date,
    )


def plan_goal(
    world: World,
    index: int = 1,
    *,
    area: str = "skills",
    description: str = "Back into work",
    steps: tuple[StepInput, ...] = (step_input("Write a CV"), step_input("Visit the job club")),
) -> int:
    """A goal with `steps` in the plan of household `index`'s primary householder."""
    household = world.households[index]
    plans = world.database.write(
        add_goal,
        actor=world.staff.ada,
        household_id=household.id,
        person_id=household.members[0].id,
        data=GoalInput(area=area, description=description),
        today=TODAY,
    )
    goal_id = plans[1].goals[0].id
    for step in steps:
        world.database.write(
            add_step, actor=world.staff.ada, goal_id=goal_id, data=step, today=TODAY
        )
    return goal_id


def log_contacts(world: World, *contacts: ContactInput, index: int = 1) -> None:
    """Ada logs `contacts` for household `index`, in order."""
    for contact in contacts:
        world.database.write(
            save_contact,
            actor=world.staff.ada,
            household_id=world.households[index].id,
            data=contact,
        )


def change_behind_the_form(world: World, index: int, **changes: object) -> None:
    """A colleague saves household `index` with its referral route the council's, and
    `changes`, over the version the seeded world holds."""
    household = world.households[index]
    theirs = household_input(
        world.staff.ada,
        reference=household.reference,
        status="referred" if index % 5 == 0 else "active",
        **{"referral_route": "council", **changes},
    )
    world.database.write(
        update_household,
        actor=world.staff.liverpool_supervisor,
        household_id=household.id,
        version=household.version,
        data=theirs,
    )


async def save_over_a_colleagues_change(
    pilot: Pilot[None], world: World, index: int, mine: str = "Talent Match", **theirs: object
) -> None:
    """With household `index` open, edit it while a colleague changes its referral route
    to the council's (and `theirs`), then try to save `mine` as its previous programmes."""
    await pilot.press("e")
    await settle(pilot)
    change_behind_the_form(world, index, **theirs)
    pilot.app.screen.query_one("#previous-programmes", Input).value = mine
    await pilot.press("ctrl+s")
    await settle(pilot)
