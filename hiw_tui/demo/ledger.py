"""The demo's support budgets: each household's spends, posted through the ledger's one
locked path (`hiw_tui.db.ledger.posting.post`), never inserted, so their totals are
what their entries add up to.

A household's budget opens at the default cap on its start date and takes three to
eight spends over its time on the programme, each paid to a payee that fits its
category (food at a supermarket, fuel vouchers with an energy supplier, travel with
Merseyrail or Arriva ...) for an amount that fits it. About one household in fifty
has a larger spend above the approval threshold (a cooker, a washing machine, a
laptop for a course): in an open household it waits for the area's supervisor; in
one that has left it was decided (mostly approved) a few days after it was entered.
An open household's larger spend is its latest, entered in the last three weeks.
No budget is overspent.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from hiw_tui.db.ledger.models import BudgetCap, LedgerDecision, LedgerEntry
from hiw_tui.db.ledger.posting import OPENING_REASON, Posting
from hiw_tui.demo.rows import Case, Ids, at
from hiw_tui.domain.budget import BudgetPolicy
from hiw_tui.domain.codes import BudgetCategory, Decision, EntryKind

CAP_PENCE = 100_000
"""The demo's budgets open at the default cap (£1,000)."""
POLICY = BudgetPolicy(cap_pence=CAP_PENCE, approval_threshold_pence=25_000)
"""The default budget policy, which the demo's spends are drawn within."""
LARGE_SPEND_SHARE = 0.02
"""Households with a spend above the approval threshold."""

#: Per category: how often it is bought (weight), its payees, and its amounts in pounds.
SPENDING: dict[BudgetCategory, tuple[int, tuple[str, ...], tuple[int, int]]] = {
    BudgetCategory.FOOD: (22, ("Asda", "Tesco", "Aldi", "Lidl", "Iceland", "Morrisons"), (15, 80)),
    BudgetCategory.FUEL_VOUCHERS: (
        20,
        ("Octopus Energy", "British Gas", "EDF", "E.ON Next", "OVO Energy", "ScottishPower"),
        (20, 100),
    ),
    BudgetCategory.PHONE_TOPUP: (12, ("EE", "Vodafone", "O2", "Three", "giffgaff"), (10, 30)),
    BudgetCategory.TRAVEL: (12, ("Merseyrail", "Arriva", "Stagecoach", "Merseytravel"), (5, 60)),
    BudgetCategory.CLOTHING: (8, ("Primark", "Matalan", "TK Maxx", "Peacocks"), (20, 120)),
    BudgetCategory.HYGIENE: (6, ("Boots", "Superdrug", "Savers", "B&M"), (8, 40)),
    BudgetCategory.BEDDING: (4, ("Dunelm", "Argos", "B&M", "IKEA"), (30, 180)),
    BudgetCategory.FURNITURE: (
        4,
        ("British Heart Foundation", "Furniture Resource Centre", "Argos", "Currys"),
        (40, 240),
    ),
    BudgetCategory.TRAINING_EQUIPMENT: (5, ("Screwfix", "Toolstation", "WHSmith"), (15, 200)),
    BudgetCategory.HEALTH_FITNESS: (3, ("Lifestyles leisure centre", "PureGym"), (20, 120)),
    BudgetCategory.CHILDCARE: (2, ("Little Stars Nursery", "Sunshine Childcare"), (30, 200)),
    BudgetCategory.OTHER: (2, ("Post Office", "HM Passport Office", "DVLA"), (20, 90)),
}
#: Larger spends, above the approval threshold: category, payees, what, pounds.
LARGE: tuple[tuple[BudgetCategory, tuple[str, ...], str, tuple[int, int]], ...] = (
    (BudgetCategory.FURNITURE, ("Currys", "Argos"), "Washing machine", (260, 420)),
    (BudgetCategory.FURNITURE, ("Furniture Resource Centre",), "Second-hand cooker", (255, 330)),
    (BudgetCategory.BEDDING, ("Dunelm", "Argos"), "Beds and bedding for the children", (260, 380)),
    (BudgetCategory.TRAINING_EQUIPMENT, ("Currys", "Argos"), "Laptop for a course", (260, 450)),
)
_CATEGORIES = list(SPENDING)
_WEIGHTS = [weight for weight, _, _ in SPENDING.values()]


class Budgets:
    """Draws each household's postings into a batch's rows."""

    def __init__(self, rng: random.Random, ids: Ids) -> None:
        self.rng = rng
        self.ids = ids

    def _day(self, start: date, last: date) -> date:
        return start + timedelta(days=self.rng.randint(0, max(0, (last - start).days)))

    def household(self, case: Case) -> None:
        rng = self.rng
        story = case.story
        postings = case.into.postings
        opening = BudgetCap(
            household_id=case.household_id,
            cap_pence=CAP_PENCE,
            reason=OPENING_REASON,
            set_by=case.advocate_id,
            set_at=at(story.start),
        )
        postings.append(Posting(case.household_id, opening, opens=True))
        days = sorted(self._day(story.start, story.last) for _ in range(rng.randint(3, 8)))
        large = rng.randrange(len(days)) if rng.random() < LARGE_SPEND_SHARE else None
        if large is not None and not story.closed:  # entered lately, still waiting
            large = len(days) - 1
            days[large] = max(days[large], story.today - timedelta(days=rng.randint(0, 20)))
        left = CAP_PENCE
        for index, day in enumerate(days):  # entered in date order, as an advocate would
            if index == large:
                category, payees, description, (low, high) = rng.choice(LARGE)
            else:
                category = rng.choices(_CATEGORIES, _WEIGHTS)[0]
                _, payees, (low, high) = SPENDING[category]
                description = ""
            amount = rng.randint(low, high) * 100 - rng.choice((0, 1, 50, 99))
            if amount > left:
                break
            left -= amount
            entry = self._spend(case, day, amount, category, rng.choice(payees), description)
            postings.append(Posting(case.household_id, entry))
            if entry.needs_approval and story.closed:
                case.into.decisions.append(self._decision(case, entry, day))

    def _spend(
        self,
        case: Case,
        day: date,
        amount: int,
        category: BudgetCategory,
        payee: str,
        description: str,
    ) -> LedgerEntry:
        entry_id = self.ids.next("entry")
        return LedgerEntry(
            id=entry_id,
            household_id=case.household_id,
            kind=EntryKind.SPEND.value,
            spent_on=day,
            amount_pence=amount,
            category=category.value,
            payee=payee,
            description=description,
            receipt_ref=f"R{entry_id:07d}",
            person_id=self.rng.choice(case.householders)["id"],
            reason="",
            needs_approval=POLICY.needs_approval(amount),
            entered_by=case.advocate_id,
            entered_at=at(day),
            idempotency_key=f"demo-{entry_id}",
        )

    def _decision(self, case: Case, entry: LedgerEntry, day: date) -> Posting:
        """The supervisor's decision on a larger spend, a few days after it was entered."""
        approved = self.rng.random() < 0.85
        decided = min(day + timedelta(days=self.rng.randint(0, 3)), case.story.last)
        decision = LedgerDecision(
            entry_id=entry.id or 0,
            decision=(Decision.APPROVED if approved else Decision.REJECTED).value,
            note="" if approved else "Ask the council's welfare fund first",
            decided_by=case.supervisor_id,
            decided_at=at(decided, 15),
        )
        return Posting(case.household_id, decision, spend=entry)
