"""The programme's stable code lists (see domain.md), each with its display label.

Codes are what the database, imports and reports store; labels are what people read.
"""

from __future__ import annotations

from enum import StrEnum


class Coded(StrEnum):
    """A code list whose members carry a human label in `_LABELS`."""

    @property
    def label(self) -> str:
        labels: dict[str, str] = getattr(type(self), "_labels", {})
        return labels.get(self.value, self.value.replace("_", " ").capitalize())

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        """(label, code) pairs in declaration order, as selects want them."""
        return [(member.label, member.value) for member in cls]


def _labelled(cls: type[Coded], labels: dict[str, str]) -> type[Coded]:
    cls._labels = labels  # type: ignore[attr-defined]  # declared in the body, it would be a member
    return cls


class LocalAuthority(Coded):
    HALTON = "halton"
    KNOWSLEY = "knowsley"
    LIVERPOOL = "liverpool"
    SEFTON = "sefton"
    ST_HELENS = "st_helens"
    WIRRAL = "wirral"


_labelled(LocalAuthority, {"st_helens": "St Helens"})

#: The first part of the household references each local authority gives out.
REFERENCE_PREFIX: dict[LocalAuthority, str] = {
    LocalAuthority.HALTON: "HAL",
    LocalAuthority.KNOWSLEY: "KNO",
    LocalAuthority.LIVERPOOL: "LIV",
    LocalAuthority.SEFTON: "SEF",
    LocalAuthority.ST_HELENS: "STH",
    LocalAuthority.WIRRAL: "WIR",
}


class UserRole(Coded):
    ADVOCATE = "advocate"
    SUPERVISOR = "supervisor"
    PROGRAMME_MANAGER = "programme_manager"
    AUDITOR = "auditor"


class HouseholdStatus(Coded):
    REFERRED = "referred"
    ACTIVE = "active"
    SHORT_TERM = "short_term"
    EXITED = "exited"
    WITHDRAWN = "withdrawn"


_labelled(HouseholdStatus, {"short_term": "Short term"})

#: Statuses whose household has left the programme and so has an end date.
CLOSED_STATUSES = frozenset({HouseholdStatus.EXITED, HouseholdStatus.WITHDRAWN})


class MemberRole(Coded):
    PRIMARY = "primary"
    SECONDARY = "secondary"
    MEMBER = "member"


_labelled(MemberRole, {"primary": "Primary householder", "secondary": "Secondary householder"})


class ReferralRoute(Coded):
    SELF = "self"
    JCP = "jcp"
    CHILDRENS_CENTRE = "childrens_centre"
    COUNCIL = "council"
    AGENCY = "agency"
    SOCIAL_MEDIA = "social_media"
    OTHER = "other"


_labelled(
    ReferralRoute,
    {
        "self": "Self-referral",
        "jcp": "Jobcentre Plus",
        "childrens_centre": "Children's Centre",
        "council": "Council service",
        "agency": "Other agency",
    },
)


class Gender(Coded):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
    NOT_STATED = "not_stated"


class Ethnicity(Coded):
    WHITE_BRITISH = "white_british"
    WHITE_OTHER = "white_other"
    MIXED = "mixed"
    ASIAN = "asian"
    BLACK = "black"
    ARAB = "arab"
    OTHER = "other"
    NOT_STATED = "not_stated"


_labelled(Ethnicity, {"white_british": "White British", "white_other": "White other"})


class TimeSinceWork(Coded):
    M0_6 = "0-6m"
    M6_12 = "6-12m"
    M12_18 = "12-18m"
    M18_24 = "18-24m"
    M24_36 = "24-36m"
    M36_PLUS = "36m+"
    NEVER = "never"
    UNKNOWN = "unknown"


_labelled(
    TimeSinceWork,
    {
        "0-6m": "0-6 months",
        "6-12m": "6-12 months",
        "12-18m": "12-18 months",
        "18-24m": "18-24 months",
        "24-36m": "24-36 months",
        "36m+": "More than 36 months",
        "never": "Never employed",
    },
)


class SupportNeed(Coded):
    MENTAL_HEALTH = "mental_health"
    PARENT = "parent"
    CARER = "carer"
    LONE_PARENT = "lone_parent"
    CHRONIC_HEALTH = "chronic_health"
    DOMESTIC_ABUSE = "domestic_abuse"
    HOMELESS = "homeless"
    LEARNING_DISABILITY = "learning_disability"
    PHYSICAL_DISABILITY = "physical_disability"
    EX_OFFENDER = "ex_offender"
    NEET = "neet"
    DRUG_MISUSE = "drug_misuse"
    PROBLEM_DRINKING = "problem_drinking"
    SENSORY_IMPAIRMENT = "sensory_impairment"
    ESOL = "esol"
    CARE_LEAVER = "care_leaver"
    COMMUNITY_SENTENCE = "community_sentence"
    TEENAGE_PARENT = "teenage_parent"
    REFUGEE = "refugee"
    EX_ARMED_FORCES = "ex_armed_forces"
    ASYLUM_SEEKER = "asylum_seeker"


_labelled(
    SupportNeed,
    {
        "mental_health": "Mental health issues",
        "parent": "Parent (children under 18)",
        "carer": "Has care responsibilities",
        "chronic_health": "Chronic health condition",
        "domestic_abuse": "Victim of domestic abuse",
        "homeless": "Homeless / temporarily housed",
        "neet": "Not in education, employment or training",
        "esol": "English is not first language",
        "ex_armed_forces": "Ex-armed forces",
    },
)


class Benefit(Coded):
    UNIVERSAL_CREDIT = "universal_credit"
    ESA = "esa"
    JSA = "jsa"
    PIP = "pip"
    HOUSING_BENEFIT = "housing_benefit"
    CHILD_BENEFIT = "child_benefit"
    CARERS_ALLOWANCE = "carers_allowance"
    PENSION_CREDIT = "pension_credit"
    OTHER = "other"


_labelled(
    Benefit,
    {
        "esa": "Employment and Support Allowance",
        "jsa": "Jobseeker's Allowance",
        "pip": "Personal Independence Payment",
        "carers_allowance": "Carer's Allowance",
    },
)


class Qualification(Coded):
    NONE = "none"
    ENTRY = "entry"
    LEVEL_1 = "level_1"
    LEVEL_2 = "level_2"
    LEVEL_3 = "level_3"
    LEVEL_4_PLUS = "level_4_plus"
    UNKNOWN = "unknown"


_labelled(
    Qualification,
    {
        "none": "No qualifications",
        "entry": "Entry level",
        "level_1": "Level 1",
        "level_2": "Level 2 (GCSE A*-C)",
        "level_3": "Level 3 (A level)",
        "level_4_plus": "Level 4 or above",
    },
)


class CompletedBy(Coded):
    """Who filled in a Star reading: "Together" is the participant with their advocate,
    the usual way (one word, as the reading list has room for)."""

    TOGETHER = "together"
    ADVOCATE = "advocate"
    PARTICIPANT = "participant"


_labelled(
    CompletedBy,
    {
        "together": "Together",
        "advocate": "Advocate only",
        "participant": "Participant only",
    },
)


class ReadingStatus(Coded):
    """A draft reading is still being agreed; only final readings count and fall due."""

    DRAFT = "draft"
    FINAL = "final"


#: Statuses of an open case, a household taking part: the list's "Open cases", and the
#: households whose members' Star readings fall due.
OPEN_STATUSES = frozenset({HouseholdStatus.ACTIVE, HouseholdStatus.SHORT_TERM})


class Programme(Coded):
    """A programme a household took part in before HiW (the evaluation found these were
    not recorded). `none` says they were asked and had none, which a blank list does not."""

    NONE = "none"
    WORK_PROGRAMME = "work_programme"
    WORK_AND_HEALTH = "work_and_health"
    TROUBLED_FAMILIES = "troubled_families"
    TALENT_MATCH = "talent_match"
    BUILDING_BETTER_OPPORTUNITIES = "building_better_opportunities"
    WAYS_TO_WORK = "ways_to_work"
    JCP_SUPPORT = "jcp_support"


_labelled(
    Programme,
    {
        "none": "None before HiW",
        "work_programme": "Work Programme",
        "work_and_health": "Work and Health Programme",
        "troubled_families": "Troubled Families",
        "talent_match": "Talent Match",
        "building_better_opportunities": "Building Better Opportunities",
        "ways_to_work": "Ways to Work",
        "jcp_support": "Jobcentre Plus work coach support",
    },
)


class StepStatus(Coded):
    """Where an action-plan step stands; only `done` counts as a step."""

    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    BACK_BURNER = "back_burner"
    DROPPED = "dropped"


_labelled(StepStatus, {"back_burner": "On the back burner"})

#: Step statuses still open: their due date puts them on the advocate's week.
OPEN_STEPS = frozenset({StepStatus.PLANNED, StepStatus.IN_PROGRESS})


class StepOwner(Coded):
    """Who carries out a step."""

    HOUSEHOLDER = "householder"
    ADVOCATE = "advocate"
    PARTNER = "partner"


_labelled(StepOwner, {"partner": "Partner service"})


class PartnerKind(Coded):
    CITIZENS_ADVICE = "citizens_advice"
    NHS = "nhs"
    FOOD_BANK = "food_bank"
    TRAINING = "training"
    JOBCENTRE_PLUS = "jobcentre_plus"
    HOUSING = "housing"
    WAYS_TO_WORK = "ways_to_work"
    COUNSELLING = "counselling"
    OTHER = "other"


_labelled(
    PartnerKind,
    {
        "nhs": "NHS",
        "training": "Training provider",
        "jobcentre_plus": "Jobcentre Plus",
        "ways_to_work": "Ways to Work",
    },
)


class ReferralStatus(Coded):
    MADE = "made"
    ACCEPTED = "accepted"
    ATTENDED = "attended"
    DECLINED = "declined"
    CLOSED = "closed"


class OutcomeKind(Coded):
    JOB = "job"
    WORK_EXPERIENCE = "work_experience"
    VOLUNTEERING = "volunteering"
    COURSE = "course"


#: Outcome kinds counted as work-related activity.
WORK_RELATED = frozenset({OutcomeKind.WORK_EXPERIENCE, OutcomeKind.VOLUNTEERING})


class ContactMode(Coded):
    FACE_TO_FACE = "face_to_face"
    PHONE = "phone"
    VIDEO = "video"
    MESSAGE = "message"


_labelled(ContactMode, {"face_to_face": "Face to face", "video": "Video call"})


class Recontact(Coded):
    """How soon to contact the household again after a contact (a welfare check)."""

    NONE = "none"
    DAILY = "daily"
    WEEKLY = "weekly"
    FORTNIGHTLY = "fortnightly"
    MONTHLY = "monthly"


_labelled(Recontact, {"none": "No set re-contact"})


class ExitReason(Coded):
    COMPLETED = "completed"
    JOB = "job"
    SHORT_TERM_ENDED = "short_term_ended"
    MOVED_AWAY = "moved_away"
    DISENGAGED = "disengaged"
    NOT_ELIGIBLE = "not_eligible"
    OTHER = "other"


_labelled(
    ExitReason,
    {
        "completed": "Completed 12 months",
        "job": "Moved into work",
        "short_term_ended": "Short-term support ended (12 weeks)",
        "not_eligible": "No longer eligible",
    },
)


class Destination(Coded):
    """Where a household goes on leaving the programme."""

    JOB = "job"
    OTHER_PROGRAMME = "other_programme"
    EDUCATION = "education"
    NONE = "none"
    OTHER = "other"


_labelled(
    Destination,
    {
        "job": "Into work",
        "other_programme": "Another programme (e.g. Ways to Work)",
        "education": "Education or training",
        "none": "No onward destination",
    },
)


class BudgetCategory(Coded):
    """What a support-budget spend paid for (reported by category)."""

    FUEL_VOUCHERS = "fuel_vouchers"
    FOOD = "food"
    HYGIENE = "hygiene"
    CLOTHING = "clothing"
    FURNITURE = "furniture"
    BEDDING = "bedding"
    PHONE_TOPUP = "phone_topup"
    TRAVEL = "travel"
    TRAINING_EQUIPMENT = "training_equipment"
    HEALTH_FITNESS = "health_fitness"
    CHILDCARE = "childcare"
    OTHER = "other"


_labelled(
    BudgetCategory,
    {
        "fuel_vouchers": "Fuel or energy vouchers",
        "furniture": "Furniture and white goods",
        "bedding": "Beds and bedding",
        "phone_topup": "Phone or data top-up",
        "training_equipment": "Training and equipment",
        "health_fitness": "Health and fitness",
    },
)


class EntryKind(Coded):
    SPEND = "spend"
    REVERSAL = "reversal"


class Decision(Coded):
    """A supervisor's decision on a spend waiting for approval."""

    APPROVED = "approved"
    REJECTED = "rejected"


_labelled(Decision, {"approved": "Approve", "rejected": "Reject"})


class ConsentPurpose(Coded):
    """What a person can agree to (and withdraw): the programme holding their data,
    sharing it with one named partner service, and each way of being contacted."""

    HOLD_DATA = "hold_data"
    SHARE_PARTNER = "share_partner"
    CONTACT_PHONE = "contact_phone"
    CONTACT_TEXT = "contact_text"
    CONTACT_EMAIL = "contact_email"
    CONTACT_POST = "contact_post"


_labelled(
    ConsentPurpose,
    {
        "hold_data": "Programme holds their data",
        "share_partner": "Share with partner",
        "contact_phone": "Contact by phone",
        "contact_text": "Contact by text",
        "contact_email": "Contact by email",
        "contact_post": "Contact by post",
    },
)

#: The ways of being contacted a person can consent to: one standing makes them contactable.
CONTACT_WAYS = frozenset(
    {
        ConsentPurpose.CONTACT_PHONE,
        ConsentPurpose.CONTACT_TEXT,
        ConsentPurpose.CONTACT_EMAIL,
        ConsentPurpose.CONTACT_POST,
    }
)
