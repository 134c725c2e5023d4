"""Draws the demo's households one at a time, with their people and case work.

Each part is drawn from a generator of its own, seeded from the demo's seed (the
timeline, the people, each household's story, readings, plans, budgets, referrals,
contacts), so a change to one part leaves what the others draw as it was.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from hiw_tui.db.households.people import list_name
from hiw_tui.demo import places
from hiw_tui.demo.casework import CaseWork
from hiw_tui.demo.contacts import Contacts
from hiw_tui.demo.ledger import Budgets
from hiw_tui.demo.people import draw_person, pick
from hiw_tui.demo.readings import Readings
from hiw_tui.demo.referrals import Referrals
from hiw_tui.demo.rows import Case, Ids, Row, Rows, at
from hiw_tui.demo.story import Story, draw_story
from hiw_tui.demo.timeline import start_dates
from hiw_tui.domain import cohort
from hiw_tui.domain.codes import (
    REFERENCE_PREFIX,
    ConsentPurpose,
    Destination,
    ExitReason,
    HouseholdStatus,
    LocalAuthority,
    MemberRole,
    Programme,
    ReferralRoute,
    SupportNeed,
)
from hiw_tui.domain.framework import load_framework

ROUTE_WEIGHT = {
    ReferralRoute.JCP: 35,
    ReferralRoute.SELF: 15,
    ReferralRoute.COUNCIL: 15,
    ReferralRoute.AGENCY: 15,
    ReferralRoute.CHILDRENS_CENTRE: 10,
    ReferralRoute.SOCIAL_MEDIA: 5,
    ReferralRoute.OTHER: 5,
}
_EXIT_NOTES = {
    Destination.JOB: "Working 16 hours a week or more",
    Destination.OTHER_PROGRAMME: "Moving on to Ways to Work",
    Destination.EDUCATION: "Starting a college course",
    Destination.OTHER: "Caring for a relative full time",
    Destination.NONE: "",
}


def _areas(rng: random.Random) -> Iterator[LocalAuthority]:
    """Each household's area, dealt from shuffled decks of 100 in proportion to the
    areas' populations, so that even a small demo spreads over all six as they are."""
    total = sum(cohort.LOCAL_AUTHORITY_WEIGHT.values())
    deck = [
        area
        for area, weight in cohort.LOCAL_AUTHORITY_WEIGHT.items()
        for _ in range(round(100 * weight / total))
    ]
    while True:
        yield from rng.sample(deck, len(deck))


class Drawer:
    """Draws households; ids are assigned here so rows can be batch-inserted."""

    def __init__(
        self,
        *,
        seed: int,
        today: date,
        households: int,
        advocates: dict[str, list[int]],
        supervisors: dict[str, int],
        reading_weeks: int,
    ) -> None:
        self.rng = random.Random(seed)
        self.today = today
        self.advocates = advocates
        self.supervisors = supervisors
        self.starts = start_dates(households, today, random.Random(f"{seed}-timeline"))
        self.stories = random.Random(f"{seed}-story")
        # The days from referral to start, drawn apart so they leave the rest as it was.
        self.referral_rng = random.Random(f"{seed}-referral")
        self.programme_rng = random.Random(f"{seed}-programmes")
        self.areas = _areas(random.Random(f"{seed}-areas"))
        self.ids = Ids()
        self.serial = dict.fromkeys(LocalAuthority, 0)
        framework = load_framework()
        self.readings = Readings(
            random.Random(f"{seed}-readings"),
            self.ids,
            (framework.id, framework.version),
            framework.codes,
            reading_weeks,
        )
        self.casework = CaseWork(random.Random(f"{seed}-casework"), self.ids, framework.codes)
        self.budgets = Budgets(random.Random(f"{seed}-ledger"), self.ids)
        self.referrals = Referrals(random.Random(f"{seed}-referrals"), self.ids)
        self.contacts = Contacts(random.Random(f"{seed}-contacts"), self.ids)

    def household(self, household_id: int, into: Rows) -> None:
        rng = self.rng
        story = draw_story(self.stories, self.starts[household_id - 1], self.today)
        area = next(self.areas)
        self.serial[area] += 1
        people, needs = self._people(household_id, area, story)
        codes, previous = self._before()
        if rng.random() < 0.3:  # the same draws as ever, so the rest of the demo stays
            codes.append(rng.choice(places.PREVIOUS_PROGRAMMES).value)
            rng.randint(1, 4)
        if len(codes) > 1 or previous:  # "none" only when no programme is named
            codes = [code for code in codes if code != Programme.NONE.value]
        codes = sorted(set(codes))
        advocate_id = rng.choice(self.advocates[area.value])
        route = pick(rng, ROUTE_WEIGHT).value
        latest = [
            self.readings.person(story, person["id"], household_id, advocate_id, into)
            for person in people
            if story.started
        ]
        dated = [day for day in latest if day is not None]
        start = story.start
        referred_on = (
            start - timedelta(days=self.referral_rng.randint(1, 21)) if story.started else start
        )
        household: Row = {
            "id": household_id,
            "reference": f"{REFERENCE_PREFIX[area]}-{self.serial[area]:05d}",
            "local_authority": area.value,
            "advocate_id": advocate_id,
            "status": story.status.value,
            "referral_route": route,
            "start_date": start if story.started else None,
            "end_date": story.end,
            "referred_on": referred_on,
            "previous_programme_codes": codes,
            "previous_programmes": previous,
            "exit_reason": story.reason.value if story.closed and story.reason else None,
            "exit_destination": story.destination.value
            if story.closed and story.destination
            else None,
            "exit_note": self._exit_note(story),
            "primary_name": list_name(people[0]["family_name"], people[0]["given_name"]),
            "member_count": len(people),
            # Where the primary householder has fled abuse, the household's whereabouts
            # are guarded (about one household in six).
            "safe_contact": SupportNeed.DOMESTIC_ABUSE.value in needs[people[0]["id"]],
            "need_count": sum(len(held) for held in needs.values()),
            "star_scored_through": min(dated) if dated and len(dated) == len(latest) else None,
            "next_contact_on": None,
            # Entered on the day it was referred; changed last on its end (or today).
            "created_at": at(referred_on),
            "updated_at": at(story.end) if story.end else at(self.today, 0),
            "version": 1,
        }
        into.households.append(household)
        into.people.extend(people)
        into.needs.extend(
            {"person_id": person, "need": need}
            for person, held in needs.items()
            for need in sorted(held)
        )
        into.consents.extend(self._consents(household, people))
        if story.started:
            case = Case(
                story, household_id, advocate_id, self.supervisors[area.value], people, into
            )
            self.casework.household(case)
            self.budgets.household(case)
            self.referrals.household(case, needs)
            household["next_contact_on"] = self.contacts.household(case)

    def _people(
        self, household_id: int, area: LocalAuthority, story: Story
    ) -> tuple[list[Row], dict[int, set[str]]]:
        rng = self.rng
        size = (
            1
            if story.status is HouseholdStatus.SHORT_TERM
            else rng.choices((2, 3, 4), (67, 25, 8))[0]
        )
        postcode = self._postcode(area)
        address = f"{rng.randint(1, 240)} {rng.choice(places.STREETS)}"
        family = rng.choice(places.FAMILY_NAMES)
        people: list[Row] = []
        needs: dict[int, set[str]] = {}
        for index in range(size):
            role = (
                (MemberRole.PRIMARY, MemberRole.SECONDARY)[index]
                if index < 2
                else MemberRole.MEMBER
            )
            same_address = index == 0 or rng.random() < 0.85
            person, held = draw_person(
                rng,
                person_id=self.ids.next("person"),
                household_id=household_id,
                role=role,
                family=family
                if index == 0 or rng.random() < 0.6
                else rng.choice(places.FAMILY_NAMES),
                address=address
                if same_address
                else f"{rng.randint(1, 240)} {rng.choice(places.STREETS)}",
                postcode=postcode if same_address else self._postcode(area),
                start=story.start,
            )
            people.append(person)
            needs[person["id"]] = {row["need"] for row in held}
        return people, needs

    def _postcode(self, area: LocalAuthority) -> str:
        rng = self.rng
        district = rng.choice(places.POSTCODE_DISTRICTS[area])
        letters = "".join(rng.choices(places.INWARD_LETTERS, k=2))
        return f"{district} {rng.randint(0, 9)}{letters}"

    def _before(self) -> tuple[list[str], str]:
        """Programmes before HiW as asked at registration: most say none; some name one
        of the list (more below, from the household's own draws) or one written in; the
        rest were not asked (nothing recorded)."""
        rng = self.programme_rng
        codes = [Programme.NONE.value] if rng.random() < 0.55 else []
        if rng.random() < 0.1:
            codes.append(rng.choice(places.PREVIOUS_PROGRAMMES).value)
        other = rng.choice(places.OTHER_PROGRAMMES) if rng.random() < 0.08 else ""
        return codes, other

    @staticmethod
    def _exit_note(story: Story) -> str:
        if not story.closed or story.destination is None:
            return ""
        if story.reason is ExitReason.MOVED_AWAY:
            return "Moved out of the area"
        return _EXIT_NOTES[story.destination]

    def _consents(self, household: Row, people: list[Row]) -> list[dict[str, Any]]:
        """Each member agreed, on the first day, to the programme holding their data and
        to being contacted by each way they gave."""
        return [
            {
                "person_id": person["id"],
                "household_id": household["id"],
                "purpose": purpose.value,
                "partner_id": None,
                "given": True,
                "on": household["start_date"] or household["referred_on"],
                "recorded_by": household["advocate_id"],
                "recorded_at": at(household["start_date"] or household["referred_on"]),
            }
            for person in people
            for purpose, held in (
                (ConsentPurpose.HOLD_DATA, True),
                (ConsentPurpose.CONTACT_PHONE, bool(person["phone"])),
                (ConsentPurpose.CONTACT_EMAIL, bool(person["email"])),
            )
            if held
        ]
