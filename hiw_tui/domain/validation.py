"""What a household or a person must look like before it is saved.

The forms build these models from what was typed; every error names its field so
the screen can show the message beside it.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

from hiw_tui.domain.codes import (
    CLOSED_STATUSES,
    Benefit,
    CompletedBy,
    Ethnicity,
    Gender,
    HouseholdStatus,
    LocalAuthority,
    MemberRole,
    Programme,
    Qualification,
    ReadingStatus,
    ReferralRoute,
    SupportNeed,
    TimeSinceWork,
)
from hiw_tui.domain.dates import DATE_SHAPE_MESSAGE, age_on, read_date
from hiw_tui.domain.text import clean_block, clean_line

# The shape of a UK postcode: outward code (area, district) and inward code.
_POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$")
_PHONE = re.compile(r"^\+?[0-9 ]{10,16}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_REFERENCE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9/-]{2,23}$")
OLDEST_BIRTH_YEAR = 1900
HOUSEHOLDER_AGE = 16
"""The youngest a secondary householder can be: the programme works with adults out of
work, and 16 is the youngest age its reports count. Other members may be any age."""


def _line(value: str) -> str:
    return clean_line(value)


def _required_line(value: str) -> str:
    value = clean_line(value)
    if not value:
        raise ValueError("This is required.")
    return value


def _postcode(value: str) -> str:
    value = clean_line(value).upper()
    if not value:
        return ""
    if not _POSTCODE.match(value):
        raise ValueError("Not a UK postcode, e.g. L4 0TH.")
    compact = value.replace(" ", "")
    return f"{compact[:-3]} {compact[-3:]}"


def _phone(value: str) -> str:
    value = clean_line(value)
    if value and not _PHONE.match(value):
        raise ValueError("Digits and spaces only, e.g. 07700 900123.")
    return value


def _email(value: str) -> str:
    value = clean_line(value)
    if value and not _EMAIL.match(value):
        raise ValueError("Not an email address, e.g. name@example.org.")
    return value


def _reference(value: str) -> str:
    value = clean_line(value).upper()
    if not _REFERENCE.match(value):
        raise ValueError("3-24 letters, digits, '-' or '/', e.g. LIV-00042.")
    return value


Line = Annotated[str, AfterValidator(_line)]
Name = Annotated[str, Field(max_length=80), AfterValidator(_required_line)]
Title = Annotated[str, Field(max_length=200), AfterValidator(_required_line)]
Postcode = Annotated[str, AfterValidator(_postcode)]
Phone = Annotated[str, AfterValidator(_phone)]
Email = Annotated[str, AfterValidator(_email)]
Reference = Annotated[str, AfterValidator(_reference)]
OptionalDate = Annotated[date | None, BeforeValidator(lambda value: None if value == "" else value)]
"""A date that may be left out: a blank cell (an import's) is none."""
Notes = Annotated[str, Field(max_length=4000), AfterValidator(clean_block)]
Programmes = Annotated[list[Programme], AfterValidator(lambda codes: sorted(set(codes)))]
"""Programme codes, each once, in order (as stored and compared)."""


NEVER_STARTED = frozenset({HouseholdStatus.REFERRED, HouseholdStatus.WITHDRAWN})
"""The statuses a household may have with no start date: referred, and withdrawn (a
referral that never started, closed with an end date). Neither counts as started."""


class HouseholdInput(BaseModel):
    """A household as the registration and edit forms submit it."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid", hide_input_in_errors=True)

    reference: Reference
    local_authority: LocalAuthority
    advocate_id: int = Field(gt=0)
    status: HouseholdStatus = HouseholdStatus.REFERRED
    referral_route: ReferralRoute
    start_date: OptionalDate = None
    """When support began: none while the household is only referred, and never a day
    to come (a household due to start stays referred until it does)."""
    end_date: OptionalDate = None
    referred_on: OptionalDate = None
    """The day the referral was received, where known."""
    previous_programme_codes: Programmes = []
    """Programmes before HiW, by code: `none` when there were none."""
    previous_programmes: Notes = ""
    """Programmes before HiW that have no code, as typed."""
    safe_contact: bool = False
    """Domestic abuse: only the household's own advocate sees addresses and phone numbers."""

    @model_validator(mode="after")
    def _dates_in_order(self) -> HouseholdInput:
        """Every field's problem at once (the first for each field), so a form shows
        them all together rather than one per save."""
        start, referred, end = self.start_date, self.referred_on, self.end_date
        today = date.today()
        rules = [
            (
                "start_date",
                start is None and self.status not in NEVER_STARTED,
                "A household that has started needs a start date.",
            ),
            (
                "referred_on",
                referred is not None and referred > today,
                "A referral date cannot be in the future.",
            ),
            (
                "start_date",
                start is not None and start > today,
                "A start date cannot be in the future: "
                "leave the household referred until support begins.",
            ),
            ("end_date", end is not None and end > today, "An end date cannot be in the future."),
            (
                "referred_on",
                referred is not None and start is not None and referred > start,
                "The referral date is after the start date.",
            ),
            (
                "end_date",
                end is not None and start is not None and end < start,
                "The end date is before the start date.",
            ),
            (
                "end_date",
                end is not None and referred is not None and end < referred,
                "The end date is before the referral date.",
            ),
            (
                "end_date",
                self.status in CLOSED_STATUSES and end is None,
                "An exited or withdrawn household needs an end date.",
            ),
            (
                "previous_programme_codes",
                Programme.NONE in self.previous_programme_codes
                and (len(self.previous_programme_codes) > 1 or bool(self.previous_programmes)),
                f"{Programme.NONE.label} with a programme named.",
            ),
        ]
        problems: dict[str, str] = {}
        for field, broken, message in rules:
            if broken:
                problems.setdefault(field, message)
        if problems:
            raise ValueError(
                "\n".join(f"{field}: {message}" for field, message in problems.items())
            )
        return self


class PersonInput(BaseModel):
    """A household member as the person form submits it."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid", hide_input_in_errors=True)

    role: MemberRole
    given_name: Name
    family_name: Name
    date_of_birth: date
    gender: Gender = Gender.NOT_STATED
    ethnicity: Ethnicity = Ethnicity.NOT_STATED
    address: Annotated[Line, Field(max_length=200)] = ""
    postcode: Postcode = ""
    phone: Phone = ""
    email: Email = ""
    time_since_work: TimeSinceWork = TimeSinceWork.UNKNOWN
    support_needs: frozenset[SupportNeed] = frozenset()
    benefits: frozenset[Benefit] = frozenset()
    qualification: Qualification = Qualification.UNKNOWN

    @model_validator(mode="after")
    def _plausible_birth(self) -> PersonInput:
        if self.date_of_birth.year < OLDEST_BIRTH_YEAR or self.date_of_birth > date.today():
            raise ValueError("date_of_birth: Not a plausible date of birth.")
        age = age_on(self.date_of_birth, date.today())
        if self.role is MemberRole.SECONDARY and age < HOUSEHOLDER_AGE:
            raise ValueError(
                f"date_of_birth: A secondary householder must be {HOUSEHOLDER_AGE} or over"
                f" (this date of birth makes them {age})."
            )
        return self


def leaving_problem(left_on: date, *, started: date | None, today: date) -> str | None:
    """Why a member cannot have left on `left_on`, or None: not in the future, and not
    before the household started (they would never have been a member); `started` is
    None while the household is only referred."""
    if left_on > today:
        return "That date is in the future."
    if started is not None and left_on < started:
        return f"That is before the household started ({started.isoformat()})."
    return None


AreaCode = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{1,39}$")]
Score = Annotated[int, Field(ge=1, le=5)]
OLDEST_READING = date(2000, 1, 1)


class ReadingInput(BaseModel):
    """A Star reading as the reading form submits it.

    `scores` maps each area to 1-5, or to None where the area was marked "not scored"
    on purpose; an area missing from it has not been dealt with yet (see
    `hiw_tui.domain.star.unscored_areas`). `reason` is needed to correct a final reading.
    """

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid", hide_input_in_errors=True)

    taken_on: date
    completed_by: CompletedBy = CompletedBy.TOGETHER
    status: ReadingStatus = ReadingStatus.FINAL
    scores: dict[AreaCode, Score | None]
    area_notes: dict[
        AreaCode, Annotated[str, Field(max_length=1000), AfterValidator(clean_block)]
    ] = Field(default_factory=dict)
    notes: Notes = ""
    reason: Annotated[Line, Field(max_length=300)] = ""

    @model_validator(mode="after")
    def _plausible_date(self) -> ReadingInput:
        if self.taken_on < OLDEST_READING or self.taken_on > date.today():
            raise ValueError("taken_on: A reading date cannot be in the future or before 2000.")
        self.area_notes = {area: note for area, note in self.area_notes.items() if note}
        return self


def field_errors(error: Exception) -> dict[str, str]:
    """Map a pydantic ValidationError to {field: first message} for the form to show."""
    if not isinstance(error, ValidationError):
        return {"": str(error)}
    messages: dict[str, str] = {}
    for item in error.errors():
        message = str(item["msg"]).removeprefix("Value error, ")
        located = [(str(item["loc"][0]), message)] if item["loc"] else model_problems(message)
        for field, said in located:
            messages.setdefault(field, _plain_message(item["type"], said, item.get("input")))
    return messages


def model_problems(message: str) -> list[tuple[str, str]]:
    """The (field, message) pairs in a model-level rule's error: the rules name their
    field as "field: message", one problem a line (see the validators above)."""
    pairs = []
    for line in message.splitlines():
        field, _, said = line.partition(": ") if ": " in line else ("", "", line)
        pairs.append((field, said))
    return pairs


def _plain_message(kind: str, message: str, typed: object) -> str:
    if kind.startswith("date_") and isinstance(typed, str):
        try:
            read_date(typed)
        except ValueError as problem:
            return str(problem)
    plain = {
        "missing": "This is required.",
        "date_from_datetime_parsing": DATE_SHAPE_MESSAGE,
        "date_parsing": DATE_SHAPE_MESSAGE,
        "date_from_datetime_inexact": DATE_SHAPE_MESSAGE,
        "enum": "Choose one of the listed options.",
        "string_too_long": "This is too long.",
    }
    return plain.get(kind, message)
