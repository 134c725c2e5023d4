"""Build a demo database: users for every area and a cohort drawn from the published profile.

Everything is drawn from one `random.Random(seed)`, so a seed and a `today` always give
the same database. Dates are laid out relative to `today` so that the demo always
holds current cases as well as closed ones.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, insert, select, text, update
from sqlmodel import Session

from hiw_tui.db.access.auth import hash_password
from hiw_tui.db.access.users import add_user, get_user
from hiw_tui.db.casework.models import Consent, Goal, Outcome, Partner, Plan, Step
from hiw_tui.db.core.engine import Database
from hiw_tui.db.core.models import Household, Person, PersonNeed, StarReading, StarScore, User
from hiw_tui.db.households.people import list_name, search_keys
from hiw_tui.db.ledger.posting import post
from hiw_tui.db.readings.progress import refresh_better_areas
from hiw_tui.demo import places
from hiw_tui.demo.casework import POLICY, CaseRows, CaseWork
from hiw_tui.domain import cohort
from hiw_tui.domain.codes import (
    REFERENCE_PREFIX,
    Benefit,
    CompletedBy,
    ConsentPurpose,
    HouseholdStatus,
    LocalAuthority,
    MemberRole,
    PartnerKind,
    Qualification,
    ReadingStatus,
    ReferralRoute,
    SupportNeed,
    UserRole,
)
from hiw_tui.domain.dates import years_before
from hiw_tui.domain.framework import load_framework

BATCH = 5_000
DEMO_MANAGER = "manager"
DEMO_AUDITOR = "auditor"
DEMO_PASSWORD = "demo-password"
"""Every demo user's password (the demo's data is fictional)."""
_ROUTE_WEIGHT = {
    ReferralRoute.JCP: 35,
    ReferralRoute.SELF: 15,
    ReferralRoute.COUNCIL: 15,
    ReferralRoute.AGENCY: 15,
    ReferralRoute.CHILDRENS_CENTRE: 10,
    ReferralRoute.SOCIAL_MEDIA: 5,
    ReferralRoute.OTHER: 5,
}
_QUALIFICATION_WEIGHT = {
    Qualification.NONE: 25,
    Qualification.ENTRY: 10,
    Qualification.LEVEL_1: 25,
    Qualification.LEVEL_2: 22,
    Qualification.LEVEL_3: 10,
    Qualification.LEVEL_4_PLUS: 5,
    Qualification.UNKNOWN: 3,
}


_COMPLETED_BY_WEIGHT = {
    CompletedBy.TOGETHER: 85,
    CompletedBy.ADVOCATE: 10,
    CompletedBy.PARTICIPANT: 5,
}


class DemoRefused(Exception):
    """The target database already holds households: the demo never mixes with real data."""


@dataclass(frozen=True)
class DemoSummary:
    households: int
    people: int
    users: int


def _pick(rng: random.Random, weights: Mapping[Any, float]) -> Any:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


#: Needs that only parents have: drawn among parents, so every published share holds.
_PARENT_NEEDS = (SupportNeed.LONE_PARENT, SupportNeed.TEENAGE_PARENT)


def _draw_needs(rng: random.Random) -> set[SupportNeed]:
    shares = cohort.SUPPORT_NEED_PERCENT
    needs = {
        need
        for need, share in shares.items()
        if need not in _PARENT_NEEDS and rng.random() * 100 < share
    }
    if SupportNeed.PARENT in needs:
        needs |= {
            need
            for need in _PARENT_NEEDS
            if rng.random() * shares[SupportNeed.PARENT] < shares[need]
        }
    return needs


class _Cohort:
    """Draws households and people; ids are assigned here so rows can be batch-inserted."""

    def __init__(
        self,
        rng: random.Random,
        today: date,
        advocates: dict[str, list[int]],
        *,
        seed: int,
        reading_weeks: int,
    ) -> None:
        self.rng = rng
        self.today = today
        self.advocates = advocates
        self.person_id = 0
        self.reading_id = 0
        self.framework = load_framework()
        self.serial = dict.fromkeys(LocalAuthority, 0)
        # Entered at the start of `today`: never later than anything done in the demo.
        self.stamp = datetime.combine(today, time(), tzinfo=UTC)
        self.reading_weeks = reading_weeks
        self.casework = CaseWork(seed, today, self.framework.codes)
        # The days from referral to start, drawn apart so they leave the rest as it was.
        self.referral_rng = random.Random(f"{seed}-referral")

    def household(self, household_id: int) -> _Rows:
        rng = self.rng
        area: LocalAuthority = _pick(rng, cohort.LOCAL_AUTHORITY_WEIGHT)
        self.serial[area] += 1
        start = self.today - timedelta(days=rng.randint(0, 3 * 365))
        status, end = self._status(start)
        # A referral not yet started has no start date: `start` is when it was referred.
        started = status is not HouseholdStatus.REFERRED
        size = 1 if status is HouseholdStatus.SHORT_TERM else rng.choices((2, 3, 4), (67, 25, 8))[0]
        postcode = self._postcode(area)
        address = f"{rng.randint(1, 240)} {rng.choice(places.STREETS)}"
        family = rng.choice(places.FAMILY_NAMES)
        people, needs = [], []
        for index in range(size):
            role = (
                (MemberRole.PRIMARY, MemberRole.SECONDARY)[index]
                if index < 2
                else MemberRole.MEMBER
            )
            same_address = index == 0 or rng.random() < 0.85
            person, person_needs = self._person(
                household_id,
                role,
                family if index == 0 or rng.random() < 0.6 else rng.choice(places.FAMILY_NAMES),
                address if same_address else f"{rng.randint(1, 240)} {rng.choice(places.STREETS)}",
                postcode if same_address else self._postcode(area),
            )
            people.append(person)
            needs.extend(person_needs)
        previous = ""
        if rng.random() < 0.3:
            previous = (
                f"{rng.choice(places.PREVIOUS_PROGRAMMES)} ({start.year - rng.randint(1, 4)})"
            )
        advocate_id = rng.choice(self.advocates[area.value])
        readings: list[dict[str, Any]] = []
        scores: list[dict[str, Any]] = []
        latest = [
            self._readings(person["id"], household_id, advocate_id, start, end, readings, scores)
            for person in people
            if started
        ]
        dated = [day for day in latest if day is not None]
        referred_on = start - timedelta(days=self.referral_rng.randint(1, 21)) if started else start
        household = {
            "id": household_id,
            "reference": f"{REFERENCE_PREFIX[area]}-{self.serial[area]:05d}",
            "local_authority": area.value,
            "advocate_id": advocate_id,
            "status": status.value,
            "referral_route": _pick(rng, _ROUTE_WEIGHT).value,
            "start_date": start if started else None,
            "end_date": end,
            "referred_on": referred_on,
            "previous_programmes": previous,
            "primary_name": list_name(people[0]["family_name"], people[0]["given_name"]),
            "member_count": len(people),
            # Where the primary householder has fled abuse, the household's whereabouts
            # are guarded (about one household in six).
            "safe_contact": {"person_id": people[0]["id"], "need": SupportNeed.DOMESTIC_ABUSE.value}
            in needs,
            "need_count": len(needs),
            "star_scored_through": min(dated) if dated and len(dated) == len(latest) else None,
            "created_at": self.stamp,
            "updated_at": self.stamp,
            "version": 1,
        }
        rows = _Rows(
            households=[household],
            people=people,
            needs=needs,
            readings=readings,
            scores=scores,
            consents=self._consents(household, people),
        )
        if started:
            self.casework.household(household, people, rows)
        return rows

    def _consents(
        self, household: dict[str, Any], people: list[dict[str, Any]]
    ) -> list[dict[str, Any]]:
        """Each member agreed, on the first day, to the programme holding their data and
        to being contacted by each way they gave."""
        return [
            {
                "person_id": person["id"],
                "household_id": household["id"],
                "purpose": purpose.value,
                "given": True,
                "on": household["start_date"] or household["referred_on"],
                "recorded_by": household["advocate_id"],
                "recorded_at": self.stamp,
            }
            for person in people
            for purpose, held in (
                (ConsentPurpose.HOLD_DATA, True),
                (ConsentPurpose.CONTACT_PHONE, bool(person["phone"])),
                (ConsentPurpose.CONTACT_EMAIL, bool(person["email"])),
            )
            if held
        ]

    def _readings(
        self,
        person_id: int,
        household_id: int,
        advocate_id: int,
        start: date,
        end: date | None,
        readings: list[dict[str, Any]],
        scores: list[dict[str, Any]],
    ) -> date | None:
        """Final readings about every `reading_weeks` weeks from joining, scores drifting
        mostly upward.

        Returns the date of the latest one, or None when none fell before the end."""
        rng = self.rng
        last = end or self.today
        taken = start + timedelta(days=rng.randint(0, 14))
        current = {
            code: rng.choices((1, 2, 3, 4), (25, 40, 25, 10))[0] for code in self.framework.codes
        }
        latest = None
        while taken <= last:
            self.reading_id += 1
            readings.append(
                {
                    "id": self.reading_id,
                    "person_id": person_id,
                    "household_id": household_id,
                    "framework_id": self.framework.id,
                    "framework_version": self.framework.version,
                    "taken_on": taken,
                    "completed_by": _pick(rng, _COMPLETED_BY_WEIGHT).value,
                    "status": ReadingStatus.FINAL.value,
                    "notes": "",
                    "entered_by": advocate_id,
                    "created_at": self.stamp,
                    "updated_at": self.stamp,
                    "version": 1,
                }
            )
            for code, score in current.items():
                shown = None if rng.random() < 0.02 else score
                scores.append(
                    {"reading_id": self.reading_id, "area": code, "score": shown, "note": ""}
                )
            current = {
                code: max(1, min(5, score + rng.choices((-1, 0, 1, 2), (12, 48, 32, 8))[0]))
                for code, score in current.items()
            }
            latest = taken
            taken += timedelta(weeks=self.reading_weeks, days=rng.randint(-7, 10))
        return latest

    def _status(self, start: date) -> tuple[HouseholdStatus, date | None]:
        rng = self.rng
        days = (self.today - start).days
        if days > 365:
            status = HouseholdStatus.EXITED if rng.random() < 0.82 else HouseholdStatus.WITHDRAWN
            return status, start + timedelta(days=rng.randint(120, 365))
        if days < 30 and rng.random() < 0.4:
            return HouseholdStatus.REFERRED, None
        if days < 84 and rng.random() < 0.15:
            return HouseholdStatus.SHORT_TERM, None
        if rng.random() < 0.06:
            return HouseholdStatus.WITHDRAWN, start + timedelta(
                days=rng.randint(min(7, days), days)
            )
        return HouseholdStatus.ACTIVE, None

    def _postcode(self, area: LocalAuthority) -> str:
        rng = self.rng
        district = rng.choice(places.POSTCODE_DISTRICTS[area])
        letters = "".join(rng.choices(places.INWARD_LETTERS, k=2))
        return f"{district} {rng.randint(0, 9)}{letters}"

    def _person(
        self, household_id: int, role: MemberRole, family: str, address: str, postcode: str
    ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        rng = self.rng
        self.person_id += 1
        gender = _pick(rng, cohort.GENDER_PERCENT)
        given = rng.choice(places.FEMALE_NAMES if gender.value == "female" else places.MALE_NAMES)
        low, high = _pick(rng, cohort.AGE_BAND_PERCENT)
        born = years_before(self.today, rng.randint(low, high)) - timedelta(
            days=rng.randint(1, 364)
        )
        needs = _draw_needs(rng)
        benefits = {Benefit.UNIVERSAL_CREDIT} if rng.random() < 0.85 else set()
        if SupportNeed.PARENT in needs:
            benefits.add(Benefit.CHILD_BENEFIT)
        if (
            needs & {SupportNeed.PHYSICAL_DISABILITY, SupportNeed.CHRONIC_HEALTH}
            and rng.random() < 0.5
        ):
            benefits.add(Benefit.PIP)
        if SupportNeed.CARER in needs and rng.random() < 0.5:
            benefits.add(Benefit.CARERS_ALLOWANCE)
        handle = f"{given}.{family}".lower().replace("'", "")
        person = {
            "id": self.person_id,
            "household_id": household_id,
            "role": role.value,
            "given_name": given,
            "family_name": family,
            "date_of_birth": born,
            "gender": gender.value,
            "ethnicity": _pick(rng, cohort.ETHNICITY_PERCENT).value,
            "address": address,
            "postcode": postcode,
            # Ofcom keeps 07700 900000-900999 for fiction: no real phone rings.
            "phone": f"07700 900{rng.randint(0, 999):03d}" if rng.random() < 0.9 else "",
            "email": f"{handle}{rng.randint(1, 99)}@example.org" if rng.random() < 0.5 else "",
            "time_since_work": _pick(rng, cohort.TIME_SINCE_WORK_PERCENT).value,
            "benefits": sorted(b.value for b in benefits),
            "qualification": _pick(rng, _QUALIFICATION_WEIGHT).value,
            "left_on": None,
            "version": 1,
        }
        person |= search_keys(
            given_name=given, family_name=family, postcode=postcode, phone=person["phone"]
        )
        return person, [{"person_id": self.person_id, "need": need.value} for need in sorted(needs)]


@dataclass
class _Rows(CaseRows):
    """Rows for each table; `_TABLES` gives the order they are inserted (parents first)."""

    households: list[dict[str, Any]] = field(default_factory=list)
    people: list[dict[str, Any]] = field(default_factory=list)
    needs: list[dict[str, Any]] = field(default_factory=list)
    readings: list[dict[str, Any]] = field(default_factory=list)
    scores: list[dict[str, Any]] = field(default_factory=list)
    consents: list[dict[str, Any]] = field(default_factory=list)

    def extend(self, other: _Rows) -> None:
        for name in _TABLES:
            getattr(self, name).extend(getattr(other, name))
        self.postings.extend(other.postings)


_TABLES = {
    "households": Household,
    "people": Person,
    "needs": PersonNeed,
    "readings": StarReading,
    "scores": StarScore,
    "consents": Consent,
    "plans": Plan,
    "goals": Goal,
    "steps": Step,
    "outcomes": Outcome,
}


def _batches(cohort_: _Cohort, households: int) -> Iterator[_Rows]:
    rows = _Rows()
    for household_id in range(1, households + 1):
        rows.extend(cohort_.household(household_id))
        if len(rows.households) >= BATCH:
            yield rows
            rows = _Rows()
    if rows.households:
        yield rows


def _add_users(session: Session) -> dict[str, list[int]]:
    add_user(
        session, username=DEMO_MANAGER, display_name="Pat Manager", role=UserRole.PROGRAMME_MANAGER
    )
    add_user(session, username=DEMO_AUDITOR, display_name="Alex Auditor", role=UserRole.AUDITOR)
    advocates: dict[str, list[int]] = {}
    for area, count in places.ADVOCATES_PER_AREA.items():
        add_user(
            session,
            username=f"supervisor.{area.value}",
            display_name=f"{area.label} Supervisor",
            role=UserRole.SUPERVISOR,
            local_authority=area,
        )
        advocates[area.value] = [
            add_user(
                session,
                username=f"advocate.{area.value}.{n}",
                display_name=f"{area.label} Advocate {n}",
                role=UserRole.ADVOCATE,
                local_authority=area,
            ).id
            for n in range(1, count + 1)
        ]
    session.execute(update(User).values(password_hash=hash_password(DEMO_PASSWORD)))
    return advocates


#: Partner services of the kinds advocates refer to (names invented for the demo).
DEMO_PARTNERS = (
    ("Citizens Advice (city region)", PartnerKind.CITIZENS_ADVICE),
    ("Community Mental Health Team", PartnerKind.NHS),
    ("North End Food Bank", PartnerKind.FOOD_BANK),
    ("Mersey College Adult Learning", PartnerKind.TRAINING),
    ("Jobcentre Plus", PartnerKind.JOBCENTRE_PLUS),
    ("Housing Options Service", PartnerKind.HOUSING),
    ("Ways to Work", PartnerKind.WAYS_TO_WORK),
    ("Talking Therapies", PartnerKind.COUNSELLING),
)


def _add_partners(session: Session) -> None:
    session.execute(
        insert(Partner),
        [
            {"name": name, "kind": kind.value, "contact": "", "active": True, "version": 1}
            for name, kind in DEMO_PARTNERS
        ],
    )


def build_demo(
    database: Database, *, households: int, seed: int, today: date, reading_weeks: int = 12
) -> DemoSummary:
    """Fill an empty (migrated) database with demo users and `households` households,
    each person's Star read about every `reading_weeks` weeks (the programme's 12 by
    default; the benchmarks read more often, for the volume of a long-running service)."""
    rng = random.Random(seed)
    with database.engine.connect() as connection:
        if connection.scalar(select(func.count()).select_from(Household)):
            raise DemoRefused(
                "This database already holds households; the demo needs an empty one."
            )
    people = 0
    with Session(database.engine) as session, session.begin():
        advocates = _add_users(session)
        manager = get_user(session, username=DEMO_MANAGER)
        _add_partners(session)
        users = sum(len(ids) + 1 for ids in advocates.values()) + 2
        for rows in _batches(
            _Cohort(rng, today, advocates, seed=seed, reading_weeks=reading_weeks), households
        ):
            for name, model in _TABLES.items():
                if getattr(rows, name):
                    session.execute(insert(model), getattr(rows, name))
            post(session, actor=manager, policy=POLICY, postings=rows.postings)
            refresh_better_areas(session, [row["id"] for row in rows.households])
            people += len(rows.people)
        if database.engine.dialect.name == "postgresql":
            for serial in (
                *("household", "person", "star_reading", "plan", "plan_goal", "plan_step"),
                *("outcome", "ledger_entry"),
            ):
                last = f"(SELECT max(id) FROM {serial})"
                session.execute(
                    text(f"SELECT setval(pg_get_serial_sequence('{serial}', 'id'), {last})")
                )
    # Fresh statistics, so the query planner knows how selective each index is; on
    # PostgreSQL a vacuum too (outside a transaction), so covering indexes answer alone.
    if database.engine.dialect.name == "postgresql":
        outside = database.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        with outside as connection:
            connection.execute(text("VACUUM ANALYZE"))
    else:
        with database.engine.begin() as connection:
            connection.execute(text("ANALYZE"))
    return DemoSummary(households=households, people=people, users=users)
