"""The demo's partner services, its referrals to them and the consents they need.

A household taking part is referred to partners a few times (one not taking part
seldom): usually one member, sometimes the household as a whole, to a service that
fits their needs. Each referral is preceded by the consent to share that the app asks
for: the referred member's, or both householders' for a referral of the household, so
no referral needs a supervisor's override. Statuses run over their lifecycle: made,
then accepted or declined within weeks, then attended or closed; an open household's
latest are still made or accepted. A few people withdraw their consent later, after
their last referral to that partner. A household leaving for another programme or for
education, and some leaving with no destination, get an onward referral on their exit
day (the partner's reply may follow within weeks of it).

The referrals are made through `hiw_tui.db.casework.referrals.import_referrals`, which
checks those consents again; they are never inserted directly.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from hiw_tui.demo.rows import Case, Ids, Row, at
from hiw_tui.domain.codes import (
    ConsentPurpose,
    Destination,
    PartnerKind,
    ReferralStatus,
    SupportNeed,
)

#: Partner services of the kinds advocates refer to (names invented for the demo): the
#: partner's id (the order they are added in), name, kind and what a referral is for.
DEMO_PARTNERS: tuple[tuple[int, str, PartnerKind, str], ...] = (
    (1, "Citizens Advice (city region)", PartnerKind.CITIZENS_ADVICE, "Debt and benefits advice"),
    (2, "Community Mental Health Team", PartnerKind.NHS, "Assessment for mental health support"),
    (3, "North End Food Bank", PartnerKind.FOOD_BANK, "Food parcels while a claim is sorted"),
    (4, "Mersey College Adult Learning", PartnerKind.TRAINING, "English and maths course"),
    (5, "Jobcentre Plus", PartnerKind.JOBCENTRE_PLUS, "Work coach appointment"),
    (6, "Housing Options Service", PartnerKind.HOUSING, "Help with rent arrears and housing"),
    (7, "Ways to Work", PartnerKind.WAYS_TO_WORK, "Support into work after the programme"),
    (8, "Talking Therapies", PartnerKind.COUNSELLING, "Talking therapy for anxiety"),
    (9, "Community Recovery Service", PartnerKind.OTHER, "Support with drink or drug use"),
)
CITIZENS_ADVICE, MENTAL_HEALTH, FOOD_BANK, COLLEGE, JOBCENTRE = 1, 2, 3, 4, 5
HOUSING, WAYS_TO_WORK, THERAPY, RECOVERY = 6, 7, 8, 9
_PURPOSE = {partner: purpose for partner, _, _, purpose in DEMO_PARTNERS}
#: Partners that fit a need (others: advice, food, learning, the Jobcentre).
_FOR_NEED = {
    SupportNeed.MENTAL_HEALTH.value: (THERAPY, MENTAL_HEALTH),
    SupportNeed.HOMELESS.value: (HOUSING,),
    SupportNeed.DRUG_MISUSE.value: (RECOVERY,),
    SupportNeed.PROBLEM_DRINKING.value: (RECOVERY,),
}
_ANY = (CITIZENS_ADVICE, CITIZENS_ADVICE, FOOD_BANK, COLLEGE, JOBCENTRE)
_ONWARD = {Destination.OTHER_PROGRAMME: WAYS_TO_WORK, Destination.EDUCATION: COLLEGE}
_FINAL = {
    ReferralStatus.ATTENDED: 50,
    ReferralStatus.CLOSED: 15,
    ReferralStatus.DECLINED: 15,
    ReferralStatus.ACCEPTED: 20,
}
_NOTES = {
    ReferralStatus.ATTENDED: "Went to the first appointment",
    ReferralStatus.CLOSED: "Closed by the service after two missed appointments",
    ReferralStatus.DECLINED: "The service could not take them on",
    ReferralStatus.ACCEPTED: "",
    ReferralStatus.MADE: "",
}


class Referrals:
    """Draws each household's referrals and the consents they need into a batch."""

    def __init__(self, rng: random.Random, ids: Ids) -> None:
        self.rng = rng
        self.ids = ids

    def household(self, case: Case, needs: dict[int, set[str]]) -> None:
        """Referrals during support, then the onward referral on exit."""
        rng = self.rng
        story = case.story
        weights = (20, 35, 28, 17) if story.engaged else (65, 30, 5, 0)
        consented: dict[tuple[int, int], date] = {}
        count = rng.choices((0, 1, 2, 3), weights)[0]
        days = sorted(3 + int(rng.expovariate(1 / 70)) for _ in range(count))
        for made in (story.start + timedelta(days=n) for n in days):
            if made > story.last:
                break
            person = rng.choice(case.householders)["id"] if rng.random() < 0.8 else None
            fits = [p for need in needs.get(person or 0, ()) for p in _FOR_NEED.get(need, ())]
            partner = rng.choice(fits + list(_ANY))
            self._refer(case, person, partner, made, story.last, consented, onward=False)
        if story.closed and story.destination is not None and story.reason is not None:
            onward = _ONWARD.get(story.destination)
            if onward is None and story.destination is Destination.NONE and rng.random() < 0.3:
                onward = CITIZENS_ADVICE
            if onward is not None and story.end is not None:
                self._refer(case, None, onward, story.end, story.today, consented, onward=True)
        for (person, partner), last_made in consented.items():
            withdrawn = last_made + timedelta(days=rng.randint(30, 200))
            if rng.random() < 0.03 and withdrawn <= story.last:
                case.into.consents.append(self._consent(case, person, partner, withdrawn, False))

    def _refer(
        self,
        case: Case,
        person: int | None,
        partner: int,
        made: date,
        until: date,
        consented: dict[tuple[int, int], date],
        *,
        onward: bool,
    ) -> None:
        """A referral made on `made`, its status as it stood on `until`, after the
        consent of each person it shares (given that day unless already given)."""
        rng = self.rng
        for who in [person] if person is not None else [p["id"] for p in case.householders]:
            if (who, partner) not in consented:
                case.into.consents.append(self._consent(case, who, partner, made, True))
            consented[(who, partner)] = made
        final = rng.choices(list(_FINAL), list(_FINAL.values()))[0]
        replied = made + timedelta(days=rng.randint(2, 21))
        attended = replied + timedelta(days=rng.randint(5, 40))
        status, status_on = ReferralStatus.MADE, made
        if replied <= until:
            status, status_on = ReferralStatus.ACCEPTED, replied
            if final is ReferralStatus.DECLINED:
                status = final
            elif final is not ReferralStatus.ACCEPTED and attended <= until:
                status, status_on = final, attended
        case.into.referrals.append(
            {
                "id": self.ids.next("referral"),
                "household_id": case.household_id,
                "person_id": person,
                "partner_id": partner,
                "purpose": _PURPOSE[partner],
                "status": status.value,
                "made_on": made,
                "status_on": status_on,
                "outcome_note": _NOTES[status],
                "onward": onward,
                "consent_override": "",
                "entered_by": case.advocate_id,
                "version": 1,
            }
        )

    def _consent(self, case: Case, person: int, partner: int, on: date, given: bool) -> Row:
        return {
            "person_id": person,
            "household_id": case.household_id,
            "purpose": ConsentPurpose.SHARE_PARTNER.value,
            "partner_id": partner,
            "given": given,
            "on": on,
            "recorded_by": case.advocate_id,
            "recorded_at": at(on),
        }
