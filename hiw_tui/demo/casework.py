"""The demo's case work: each household's action plans, outcomes and support budget.

Drawn from a generator of its own (seeded from the demo's seed), so adding case work
leaves the households and people a seed gives as they were. Nothing is dated after
the household's end or `today`; no budget is overspent and no spend is large enough
to wait for approval. Budgets are posted through the ledger's one locked path, so their
totals are what their entries add up to.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from hiw_tui.db.ledger.models import BudgetCap, LedgerEntry
from hiw_tui.db.ledger.posting import OPENING_REASON, Posting
from hiw_tui.domain.budget import BudgetPolicy
from hiw_tui.domain.codes import (
    BudgetCategory,
    EntryKind,
    MemberRole,
    OutcomeKind,
    StepOwner,
    StepStatus,
)

CAP_PENCE = 100_000
"""The demo's budgets open at the default cap (£1,000)."""
POLICY = BudgetPolicy(cap_pence=CAP_PENCE, approval_threshold_pence=25_000)
"""The default budget policy, which the demo's spends are drawn within."""
LARGEST_SPEND_PENCE = 20_000
"""Below the default approval threshold (£250)."""
_PAYEES = ("Asda", "Tesco", "Merseyrail", "Arriva", "Argos", "Primark", "EE", "Octopus Energy")
_STEP_STATUS = {
    StepStatus.DONE: 40,
    StepStatus.IN_PROGRESS: 20,
    StepStatus.PLANNED: 25,
    StepStatus.BACK_BURNER: 10,
    StepStatus.DROPPED: 5,
}
_OWNERS = (StepOwner.HOUSEHOLDER, StepOwner.HOUSEHOLDER, StepOwner.ADVOCATE)
_STEPS = (
    "Meet the advocate to talk it through",
    "Book an appointment",
    "Fill in the application",
    "Go along with the advocate",
    "Follow up a week later",
)
_OUTCOMES = (  # kind, chance per adult, organisations, (lowest, highest) hours
    (OutcomeKind.JOB, 0.22, ("Care home", "Warehouse", "Supermarket", "School kitchen"), (8, 37)),
    (OutcomeKind.VOLUNTEERING, 0.15, ("Food bank", "Charity shop", "Community garden"), (2, 12)),
    (OutcomeKind.COURSE, 0.3, ("Adult learning", "College", "Online course"), (3, 60)),
    (OutcomeKind.WORK_EXPERIENCE, 0.05, ("Council offices", "Garden centre"), (10, 30)),
)


@dataclass
class CaseRows:
    """Rows for each case-work table, parents before children, and the budgets' rows."""

    plans: list[dict[str, Any]] = field(default_factory=list)
    goals: list[dict[str, Any]] = field(default_factory=list)
    steps: list[dict[str, Any]] = field(default_factory=list)
    outcomes: list[dict[str, Any]] = field(default_factory=list)
    postings: list[Posting] = field(default_factory=list)
    """Each budget's opening cap, then its spends: posted, not inserted."""


def _at(day: date) -> datetime:
    """A demo entry's time: that day at nine."""
    return datetime.combine(day, time(9), tzinfo=UTC)


@dataclass(frozen=True)
class _Case:
    """The household whose case work is being drawn, and where its rows go."""

    household_id: int
    advocate: int
    start: date
    last: date
    """The household's end, or today."""
    into: CaseRows


class CaseWork:
    """Draws a household's case work; ids are assigned here, as the cohort's are."""

    def __init__(self, seed: int, today: date, areas: tuple[str, ...]) -> None:
        self.rng = random.Random(f"{seed}-casework")
        self.today = today
        self.areas = areas
        self.ids = dict.fromkeys(("plan", "goal", "step", "outcome", "entry"), 0)

    def _next(self, table: str) -> int:
        self.ids[table] += 1
        return self.ids[table]

    def _day(self, start: date, last: date) -> date:
        return start + timedelta(days=self.rng.randint(0, max(0, (last - start).days)))

    def household(
        self, household: dict[str, Any], people: list[dict[str, Any]], into: CaseRows
    ) -> None:
        """Add the case work of a household that has started (not one only referred)."""
        case = _Case(
            household["id"],
            household["advocate_id"],
            household["start_date"],
            household["end_date"] or self.today,
            into,
        )
        for person in people:
            if person["role"] != MemberRole.MEMBER.value:
                self._plan(case, person["id"])
                self._outcomes(case, person["id"])
        self._ledger(case, [p["id"] for p in people])

    def _plan(self, case: _Case, person_id: int) -> None:
        rng = self.rng
        agreed = min(case.last, case.start + timedelta(days=rng.randint(7, 21)))
        plan_id = self._next("plan")
        case.into.plans.append(
            {
                "id": plan_id,
                "household_id": case.household_id,
                "person_id": person_id,
                "agreed_on": agreed,
                "agreed_by": case.advocate,
                "agreed_version": 1,
                "changed_on": agreed,
                "version": 1,
            }
        )
        for area in rng.sample(self.areas, 2):
            goal_id = self._next("goal")
            case.into.goals.append(
                {
                    "id": goal_id,
                    "plan_id": plan_id,
                    "area": area,
                    "description": f"Move on in {area.replace('_', ' ')}",
                    "version": 1,
                }
            )
            dues = [self._day(agreed, case.last + timedelta(days=28)) for _ in range(3)]
            dues = sorted(dues[: rng.randint(2, 3)])
            # Steps of one goal differ, as the import tells steps apart by person, area
            # and description.
            steps = zip(dues, rng.sample(_STEPS, len(dues)), strict=True)
            for position, (due, description) in enumerate(steps, start=1):
                status = rng.choices(list(_STEP_STATUS), list(_STEP_STATUS.values()))[0]
                done = self._day(agreed, case.last) if status is StepStatus.DONE else None
                case.into.steps.append(
                    {
                        "id": self._next("step"),
                        "goal_id": goal_id,
                        "household_id": case.household_id,
                        "person_id": person_id,
                        "position": position,
                        "description": description,
                        "owner": rng.choice(_OWNERS).value,
                        "partner_id": None,
                        "due_on": due,
                        "status": status.value,
                        "status_on": done or agreed,
                        "done_on": done,
                        "version": 1,
                    }
                )

    def _outcomes(self, case: _Case, person_id: int) -> None:
        rng = self.rng
        for kind, chance, organisations, (low, high) in _OUTCOMES:
            if rng.random() >= chance:
                continue
            begun = self._day(case.start, case.last)
            ended = None  # most jobs are still going
            if kind is not OutcomeKind.JOB or rng.random() < 0.3:
                ended = min(case.last, begun + timedelta(days=rng.randint(5, 120)))
            case.into.outcomes.append(
                {
                    "id": self._next("outcome"),
                    "household_id": case.household_id,
                    "person_id": person_id,
                    "kind": kind.value,
                    "organisation": rng.choice(organisations),
                    "description": "",
                    "start_on": begun,
                    "end_on": ended,
                    "hours": float(rng.randint(low, high)),
                    "completed": ended is not None and ended < self.today,
                    "entered_by": case.advocate,
                    "version": 1,
                }
            )

    def _ledger(self, case: _Case, people: list[int]) -> None:
        rng = self.rng
        spent = 0
        opening = BudgetCap(
            household_id=case.household_id,
            cap_pence=CAP_PENCE,
            reason=OPENING_REASON,
            set_by=case.advocate,
            set_at=_at(case.start),
        )
        case.into.postings.append(Posting(case.household_id, opening, opens=True))
        days = sorted(self._day(case.start, case.last) for _ in range(rng.randint(3, 8)))
        for day in days:  # entered in date order, as an advocate would
            amount = rng.randint(5, LARGEST_SPEND_PENCE // 100) * 100 - rng.choice((0, 1, 50))
            if spent + amount > CAP_PENCE:
                break
            spent += amount
            entry_id = self._next("entry")
            entry = LedgerEntry(
                id=entry_id,
                household_id=case.household_id,
                kind=EntryKind.SPEND.value,
                spent_on=day,
                amount_pence=amount,
                category=rng.choice(list(BudgetCategory)).value,
                payee=rng.choice(_PAYEES),
                description="",
                receipt_ref=f"R{entry_id:07d}",
                person_id=rng.choice(people),
                reason="",
                needs_approval=False,
                entered_by=case.advocate,
                entered_at=_at(day),
                idempotency_key=f"demo-{entry_id}",
            )
            case.into.postings.append(Posting(case.household_id, entry))
