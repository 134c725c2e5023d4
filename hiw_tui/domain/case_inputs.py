"""What the case-work forms submit: plan goals and steps, partners, referrals, outcomes,
contacts and an exit. Each model names the field of every error, as the forms expect."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from hiw_tui.domain.codes import (
    ConsentPurpose,
    ContactMode,
    Destination,
    ExitReason,
    OutcomeKind,
    PartnerKind,
    Recontact,
    ReferralStatus,
    StepOwner,
    StepStatus,
)
from hiw_tui.domain.validation import OLDEST_READING, AreaCode, Line, Notes, Title

ShortLine = Annotated[Line, Field(max_length=200)]
MAX_HOURS_A_WEEK = 80
MAX_COURSE_HOURS = 2000


class FormInput(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid", hide_input_in_errors=True)


def not_future(value: date | None, field: str, what: str) -> None:
    if value is not None and (value > date.today() or value < OLDEST_READING):
        raise ValueError(f"{field}: {what} cannot be in the future or before 2000.")


def _in_order(start: date, end: date | None, field: str) -> None:
    if end is not None and end < start:
        raise ValueError(f"{field}: This is before the start date.")


class GoalInput(FormInput):
    """A goal of a person's or the household's plan, set around one Star area."""

    area: AreaCode
    description: Title


class StepInput(FormInput):
    """One step towards a goal. `status_on` is the day the status was last changed."""

    description: Title
    owner: StepOwner = StepOwner.HOUSEHOLDER
    partner_id: int | None = Field(default=None, gt=0)
    due_on: date | None = None
    status: StepStatus = StepStatus.PLANNED
    status_on: date

    @model_validator(mode="after")
    def _consistent(self) -> StepInput:
        if self.owner is StepOwner.PARTNER and self.partner_id is None:
            raise ValueError("partner_id: Choose the partner service that carries this out.")
        if self.owner is not StepOwner.PARTNER:
            self.partner_id = None
        not_future(self.status_on, "status_on", "The status date")
        return self


class PartnerInput(FormInput):
    """A partner service households can be referred to."""

    name: Title
    kind: PartnerKind
    contact: ShortLine = ""
    active: bool = True


class ReferralInput(FormInput):
    """A referral of a household member (or the household, when `person_id` is None)."""

    person_id: int | None = Field(default=None, gt=0)
    partner_id: int = Field(gt=0)
    purpose: ShortLine = ""
    status: ReferralStatus = ReferralStatus.MADE
    made_on: date
    status_on: date
    outcome_note: Notes = ""
    onward: bool = False
    """An onward referral, made as the household leaves the programme."""
    consent_override: ShortLine = ""
    """A supervisor's reason for sharing without the consent it needs (see
    `hiw_tui.db.privacy.consent.require_share_consent`)."""

    @model_validator(mode="after")
    def _dates(self) -> ReferralInput:
        not_future(self.made_on, "made_on", "The referral date")
        not_future(self.status_on, "status_on", "The status date")
        _in_order(self.made_on, self.status_on, "status_on")
        return self


class ConsentInput(FormInput):
    """Consent given, or withdrawn, by one member for one purpose."""

    person_id: int = Field(gt=0)
    purpose: ConsentPurpose
    partner_id: int | None = Field(default=None, gt=0)
    """For sharing with a partner service: which one."""
    given: bool
    on: date

    @model_validator(mode="after")
    def _when(self) -> ConsentInput:
        not_future(self.on, "on", "The consent date")
        if self.purpose is ConsentPurpose.SHARE_PARTNER and self.partner_id is None:
            raise ValueError("partner_id: Choose the partner service.")
        return self


class OutcomeInput(FormInput):
    """A job, work experience, volunteering or a course.

    `hours` is hours a week for a job, work experience and volunteering, and the total
    hours of a course. `completed` applies to a course only.
    """

    person_id: int = Field(gt=0)
    kind: OutcomeKind
    organisation: Title
    description: ShortLine = ""
    start_on: date
    end_on: date | None = None
    hours: float = Field(gt=0)
    completed: bool = False

    @model_validator(mode="after")
    def _plausible(self) -> OutcomeInput:
        not_future(self.start_on, "start_on", "The start date")
        _in_order(self.start_on, self.end_on, "end_on")
        if self.kind is OutcomeKind.COURSE:
            if self.hours > MAX_COURSE_HOURS:
                raise ValueError(f"hours: A course of at most {MAX_COURSE_HOURS} hours.")
        else:
            self.completed = False
            if self.hours > MAX_HOURS_A_WEEK:
                raise ValueError(f"hours: At most {MAX_HOURS_A_WEEK} hours a week.")
        return self


class ContactInput(FormInput):
    """A contact with the household; `recontact` sets when the next one is due."""

    contacted_on: date
    mode: ContactMode
    participant_ids: Annotated[
        list[Annotated[int, Field(gt=0)]], AfterValidator(lambda ids: sorted(set(ids)))
    ] = []
    """The household members who took part (`person.id`s), each once, in order."""
    participants: ShortLine = ""
    """Anyone else who took part, as typed."""
    purpose: Title
    note: Notes = ""
    recontact: Recontact = Recontact.NONE

    @model_validator(mode="after")
    def _dates(self) -> ContactInput:
        not_future(self.contacted_on, "contacted_on", "A contact date")
        return self


class ExitInput(FormInput):
    """A household leaving the programme, with where it goes and whom it is referred to."""

    end_date: date
    reason: ExitReason
    destination: Destination
    destination_note: ShortLine = ""
    onward_partner_id: int | None = Field(default=None, gt=0)
    onward_purpose: ShortLine = ""
    onward_consent_override: ShortLine = ""
    """A supervisor's reason for the onward referral without consent (as a referral's)."""
    phased: bool = True
    """Schedule check-ins after the exit (see `hiw_tui.domain.casework`)."""

    @model_validator(mode="after")
    def _consistent(self) -> ExitInput:
        not_future(self.end_date, "end_date", "The exit date")
        if self.reason is ExitReason.SHORT_TERM_ENDED and self.onward_partner_id is None:
            raise ValueError(
                "onward_partner_id: Choose the service: short-term support ends with an "
                "onward referral."
            )
        return self


class CaseloadMoveInput(FormInput):
    """Households moved from one advocate to another in one step, with the reason.
    `households` are references; None moves every household still on the caseload."""

    to_advocate: str = Field(min_length=1, max_length=64)
    """The username of the advocate they move to."""
    households: list[str] | None = None
    reason: Title

    @model_validator(mode="after")
    def _some(self) -> CaseloadMoveInput:
        if self.households is not None and not self.households:
            raise ValueError("households: Tick at least one household to move.")
        return self
