"""The demo's action plans and outcomes, following each household's story.

Each householder has an agreed plan (two goals around Star areas, two or three steps
each). A household taking part does its steps one after another, the first some weeks
after the plan is agreed (later in the programme's first year); one that does not take
part does none. Steps not done by the end are dropped or left planned; an open
household's next steps are still planned or in progress. Outcomes (courses,
volunteering, work experience, a part-time job) come at the same pace; the job of
16+ hours is the story's. Nothing is dated after the household's last day.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from hiw_tui.demo.rows import Case, Ids, Row
from hiw_tui.demo.story import JOB_SETTLES
from hiw_tui.domain.codes import OutcomeKind, StepOwner, StepStatus

_OWNERS = (StepOwner.HOUSEHOLDER, StepOwner.HOUSEHOLDER, StepOwner.ADVOCATE)
_STEPS = (
    "Meet the advocate to talk it through",
    "Book an appointment",
    "Fill in the application",
    "Go along with the advocate",
    "Follow up a week later",
)
_LEFT_UNDONE = {StepStatus.DROPPED: 45, StepStatus.BACK_BURNER: 20, StepStatus.PLANNED: 35}
_SKIPPED = 0.15
"""The share of a taking-part household's steps it never does."""
EMPLOYERS = ("Care home", "Warehouse", "Supermarket", "School kitchen", "Call centre", "Cafe")
_ACTIVITIES = (  # kind, chance per householder taking part, organisations, hours
    (OutcomeKind.VOLUNTEERING, 0.12, ("Food bank", "Charity shop", "Community garden"), (2, 12)),
    (OutcomeKind.COURSE, 0.18, ("Adult learning", "College", "Online course"), (3, 60)),
    (OutcomeKind.WORK_EXPERIENCE, 0.04, ("Council offices", "Garden centre"), (10, 30)),
    (OutcomeKind.JOB, 0.04, EMPLOYERS, (6, 15)),
)
_NOT_TAKING_PART = 0.2
"""How much less often a household not taking part has each outcome."""


class CaseWork:
    """Draws a household's plans and outcomes into a batch's rows."""

    def __init__(self, rng: random.Random, ids: Ids, areas: tuple[str, ...]) -> None:
        self.rng = rng
        self.ids = ids
        self.areas = areas

    def _day(self, start: date, last: date) -> date:
        return start + timedelta(days=self.rng.randint(0, max(0, (last - start).days)))

    def _after(self, day: date, mean_days: float) -> date:
        return day + timedelta(days=int(self.rng.expovariate(1 / mean_days)))

    def household(self, case: Case) -> None:
        """The householders' plans and outcomes."""
        story = case.story
        agreed = min(story.last, story.start + timedelta(days=self.rng.randint(3, 21)))
        householders = case.householders
        for person in householders:
            self._plan(case, person["id"], agreed)
            self._activities(case, person["id"], agreed)
        if story.job_on is not None:
            self._job(case, self.rng.choice(householders)["id"])

    def _plan(self, case: Case, person_id: int, agreed: date) -> None:
        rng = self.rng
        plan_id = self.ids.next("plan")
        case.into.plans.append(
            {
                "id": plan_id,
                "household_id": case.household_id,
                "person_id": person_id,
                "agreed_on": agreed,
                "agreed_by": case.advocate_id,
                "agreed_version": 1,
                "changed_on": agreed,
                "version": 1,
            }
        )
        goals = [(self.ids.next("goal"), area) for area in rng.sample(self.areas, 2)]
        counts = [rng.randint(2, 3) for _ in goals]
        # When each step would be done, one after another: the person's pace.
        pace = case.story.pace
        when = [self._after(agreed, pace.first_step_days)]
        for _ in range(sum(counts) - 1):
            when.append(self._after(when[-1], pace.step_days))
        slots = iter(rng.sample(when, len(when)))
        for (goal_id, area), count in zip(goals, counts, strict=True):
            case.into.goals.append(
                {
                    "id": goal_id,
                    "plan_id": plan_id,
                    "area": area,
                    "description": f"Move on in {area.replace('_', ' ')}",
                    "version": 1,
                }
            )
            # Steps of one goal differ, as the import tells steps apart by person, area
            # and description; within a goal they come in order.
            days = sorted(next(slots) for _ in range(count))
            for position, (on, description) in enumerate(
                zip(days, rng.sample(_STEPS, count), strict=True), start=1
            ):
                case.into.steps.append(
                    {
                        "id": self.ids.next("step"),
                        "goal_id": goal_id,
                        "household_id": case.household_id,
                        "person_id": person_id,
                        "position": position,
                        "description": description,
                        "owner": rng.choice(_OWNERS).value,
                        "partner_id": None,
                        "version": 1,
                    }
                    | self._status(case, agreed, on)
                )

    def _status(self, case: Case, agreed: date, on: date) -> Row:
        """A step that would be done on `on`: done then, if the household takes part and
        is still there; otherwise where it was left."""
        rng = self.rng
        story = case.story
        last = story.last
        due = on + timedelta(days=rng.randint(-7, 14))
        due = max(agreed, min(due, last) if story.closed else due)
        if story.engaged and on <= last and rng.random() >= _SKIPPED:
            return {"due_on": due, "status": StepStatus.DONE.value, "status_on": on, "done_on": on}
        if story.closed:
            left = rng.choices(list(_LEFT_UNDONE), list(_LEFT_UNDONE.values()))[0]
            changed = agreed if left is StepStatus.PLANNED else self._day(agreed, last)
            return {"due_on": due, "status": left.value, "status_on": changed, "done_on": None}
        going = on <= last + timedelta(days=28) and rng.random() < 0.5
        status = StepStatus.IN_PROGRESS if going else StepStatus.PLANNED
        return {"due_on": due, "status": status.value, "status_on": agreed, "done_on": None}

    def _activities(self, case: Case, person_id: int, agreed: date) -> None:
        rng = self.rng
        story = case.story
        for kind, chance, organisations, (low, high) in _ACTIVITIES:
            if rng.random() >= chance * (1 if story.engaged else _NOT_TAKING_PART):
                continue
            begun = self._after(agreed, 2 * story.pace.first_step_days)
            if begun > story.last:
                continue
            ended: date | None = min(story.last, begun + timedelta(days=rng.randint(5, 120)))
            if kind is OutcomeKind.JOB and rng.random() < 0.7:
                ended = None  # a part-time job still going
            hours = rng.randint(low, high)
            self._outcome(case, person_id, kind, rng.choice(organisations), begun, ended, hours)

    def _job(self, case: Case, person_id: int) -> None:
        """The story's job of 16+ hours: one that lasts is still going, or ended four
        weeks or more after it began; one that did not ended within four weeks."""
        rng = self.rng
        story = case.story
        assert story.job_on is not None
        begun, ended = story.job_on, None
        settled = begun + timedelta(days=JOB_SETTLES)
        if not story.job_lasts:
            ended = min(story.last, begun + timedelta(days=rng.randint(5, JOB_SETTLES - 1)))
        elif rng.random() < 0.2 and settled <= story.last:
            ended = self._day(settled, story.last)
        hours = rng.randint(16, 37)
        self._outcome(case, person_id, OutcomeKind.JOB, rng.choice(EMPLOYERS), begun, ended, hours)

    def _outcome(
        self,
        case: Case,
        person_id: int,
        kind: OutcomeKind,
        organisation: str,
        begun: date,
        ended: date | None,
        hours: int,
    ) -> None:
        case.into.outcomes.append(
            {
                "id": self.ids.next("outcome"),
                "household_id": case.household_id,
                "person_id": person_id,
                "kind": kind.value,
                "organisation": organisation,
                "description": "",
                "start_on": begun,
                "end_on": ended,
                "hours": float(hours),
                "completed": ended is not None and ended < case.story.today,
                "entered_by": case.advocate_id,
                "version": 1,
            }
        )
