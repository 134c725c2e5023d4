"""Every screen the keyboard reaches, for each role, with every key pressed on it.

On a small demo (with a household that has one of everything and one that has nothing)
the crawler starts at the caseload, at an empty search, and at each of the two
households, for an advocate, a supervisor, the programme manager and an auditor. No
key may raise, show the error screen or end the app (only Ctrl+Q may), and every
screen in `hiw_tui` must be reached by some role, or be listed below with why not.
"""

from __future__ import annotations

import json
import os
import random
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import count
from pathlib import Path

import asyncssh
import pytest
from sqlalchemy import select

from hiw_tui.app import HiwApp
from hiw_tui.db.access.keys import add_key
from hiw_tui.db.access.users import get_user
from hiw_tui.db.casework.contacts import save_contact
from hiw_tui.db.casework.models import Partner
from hiw_tui.db.casework.referrals import save_referral
from hiw_tui.db.core.engine import Database
from hiw_tui.db.core.models import Household, UserPublic
from hiw_tui.db.core.schema import upgrade
from hiw_tui.demo.generate import DEMO_AUDITOR, DEMO_MANAGER, build_demo
from hiw_tui.domain.case_inputs import ContactInput, ReferralInput
from hiw_tui.settings import Settings
from tests.helpers.clock import TODAY
from tests.helpers.crawler import Crawl, Crawler, Start, screen_classes
from tests.helpers.factories import person_input, register, spend

ROLES = {
    "advocate": "advocate.liverpool.1",
    "supervisor": "supervisor.liverpool",
    "programme manager": DEMO_MANAGER,
    "auditor": DEMO_AUDITOR,
}
FULL = "LIV-00002"
"""The demo household (on advocate.liverpool.1's caseload) given one of everything; a
screen met first from here is explored here, with rows in its tables."""
EMPTY = "LIV-EMPTY"
"""A short-term case, its twelve weeks over, with nothing recorded."""

UNREACHABLE = {
    "ConflictScreen": "shown only when a colleague saved the same record meanwhile",
}
"""Screens no key sequence in one session can reach, each with why."""


@dataclass(frozen=True)
class Demo:
    path: Path
    households: dict[str, int]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    """A small demo, with one household given a referral and a contact (the demo makes
    none), one registered with nothing at all, one with a spend waiting for approval,
    and an SSH key for the advocate (the users screen removes it)."""
    path = tmp_path_factory.mktemp("crawl") / "demo.db"
    database = Database(f"sqlite:///{path}")
    upgrade(database.engine)
    build_demo(database, households=12, seed=5, today=TODAY)
    manager = database.read(get_user, username=DEMO_MANAGER)
    advocate = database.read(get_user, username=ROLES["advocate"])
    assert manager is not None and advocate is not None
    register(
        database,
        manager,
        advocate,
        person_input(given_name="Nell", family_name="Empty"),
        reference=EMPTY,
        status="short_term",
    )
    with database.engine.connect() as connection:
        households = dict(connection.execute(select(Household.reference, Household.id)).all())
        partner = connection.scalar(select(Partner.id))
    full = households[FULL]
    assert partner is not None
    database.write(
        save_referral,
        actor=manager,
        household_id=full,
        data=ReferralInput(
            partner_id=partner,
            purpose="Job club",
            made_on=TODAY,
            status_on=TODAY,
            consent_override="Agreed by phone",
        ),
    )
    database.write(
        save_contact,
        actor=manager,
        household_id=full,
        data=ContactInput(contacted_on=TODAY, mode="phone", purpose="Catch up"),
    )
    waiting = register(
        database, manager, advocate, person_input(given_name="Pat", family_name="Spender")
    )
    spend(database, advocate, waiting.id, "260.00", category="travel", payee="Merseyrail")
    key = asyncssh.generate_private_key("ssh-ed25519", comment="laptop")
    database.write(add_key, username=advocate.username, text=key.export_public_key().decode())
    database.dispose()
    return Demo(path, households)


def _starts(demo: Demo) -> Iterator[Start]:
    yield Start("sign-in", signed_in=False)
    yield Start("the household with everything", prepare=_opening(demo.households[FULL]))
    yield Start("the caseload")
    yield Start(
        "a search that finds nothing",
        keys=("slash", *"zzqx", "enter"),
        empty=True,
        shows="No households match",
    )
    yield Start("the household with nothing", prepare=_opening(demo.households[EMPTY]), empty=True)
    yield Start(
        "a new member who may be held already",
        prepare=_opening(demo.households[EMPTY]),
        # Decide its overdue case later, then add a member (role: member) named and born
        # (person_input's default) as its own Nell Empty.
        keys=(
            *("escape", "a", "enter", "down", "down", "down", "enter"),
            *("tab", *"Nell", "tab", *"Empty", "tab", *"1988-05-17", "ctrl+s"),
        ),
        shows="Possible duplicate",
        roles=frozenset({"advocate", "supervisor", "programme manager"}),
    )


def _opening(household_id: int) -> Callable[[HiwApp], None]:
    return lambda app: app.open_household(household_id)


def _seed() -> int:
    """Which keys already covered are pressed again: set CRAWL_SEED to repeat a run's
    choice (and CRAWL_ROLE, CRAWL_START to crawl as one role, from one start)."""
    return int(os.environ.get("CRAWL_SEED") or random.randrange(1 << 32))


async def test_every_key_on_every_screen_keeps_the_app_running(demo: Demo, tmp_path: Path) -> None:
    seed = _seed()
    crawl = Crawl()
    crawler = Crawler(crawl, random.Random(seed))
    copies = count()
    for role, username in ROLES.items():
        if os.environ.get("CRAWL_ROLE", role) != role:
            continue

        def make_app(signed_in: bool, username: str = username) -> HiwApp:
            copy = tmp_path / f"crawl-{next(copies)}.db"
            shutil.copyfile(demo.path, copy)
            database = Database(f"sqlite:///{copy}")
            actor = database.read(get_user, username=username)
            assert isinstance(actor, UserPublic)
            return HiwApp(
                database=database,
                actor=actor if signed_in else None,
                username=username,
                settings=Settings(page_size=10, export_dir=tmp_path / "exports"),
                today=lambda: TODAY,
            )

        for start in _starts(demo):
            if os.environ.get("CRAWL_START", start.name) != start.name or (
                start.roles and role not in start.roles
            ):
                continue
            await crawler.run(role, make_app, start)
    written = tmp_path / "crawled.json"
    written.write_text(json.dumps(crawl.reached, indent=1))
    assert crawl.failures == [], f"CRAWL_SEED={seed}: {crawl.failures}"
    reached = {name for screens in json.loads(written.read_text()).values() for name in screens}
    assert screen_classes() - reached == set(UNREACHABLE)
