"""Case-work tables (plans, partners, referrals, outcomes, contacts, exit check-ins) and
the plain read models their query functions return.

A plan belongs to one person, or to the household as a whole when `person_id` is None.
Its goals are set around Star areas and hold ordered steps. Steps, referrals, outcomes
and contacts carry `version` like every editable row, so a stale save is a conflict.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Column, DateTime, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from hiw_tui.db.core.models import ReadModel, ref_field, utcnow
from hiw_tui.domain.codes import (
    ConsentPurpose,
    ContactMode,
    OutcomeKind,
    PartnerKind,
    Recontact,
    ReferralStatus,
    StepOwner,
    StepStatus,
)
from hiw_tui.domain.validation import AreaCode


class Partner(SQLModel, table=True):
    """A service households are referred to; kept, never deleted, once referred to."""

    __tablename__ = "partner"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, unique=True)
    kind: str = Field(max_length=32)
    contact: str = Field(default="", max_length=200)
    active: bool = True
    version: int = 1


class Plan(SQLModel, table=True):
    __tablename__ = "plan"
    __table_args__ = (UniqueConstraint("household_id", "person_id", name="uq_plan_owner"),)

    id: int | None = Field(default=None, primary_key=True)
    household_id: int = Field(foreign_key="household.id", index=True)
    person_id: int | None = Field(default=None, foreign_key="person.id")
    agreed_on: date | None = None
    agreed_by: int | None = Field(default=None, foreign_key="app_user.id")
    agreed_version: int | None = None
    """The plan's version when it was agreed: any later change needs agreeing again."""
    changed_on: date | None = None
    """The day a goal or step last changed."""
    version: int = 1


class Goal(SQLModel, table=True):
    __tablename__ = "plan_goal"

    id: int | None = Field(default=None, primary_key=True)
    ref: str | None = ref_field()
    plan_id: int = Field(foreign_key="plan.id", index=True)
    area: str = Field(max_length=40)
    description: str = Field(max_length=200)
    version: int = 1


class Step(SQLModel, table=True):
    __tablename__ = "plan_step"
    # With done_on, it covers the count of steps done by a date (the performance report).
    __table_args__ = (Index("ix_plan_step_household_status", "household_id", "status", "done_on"),)

    id: int | None = Field(default=None, primary_key=True)
    ref: str | None = ref_field()
    goal_id: int = Field(foreign_key="plan_goal.id", index=True)
    household_id: int = Field(foreign_key="household.id")
    person_id: int | None = Field(default=None, foreign_key="person.id")
    position: int
    description: str = Field(max_length=200)
    owner: str = Field(max_length=16)
    partner_id: int | None = Field(default=None, foreign_key="partner.id")
    due_on: date | None = Field(default=None, index=True)
    status: str = Field(max_length=16)
    status_on: date
    done_on: date | None = Field(default=None, index=True)
    version: int = 1


class Referral(SQLModel, table=True):
    __tablename__ = "referral"

    id: int | None = Field(default=None, primary_key=True)
    ref: str | None = ref_field()
    household_id: int = Field(foreign_key="household.id", index=True)
    person_id: int | None = Field(default=None, foreign_key="person.id")
    partner_id: int = Field(foreign_key="partner.id", index=True)
    purpose: str = Field(default="", max_length=200)
    status: str = Field(max_length=16)
    made_on: date
    status_on: date
    outcome_note: str = Field(default="", sa_type=Text)
    onward: bool = False
    consent_override: str = Field(default="", max_length=200)
    """A supervisor's reason for sharing without the person's consent; '' when it was held."""
    entered_by: int = Field(foreign_key="app_user.id")
    version: int = 1


class Outcome(SQLModel, table=True):
    __tablename__ = "outcome"

    id: int | None = Field(default=None, primary_key=True)
    ref: str | None = ref_field()
    household_id: int = Field(foreign_key="household.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    kind: str = Field(max_length=32)
    organisation: str = Field(max_length=200)
    description: str = Field(default="", max_length=200)
    start_on: date
    end_on: date | None = None
    hours: float
    completed: bool = False
    entered_by: int = Field(foreign_key="app_user.id")
    version: int = 1


class Contact(SQLModel, table=True):
    __tablename__ = "contact"
    # A household's latest contact (newest day, then last recorded) is one index step.
    __table_args__ = (Index("ix_contact_household_on", "household_id", "contacted_on", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    ref: str | None = ref_field()
    household_id: int = Field(foreign_key="household.id")
    contacted_on: date
    mode: str = Field(max_length=16)
    participant_ids: list[int] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False, server_default="[]")
    )
    """The household members who took part (`person.id`s; one who has since left too)."""
    participants: str = Field(default="", max_length=200)
    """Anyone else who took part, as typed."""
    purpose: str = Field(max_length=200)
    note: str = Field(default="", sa_type=Text)
    recontact: str = Field(max_length=16)
    entered_by: int = Field(foreign_key="app_user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=DateTime(timezone=True))
    version: int = 1


class Consent(SQLModel, table=True):
    """One consent given or withdrawn by one person: the newest row for a (person,
    purpose, partner) is what stands. Rows are only ever added."""

    __tablename__ = "consent"
    __table_args__ = (Index("ix_consent_person_purpose", "person_id", "purpose", "partner_id"),)

    id: int | None = Field(default=None, primary_key=True)
    ref: str | None = ref_field()
    person_id: int = Field(foreign_key="person.id")
    household_id: int = Field(foreign_key="household.id", index=True)
    purpose: str = Field(max_length=32)
    """A `ConsentPurpose` code."""
    partner_id: int | None = Field(default=None, foreign_key="partner.id")
    """For sharing with a partner service: which one."""
    given: bool
    on: date
    recorded_by: int = Field(foreign_key="app_user.id")
    recorded_at: datetime = Field(default_factory=utcnow, sa_type=DateTime(timezone=True))


class ExitCheckin(SQLModel, table=True):
    """A check-in of a phased exit: done once a contact is dated on or after `due_on`."""

    __tablename__ = "exit_checkin"

    id: int | None = Field(default=None, primary_key=True)
    ref: str | None = ref_field()
    household_id: int = Field(foreign_key="household.id", index=True)
    due_on: date = Field(index=True)


# ---- read models ----


class PartnerPublic(ReadModel):
    id: int
    name: str
    kind: PartnerKind
    contact: str
    active: bool
    version: int


class StepPublic(ReadModel):
    id: int
    goal_id: int
    position: int
    description: str
    owner: StepOwner
    partner_id: int | None
    partner_name: str | None
    due_on: date | None
    status: StepStatus
    status_on: date
    version: int


class GoalPublic(ReadModel):
    id: int
    area: AreaCode
    description: str
    version: int
    steps: tuple[StepPublic, ...] = ()


class PlanPublic(ReadModel):
    """A person's plan (or the household's, when `person_id` is None) with its goals."""

    id: int | None
    """None until the first goal is added."""
    household_id: int
    person_id: int | None
    owner_name: str
    agreed_on: date | None
    agreed_by_name: str | None
    agreed_version: int | None
    changed_on: date | None
    version: int
    goals: tuple[GoalPublic, ...] = ()

    @property
    def needs_agreeing(self) -> bool:
        """Goals exist, and the plan was never agreed or has changed since."""
        return bool(self.goals) and self.agreed_version != self.version


class ReferralPublic(ReadModel):
    id: int
    household_id: int
    person_id: int | None
    person_name: str | None
    partner_id: int
    partner_name: str
    purpose: str
    status: ReferralStatus
    made_on: date
    status_on: date
    outcome_note: str
    onward: bool
    consent_override: str = ""
    """A supervisor's reason for sharing without consent ('' when consent was held)."""
    version: int


class ConsentPublic(ReadModel):
    """What stands for one (person, purpose, partner): the newest consent row."""

    person_id: int
    purpose: ConsentPurpose
    partner_id: int | None
    partner_name: str | None
    given: bool
    on: date
    recorded_by_name: str


class OutcomePublic(ReadModel):
    id: int
    household_id: int
    person_id: int
    person_name: str
    kind: OutcomeKind
    organisation: str
    description: str
    start_on: date
    end_on: date | None
    hours: float
    completed: bool
    version: int


class ContactPublic(ReadModel):
    id: int
    household_id: int
    contacted_on: date
    mode: ContactMode
    participant_ids: tuple[int, ...] = ()
    participant_names: tuple[str, ...] = ()
    """The members who took part, by name, in the order of `participant_ids`."""
    participants: str
    purpose: str
    note: str
    recontact: Recontact
    entered_by_name: str
    version: int
