"""Tables, and the plain read models the query functions return.

Codes are stored as their string values (see `hiw_tui.domain.codes`). Every row a
person can edit carries `version`; a save names the version it started from and is
refused as a conflict when the row has moved on. Search keys are folded copies of
names and postcodes, kept in binary collation so a prefix search uses an index on
both databases.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy import JSON, Column, DateTime, Index, String, Text, false, text
from sqlmodel import Field, SQLModel

from hiw_tui.domain.access import Permission, role_can
from hiw_tui.domain.budget import Balance
from hiw_tui.domain.codes import (
    Benefit,
    CompletedBy,
    ConsentPurpose,
    Destination,
    Ethnicity,
    ExitReason,
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
    UserRole,
)
from hiw_tui.domain.sensitive import Hidden
from hiw_tui.domain.validation import AreaCode


def utcnow() -> datetime:
    return datetime.now(UTC)


def _key_column(**kwargs: Any) -> Any:
    """A string column compared byte by byte on both databases (prefix ranges use an index)."""
    key_type = String(120).with_variant(String(120, collation="C"), "postgresql")
    return Field(default="", sa_type=key_type, **kwargs)


def ref_field() -> Any:
    """`ref`: the reference a row was imported with (None for a row made here, which export
    names by the database's token and its id; see hiw_tui.transfer.identity)."""
    return Field(default=None, max_length=60, unique=True, index=True)


class DatabaseInfo(SQLModel, table=True):
    """Facts about the database itself: `token`, the name its rows' references carry."""

    __tablename__ = "database_info"

    name: str = Field(max_length=32, primary_key=True)
    value: str = Field(max_length=200)


class User(SQLModel, table=True):
    __tablename__ = "app_user"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=64, unique=True)
    display_name: str = Field(max_length=120)
    role: str = Field(max_length=32)
    local_authority: str | None = Field(default=None, max_length=32)
    active: bool = True
    version: int = 1
    password_hash: str | None = Field(default=None, max_length=200)
    """An argon2 hash; None until a password is set (such a user can only come in by SSH key)."""
    failed_sign_ins: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    """Wrong passwords in a row; reset by a good one."""
    locked_until: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    """No sign-in until then, after too many wrong passwords."""
    deactivated_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    """When a supervisor or manager deactivated the account (a leaver; `active` is then
    False); None for an account in use, or only locked (`hiw-tui user lock`)."""


class UserKey(SQLModel, table=True):
    """An SSH public key that signs its user in (OpenSSH `authorized_keys` format)."""

    __tablename__ = "user_key"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id", index=True)
    public_key: str = Field(sa_type=Text)
    """The key as `algorithm base64`, without its comment."""
    fingerprint: str = Field(max_length=100, unique=True)
    comment: str = Field(default="", max_length=200)
    added_at: datetime = Field(default_factory=utcnow, sa_type=DateTime(timezone=True))


class Household(SQLModel, table=True):
    __tablename__ = "household"
    __table_args__ = (
        Index("ix_household_la_status", "local_authority", "status"),
        Index("ix_household_advocate_status", "advocate_id", "status"),
        # With the start date, it alone answers which households had started by a date.
        Index("ix_household_status", "status", "start_date"),
        # The list's "reading due" filter: a range of dates (or none) within each status.
        Index("ix_household_due", "status", "star_scored_through"),
        # The few safe-contact households, which a search by postcode leaves out.
        Index(
            "ix_household_safe_contact",
            "advocate_id",
            sqlite_where=text("safe_contact = 1"),
            postgresql_where=text("safe_contact"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    reference: str = _key_column(unique=True)
    local_authority: str = Field(max_length=32)
    advocate_id: int = Field(foreign_key="app_user.id")
    status: str = Field(max_length=32)
    referral_route: str = Field(max_length=32)
    start_date: date | None = Field(default=None, index=True)
    """When support began; None while the household is only referred."""
    end_date: date | None = None
    referred_on: date | None = None
    """The day the referral was received, where known."""
    previous_programmes: str = Field(default="", sa_type=Text)
    """Programmes before HiW that have no code: as typed."""
    previous_programme_codes: list[str] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False, server_default="[]")
    )
    """The codes (`Programme`) of the programmes the household took part in before HiW."""
    exit_reason: str | None = Field(default=None, max_length=32)
    exit_destination: str | None = Field(default=None, max_length=32)
    exit_note: str = Field(default="", max_length=200)
    # A summary of the current members, kept by hiw_tui.db.households.people in the same
    # transaction as every member change, so the list can sort and page on it.
    primary_name: str = _key_column(index=True)
    member_count: int = Field(default=0, index=True)
    need_count: int = Field(default=0, index=True)
    star_scored_through: date | None = Field(default=None, index=True)
    """The earliest of the current members' latest final Star readings: the household's
    next reading falls due a set number of weeks after it. None while a current member
    has no final reading (due at once)."""
    star_latest_on: date | None = None
    """The latest final Star reading of any of its people, current or not (None with
    none): a report as of an earlier date compares its readings itself rather than read
    its kept distance travelled (`hiw_tui.db.readings.progress`)."""
    next_contact_on: date | None = Field(default=None, index=True)
    """When the latest contact asked for the next one (a welfare check); None if it did not."""
    safe_contact: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    """Domestic abuse: addresses and phone numbers are shown to the household's own
    advocate only (see `hiw_tui.db.households.people.contact_visible`)."""
    erased_on: date | None = None
    """When its personal data was erased (see hiw_tui.db.privacy.erasure); None while it is held."""
    created_at: datetime = Field(default_factory=utcnow, sa_type=DateTime(timezone=True))
    updated_at: datetime = Field(default_factory=utcnow, sa_type=DateTime(timezone=True))
    version: int = 1


class Person(SQLModel, table=True):
    __tablename__ = "person"

    id: int | None = Field(default=None, primary_key=True)
    household_id: int = Field(foreign_key="household.id", index=True)
    reference: str | None = Field(default=None, max_length=40, unique=True, index=True)
    """The person's reference in the area's CRM, set by an import (None if never imported)."""
    role: str = Field(max_length=16)
    given_name: str = Field(max_length=80)
    family_name: str = Field(max_length=80)
    date_of_birth: date = Field(index=True)
    """Indexed: possible duplicates are looked up by it (hiw_tui.db.households.duplicates)."""
    gender: str = Field(max_length=16)
    ethnicity: str = Field(max_length=32)
    address: str = Field(default="", max_length=200)
    postcode: str = Field(default="", max_length=10)
    phone: str = Field(default="", max_length=20)
    email: str = Field(default="", max_length=254)
    time_since_work: str = Field(max_length=16)
    benefits: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    qualification: str = Field(max_length=16)
    left_on: date | None = Field(default=None)
    family_key: str = _key_column(index=True)
    full_name_key: str = _key_column(index=True)
    postcode_key: str = _key_column(index=True)
    phone_key: str = _key_column(index=True)
    email_key: str = _key_column(index=True)
    """The email folded for finding possible duplicates (hiw_tui.domain.duplicates)."""
    erased_on: date | None = None
    """When this person's data was erased; None while it is held."""
    star_latest_on: date | None = None
    star_better_areas: int | None = None
    """The date and count of better areas of the latest final Star reading (None with
    none); see `hiw_tui.db.readings.progress`."""
    need_count: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    """How many support needs the person holds (the cohort profile's needs per person),
    restated with the household's summary (`refresh_summaries`)."""
    contact_consent_on: date | None = None
    contactable: bool | None = None
    """The latest day of a consent row for a way of contact (None with none), and
    whether consent to be contacted some way stands once all are read; see
    `hiw_tui.db.privacy.contactable`."""
    version: int = 1


class PersonNeed(SQLModel, table=True):
    __tablename__ = "person_need"

    person_id: int = Field(foreign_key="person.id", primary_key=True)
    need: str = Field(max_length=32, primary_key=True, index=True)


class StarReading(SQLModel, table=True):
    """One Star reading of one person, under the framework id and version it names."""

    __tablename__ = "star_reading"
    __table_args__ = (
        # Covers the look-up of a person's latest final reading by a date and its count of
        # better areas (the performance report), so the table itself is not read.
        Index(
            "ix_star_reading_person_taken", "person_id", "taken_on", "id", "status", "better_areas"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    ref: str | None = ref_field()
    person_id: int = Field(foreign_key="person.id")
    household_id: int = Field(foreign_key="household.id", index=True)
    framework_id: str = Field(max_length=64)
    framework_version: str = Field(max_length=300)
    taken_on: date
    completed_by: str = Field(max_length=16)
    status: str = Field(max_length=16)
    notes: str = Field(default="", sa_type=Text)
    entered_by: int = Field(foreign_key="app_user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=DateTime(timezone=True))
    updated_at: datetime = Field(default_factory=utcnow, sa_type=DateTime(timezone=True))
    version: int = 1
    better_areas: int | None = None
    """Areas scored higher than in the person's first final reading under this framework
    (None unless final); see `hiw_tui.db.readings.progress`."""


class StarScore(SQLModel, table=True):
    """One area of a reading: a score of 1-5, or None where it was not scored on purpose."""

    __tablename__ = "star_score"

    reading_id: int = Field(foreign_key="star_reading.id", primary_key=True)
    area: str = Field(max_length=40, primary_key=True)
    score: int | None = None
    note: str = Field(default="", sa_type=Text)
    first_score: int | None = None
    """Of a final reading that is not the person's first under its framework: the same
    area's score in that first reading (None where either is blank). Kept by
    `hiw_tui.db.readings.progress` for distance travelled as of a past date."""


class StarChange(SQLModel, table=True):
    """One household's distance travelled in one Star area, as its people's latest final
    readings of all stand against their first: how many people were scored in the area
    in both, the two scores' totals, and how many improved, held or fell back. Restated
    with the household's summary; see `hiw_tui.db.readings.progress`."""

    __tablename__ = "star_change"
    __table_args__ = (
        # Distance travelled sums the figures by area over many households: read in
        # this index's order it needs no table row and no sort (0020).
        Index(
            "ix_star_change_area_figures",
            "area",
            "household_id",
            "people",
            "first_total",
            "latest_total",
            "improved",
            "held",
            "fell",
        ),
    )

    household_id: int = Field(foreign_key="household.id", primary_key=True)
    area: str = Field(max_length=40, primary_key=True)
    people: int
    first_total: int
    latest_total: int
    improved: int
    held: int
    fell: int


class AuditEvent(SQLModel, table=True):
    """Who read or changed what, and when; for a change, each field's old and new value."""

    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_seq", "seq", unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    seq: int | None = None
    """Position in the hash chain: 1, 2, 3, ... with no gaps (see hiw_tui.db.audit.chain)."""
    prev_hash: str | None = Field(default=None, max_length=64)
    hash: str | None = Field(default=None, max_length=64)
    at: datetime = Field(default_factory=utcnow, sa_type=DateTime(timezone=True), index=True)
    actor_id: int | None = Field(default=None, foreign_key="app_user.id", index=True)
    """None for a failed sign-in under a name that is no user."""
    action: str = Field(max_length=32)
    entity: str = Field(max_length=32)
    entity_id: int
    household_id: int | None = Field(default=None, index=True)
    changes: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    nonce: str = Field(default="", max_length=32)
    """Random, mixed into `digest`; emptied with `changes` when the row is erased, so the
    digest left behind cannot be matched against guesses."""
    digest: str = Field(default="", max_length=64)
    """SHA-256 of `nonce` and `changes`: what the chain's hash covers in their place."""


class Erasure(SQLModel, table=True):
    """The erasure log: whose data was erased, when, why and by whom (ids only), so a
    restore of an older backup can erase them again (see hiw_tui.db.privacy.erasure)."""

    __tablename__ = "erasure"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=16)
    """"household" (every member) or "person"."""
    household_id: int = Field(index=True)
    person_id: int | None = None
    reason: str = Field(max_length=16)
    """"retention" or "request"."""
    by: int | None = Field(default=None)
    at: datetime = Field(default_factory=utcnow, sa_type=DateTime(timezone=True))


class ErasedAudit(SQLModel, table=True):
    """An audit row an erasure emptied, written before it empties it: the triggers let
    an audit row be emptied only once it is here (see hiw_tui.db.audit.chain)."""

    __tablename__ = "erasure_audit"

    seq: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    """The audit row's place in the chain."""
    erasure_id: int | None = Field(default=None, foreign_key="erasure.id", index=True)
    """The erasure that emptied it; None for the rows emptied before this was recorded
    (the upgrade to schema 0010 vouches for those in its "rekey" audit row)."""


# ---- read models: plain values, safe to use after the session has closed ----


class ReadModel(BaseModel):
    model_config = ConfigDict(from_attributes=True, frozen=True, hide_input_in_errors=True)


class UserPublic(ReadModel):
    id: int
    username: str
    display_name: str
    role: UserRole
    local_authority: LocalAuthority | None
    active: bool
    version: int

    def can(self, permission: Permission) -> bool:
        return self.active and role_can(self.role, permission)


class AuditPublic(ReadModel):
    id: int
    at: datetime
    actor_id: int | None
    action: str
    entity: str
    entity_id: int
    household_id: int | None
    changes: dict[str, Any]


class HouseholdRow(ReadModel):
    """One line of the household list."""

    id: int
    reference: str
    local_authority: LocalAuthority
    advocate_name: str
    status: HouseholdStatus
    start_date: date | None
    """None while only referred."""
    end_date: date | None
    primary_name: str
    member_count: int
    need_count: int
    star_scored_through: date | None
    budget: Balance | None = None
    """The opened budget's balance; None until the first spend (the default cap applies)."""


class ReadingPublic(ReadModel):
    """A Star reading with its scores (area -> 1-5 or None) and notes per area."""

    id: int
    person_id: int
    household_id: int
    framework_id: str
    framework_version: str
    taken_on: date
    completed_by: CompletedBy
    status: ReadingStatus
    notes: str
    entered_by_name: str
    version: int
    scores: dict[AreaCode, int | None]
    area_notes: dict[AreaCode, str]


class StarSummary(ReadModel):
    """A person's final readings in brief: the latest, and the change since their first."""

    readings: int
    first_on: date
    latest_on: date
    framework_id: str
    latest: dict[AreaCode, int | None]
    changes: dict[AreaCode, int | None]
    set_aside: int
    """Final readings under another framework than the latest, left out of the change."""


class PersonPublic(ReadModel):
    id: int
    household_id: int
    role: MemberRole
    given_name: str
    family_name: str
    date_of_birth: date
    gender: Gender
    ethnicity: Ethnicity | Hidden
    """`HIDDEN` when `sensitive_hidden`."""
    address: str
    postcode: str
    phone: str
    email: str
    time_since_work: TimeSinceWork
    benefits: tuple[Benefit, ...]
    qualification: Qualification
    support_needs: tuple[SupportNeed, ...]
    version: int
    star: StarSummary | None = None
    contact_hidden: bool = False
    """Address, postcode, phone and email are withheld (a safe-contact household seen by
    someone other than its advocate): they read as blank and a save keeps the stored ones."""
    sensitive_hidden: bool = False
    """Ethnicity and the sensitive needs are withheld from this reader."""
    consents: tuple[tuple[ConsentPurpose, str | None, bool], ...] = ()
    """What stands of their consent: (purpose, partner name, given)."""

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"


class FormerMember(ReadModel):
    """Someone who has left the household: kept, with their history, but no longer a member."""

    id: int
    role: MemberRole
    given_name: str
    family_name: str
    left_on: date

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"


class HouseholdPublic(ReadModel):
    """A household record with its current members, as the record screen shows it."""

    id: int
    reference: str
    local_authority: LocalAuthority
    advocate_id: int
    advocate_name: str
    status: HouseholdStatus
    referral_route: ReferralRoute
    start_date: date | None
    """None while only referred."""
    end_date: date | None
    referred_on: date | None = None
    previous_programmes: str
    previous_programme_codes: tuple[Programme, ...] = ()
    exit_reason: ExitReason | None = None
    exit_destination: Destination | None = None
    exit_note: str = ""
    next_contact_on: date | None = None
    safe_contact: bool = False
    version: int
    members: tuple[PersonPublic, ...] = ()
    former_members: tuple[FormerMember, ...] = ()
    """Those who left, the most recent first."""
    budget: Balance | None = None
    """The opened budget's balance; None until the first spend (the default cap applies)."""
