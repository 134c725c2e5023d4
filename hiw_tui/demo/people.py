"""Demo people: drawn from the published profile, plausible for their age.

Ages follow the published bands as they were at the household's start (so a person of
a 2018 household is older now). Everybody is 16 or over at the start, householders
included. A person's time out of work is never longer than the time since they turned
16 (more than 36 months needs 19 or over); a teenage parent is 16 to 20 and a person
not in education, employment or training 16 to 24 at the start, the other people's
bands being drawn so that each band keeps its published share.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from hiw_tui.db.households.people import search_keys
from hiw_tui.demo import places
from hiw_tui.domain import cohort
from hiw_tui.domain.codes import Benefit, MemberRole, Qualification, SupportNeed, TimeSinceWork
from hiw_tui.domain.dates import years_before

QUALIFICATION_WEIGHT = {
    Qualification.NONE: 25,
    Qualification.ENTRY: 10,
    Qualification.LEVEL_1: 25,
    Qualification.LEVEL_2: 22,
    Qualification.LEVEL_3: 10,
    Qualification.LEVEL_4_PLUS: 5,
    Qualification.UNKNOWN: 3,
}
#: The youngest age at the start that each time out of work allows (in whole years past 16).
YOUNGEST_FOR_WORK = {
    TimeSinceWork.M6_12: 17,
    TimeSinceWork.M12_18: 17,
    TimeSinceWork.M18_24: 18,
    TimeSinceWork.M24_36: 18,
    TimeSinceWork.M36_PLUS: 19,
}
TEENAGE_PARENT_OLDEST = 20
NEET_OLDEST = 24
YOUNG_BAND = (16, 25)
#: Needs that only parents have: drawn among parents, so every published share holds.
_PARENT_NEEDS = (SupportNeed.LONE_PARENT, SupportNeed.TEENAGE_PARENT)


def pick(rng: random.Random, weights: Mapping[Any, float]) -> Any:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def draw_needs(rng: random.Random) -> set[SupportNeed]:
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


def _other_bands() -> dict[tuple[int, int], float]:
    """Age bands for people who are neither NEET nor teenage parents: the young band
    thinned by the share those two take from it, so that overall each band keeps its
    published share."""
    shares = cohort.SUPPORT_NEED_PERCENT
    young = shares[SupportNeed.NEET] + shares[SupportNeed.TEENAGE_PARENT] * (
        1 - shares[SupportNeed.NEET] / 100
    )
    bands = dict(cohort.AGE_BAND_PERCENT)
    bands[YOUNG_BAND] = max(0.0, bands[YOUNG_BAND] - young)
    return bands


OTHER_BANDS = _other_bands()


def draw_age(rng: random.Random, needs: set[SupportNeed], work: TimeSinceWork) -> int:
    """An age at the start that fits the person's needs and time out of work."""
    if SupportNeed.TEENAGE_PARENT in needs:
        low, high = YOUNG_BAND[0], TEENAGE_PARENT_OLDEST
    elif SupportNeed.NEET in needs:
        low, high = YOUNG_BAND[0], NEET_OLDEST
    else:
        low, high = pick(rng, OTHER_BANDS)
    return rng.randint(max(low, YOUNGEST_FOR_WORK.get(work, low)), max(high, low))


def draw_person(
    rng: random.Random,
    *,
    person_id: int,
    household_id: int,
    role: MemberRole,
    family: str,
    address: str,
    postcode: str,
    start: date,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A person and their needs' rows; `start` is when their household started."""
    gender = pick(rng, cohort.GENDER_PERCENT)
    given = rng.choice(places.FEMALE_NAMES if gender.value == "female" else places.MALE_NAMES)
    needs = draw_needs(rng)
    work: TimeSinceWork = pick(rng, cohort.TIME_SINCE_WORK_PERCENT)
    age = draw_age(rng, needs, work)
    born = years_before(start, age) - timedelta(days=rng.randint(1, 364))
    benefits = {Benefit.UNIVERSAL_CREDIT} if rng.random() < 0.85 else set()
    if SupportNeed.PARENT in needs:
        benefits.add(Benefit.CHILD_BENEFIT)
    if needs & {SupportNeed.PHYSICAL_DISABILITY, SupportNeed.CHRONIC_HEALTH} and rng.random() < 0.5:
        benefits.add(Benefit.PIP)
    if SupportNeed.CARER in needs and rng.random() < 0.5:
        benefits.add(Benefit.CARERS_ALLOWANCE)
    handle = f"{given}.{family}".lower().replace("'", "")
    phone = f"07700 900{rng.randint(0, 999):03d}" if rng.random() < 0.9 else ""
    person = {
        "id": person_id,
        "household_id": household_id,
        "role": role.value,
        "given_name": given,
        "family_name": family,
        "date_of_birth": born,
        "gender": gender.value,
        "ethnicity": pick(rng, cohort.ETHNICITY_PERCENT).value,
        "address": address,
        "postcode": postcode,
        # Ofcom keeps 07700 900000-900999 for fiction: no real phone rings.
        "phone": phone,
        "email": f"{handle}{rng.randint(1, 99)}@example.org" if rng.random() < 0.5 else "",
        "time_since_work": work.value,
        "benefits": sorted(b.value for b in benefits),
        "qualification": pick(rng, QUALIFICATION_WEIGHT).value,
        "left_on": None,
        "version": 1,
    }
    person |= search_keys(
        given_name=given, family_name=family, postcode=postcode, phone=phone, email=person["email"]
    )
    return person, [{"person_id": person_id, "need": need.value} for need in sorted(needs)]
