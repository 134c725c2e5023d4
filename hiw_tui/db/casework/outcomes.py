"""Outcomes of household members: jobs, work experience, volunteering and courses.

Whether a job or a course counts is decided by `hiw_tui.domain.outcomes`, never here.
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from hiw_tui.db.casework.models import Outcome, OutcomePublic
from hiw_tui.db.casework.rows import check_member, open_list, save_household_row
from hiw_tui.db.core.models import Person, UserPublic
from hiw_tui.db.households.households import household_in_scope
from hiw_tui.domain.case_inputs import OutcomeInput


def household_outcomes(
    session: Session, *, actor: UserPublic, household_id: int, audited: bool = True
) -> list[OutcomePublic]:
    """The household's outcomes, newest first; opening the list is audited as a view."""
    open_list(session, actor, household_id, "outcomes", audited=audited)
    rows = session.exec(
        select(Outcome, Person.given_name, Person.family_name)
        .join(Person, col(Person.id) == col(Outcome.person_id))
        .where(Outcome.household_id == household_id)
        .order_by(col(Outcome.start_on).desc(), col(Outcome.id).desc())
    )
    return [
        OutcomePublic.model_validate({**outcome.model_dump(), "person_name": f"{given} {family}"})
        for outcome, given, family in rows
    ]


def save_outcome(
    session: Session,
    *,
    actor: UserPublic,
    household_id: int,
    data: OutcomeInput,
    outcome_id: int | None = None,
    version: int | None = None,
) -> list[OutcomePublic]:
    """Record an outcome (`outcome_id` None) or save one opened at `version`."""
    household_in_scope(session, actor, household_id, lock=True)
    check_member(session, household_id, data.person_id, "person_id")
    values = data.model_dump()
    save_household_row(
        session,
        actor,
        Outcome,
        entity="outcome",
        household_id=household_id,
        values=values,
        row_id=outcome_id,
        version=version,
    )
    return household_outcomes(session, actor=actor, household_id=household_id, audited=False)
