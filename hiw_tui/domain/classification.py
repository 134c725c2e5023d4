"""Every column of every table, classified in one place: what it is, why it is held, and
what erasure does to it.

`COLUMNS` maps "table.column" to a `Classified`; a test fails when a table gains a
column that is not here (or this names one that is gone). The other modules read it:
hiding special-category fields from roles without the permission
(`hiw_tui.domain.sensitive`), and erasure (`hiw_tui.db.privacy.erasure`), which empties or
anonymises every column marked so and keeps the codes, dates and amounts the programme's
counts are made of.

Support needs are classified per code (`NEED_CATEGORY`): a health need is special
category, a conviction is criminal-offence data, being a carer is ordinary. Domestic
abuse is held to the special-category standard. Star areas are classified per area code
(`AREA_CATEGORY`): the Physical Health and Emotional Health scores and their notes are
health data, special category; the other areas' are ordinary. A contact's note is
special category as a whole (it is where a disclosure gets written down).

What a reader is shown of all this is decided in one place,
`hiw_tui.db.privacy.visibility`, from these categories.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from hiw_tui.domain.codes import SupportNeed


class Category(StrEnum):
    NONE = "not personal"
    ORDINARY = "personal"
    SPECIAL = "special category"
    CRIMINAL = "criminal offence"


class Erase(StrEnum):
    KEEP = "kept"
    """Not personal, or a code, date or amount kept (with nothing left to identify
    anyone) because the programme's counts are made of it."""
    BLANK = "emptied"
    """Free text and identifiers: emptied ('' or NULL)."""
    ANONYMISE = "anonymised"
    """Replaced by a value that points at nobody (see `hiw_tui.db.privacy.erasure`)."""


@dataclass(frozen=True)
class Classified:
    category: Category
    purpose: str
    erase: Erase = Erase.KEEP


def _none(purpose: str = "bookkeeping") -> Classified:
    return Classified(Category.NONE, purpose)


def _kept(purpose: str, category: Category = Category.ORDINARY) -> Classified:
    return Classified(category, purpose, Erase.KEEP)


def _blank(purpose: str, category: Category = Category.ORDINARY) -> Classified:
    return Classified(category, purpose, Erase.BLANK)


def _anon(purpose: str) -> Classified:
    return Classified(Category.ORDINARY, purpose, Erase.ANONYMISE)


def _bookkeeping(table: str, *names: str) -> dict[str, Classified]:
    return {f"{table}.{name}": _none() for name in names}


_STAFF = "running the service: staff accounts"
_CASE = "supporting the household towards work"
_COUNTS = "the programme's reports to its funder"
_MONEY = "accounting for the support budget"

COLUMNS: dict[str, Classified] = {
    **_bookkeeping(
        "app_user", "id", "version", "failed_sign_ins", "locked_until", "active", "deactivated_at"
    ),
    "app_user.username": _kept(_STAFF),
    "app_user.display_name": _kept(_STAFF),
    "app_user.role": _kept(_STAFF),
    "app_user.local_authority": _kept(_STAFF),
    "app_user.password_hash": _kept(_STAFF),
    **_bookkeeping("user_key", "id", "user_id", "fingerprint", "added_at"),
    "user_key.public_key": _kept(_STAFF),
    "user_key.comment": _kept(_STAFF),
    **_bookkeeping("partner", "id", "kind", "active", "version"),
    "partner.name": _none("the services households are referred to"),
    "partner.contact": _kept("contacting a partner service (a work address)"),
    **_bookkeeping(
        "audit_event",
        "id",
        "seq",
        "prev_hash",
        "hash",
        "at",
        "actor_id",
        "action",
        "entity",
        "entity_id",
        "household_id",
        "digest",
    ),
    "audit_event.changes": _blank("accountability: who changed what", Category.SPECIAL),
    "audit_event.nonce": _blank("keeps an erased change's digest from being guessed"),
    **_bookkeeping(
        "household",
        "id",
        "local_authority",
        "advocate_id",
        "status",
        "referral_route",
        "start_date",
        "end_date",
        "exit_reason",
        "exit_destination",
        "member_count",
        "need_count",
        "star_scored_through",
        "star_latest_on",
        "next_contact_on",
        "safe_contact",
        "created_at",
        "updated_at",
        "version",
        "erased_on",
    ),
    "household.reference": _anon("matching the area's CRM record"),
    "household.primary_name": _anon("finding the household in the list"),
    "household.referred_on": _kept(f"{_CASE}; time from referral to start in {_COUNTS}"),
    "household.previous_programmes": _blank(_CASE),
    "household.previous_programme_codes": _kept(f"previous programmes in {_COUNTS}"),
    "household.exit_note": _blank(_CASE),
    **_bookkeeping(
        "person",
        "id",
        "household_id",
        "role",
        "left_on",
        "version",
        "erased_on",
        "need_count",
        "contact_consent_on",
        "contactable",
    ),
    "person.reference": _blank("matching the area's CRM record"),
    "person.given_name": _anon(_CASE),
    "person.family_name": _blank(_CASE),
    "person.date_of_birth": _anon(f"{_CASE}; age bands in {_COUNTS}"),
    "person.gender": _kept(_COUNTS),
    "person.ethnicity": _kept(_COUNTS, Category.SPECIAL),
    "person.address": _blank("contacting the person"),
    "person.postcode": _blank("contacting the person"),
    "person.phone": _blank("contacting the person"),
    "person.email": _blank("contacting the person"),
    "person.time_since_work": _kept(_COUNTS),
    "person.benefits": _kept(_CASE),
    "person.qualification": _kept(_CASE),
    "person.family_key": _blank("searching by name"),
    "person.full_name_key": _blank("searching by name"),
    "person.postcode_key": _blank("searching by postcode"),
    "person.phone_key": _blank("searching by phone number"),
    "person.email_key": _blank("finding possible duplicates by email"),
    "person.star_latest_on": _kept(f"progress measures in {_COUNTS}"),
    "person.star_better_areas": _kept(f"progress measures in {_COUNTS}"),
    "person_need.person_id": _none(),
    "person_need.need": _kept(f"{_CASE}; {_COUNTS} (see NEED_CATEGORY)", Category.SPECIAL),
    **_bookkeeping(
        "star_reading",
        "id",
        "person_id",
        "household_id",
        "framework_id",
        "framework_version",
        "taken_on",
        "completed_by",
        "status",
        "entered_by",
        "created_at",
        "updated_at",
        "version",
    ),
    "star_reading.notes": _blank(_CASE),
    "star_reading.better_areas": _kept(f"progress measures in {_COUNTS}"),
    **_bookkeeping("star_change", "household_id", "area"),
    **{
        f"star_change.{name}": _kept(f"distance travelled in {_COUNTS} (see AREA_CATEGORY)")
        for name in ("people", "first_total", "latest_total", "improved", "held", "fell")
    },
    **_bookkeeping("star_score", "reading_id", "area"),
    "star_score.score": _kept(f"{_CASE}; distance travelled in {_COUNTS} (see AREA_CATEGORY)"),
    "star_score.note": _blank(f"{_CASE} (see AREA_CATEGORY)"),
    "star_score.first_score": _kept(f"distance travelled in {_COUNTS} (see AREA_CATEGORY)"),
    **_bookkeeping(
        "plan",
        "id",
        "household_id",
        "person_id",
        "agreed_on",
        "agreed_by",
        "agreed_version",
        "changed_on",
        "version",
    ),
    **_bookkeeping("plan_goal", "id", "plan_id", "area", "version"),
    "plan_goal.description": _blank(_CASE),
    **_bookkeeping(
        "plan_step",
        "id",
        "goal_id",
        "household_id",
        "person_id",
        "position",
        "owner",
        "partner_id",
        "due_on",
        "status",
        "status_on",
        "done_on",
        "version",
    ),
    "plan_step.description": _blank(_CASE),
    **_bookkeeping(
        "referral",
        "id",
        "household_id",
        "person_id",
        "partner_id",
        "status",
        "made_on",
        "status_on",
        "onward",
        "entered_by",
        "version",
    ),
    "referral.purpose": _blank(_CASE),
    "referral.consent_override": _blank("accountability: why data was shared without consent"),
    "referral.outcome_note": _blank(_CASE),
    **_bookkeeping(
        "outcome",
        "id",
        "household_id",
        "person_id",
        "kind",
        "start_on",
        "end_on",
        "hours",
        "completed",
        "entered_by",
        "version",
    ),
    "outcome.organisation": _blank(f"{_CASE}; evidence for {_COUNTS}"),
    "outcome.description": _blank(_CASE),
    **_bookkeeping(
        "contact",
        "id",
        "household_id",
        "contacted_on",
        "mode",
        "recontact",
        "entered_by",
        "created_at",
        "version",
    ),
    "contact.participants": _blank(_CASE),
    "contact.participant_ids": _kept(f"{_CASE}: which members took part (ids)"),
    "contact.purpose": _blank(_CASE),
    "contact.note": _blank(_CASE, Category.SPECIAL),
    **_bookkeeping("exit_checkin", "id", "household_id", "due_on"),
    **_bookkeeping(
        "consent",
        "id",
        "person_id",
        "household_id",
        "purpose",
        "partner_id",
        "given",
        "on",
        "recorded_by",
        "recorded_at",
    ),
    **_bookkeeping("budget", "household_id", "cap_pence", "spent_pence", "committed_pence"),
    # Spending added up over an advocate's households in a month: about no one household.
    **_bookkeeping(
        "spend_month",
        "advocate_id",
        "local_authority",
        "month",
        "category",
        "entries",
        "spent_pence",
        "waiting_pence",
    ),
    **_bookkeeping("budget_cap", "id", "household_id", "cap_pence", "set_by", "set_at"),
    "budget_cap.reason": _blank(_MONEY),
    **_bookkeeping(
        "ledger_entry",
        "id",
        "household_id",
        "kind",
        "spent_on",
        "amount_pence",
        "category",
        "person_id",
        "reverses_id",
        "needs_approval",
        "entered_by",
        "entered_at",
        "idempotency_key",
    ),
    "ledger_entry.payee": _blank(_MONEY),
    "ledger_entry.description": _blank(_MONEY),
    "ledger_entry.receipt_ref": _blank(_MONEY),
    "ledger_entry.reason": _blank(_MONEY),
    **_bookkeeping("ledger_decision", "id", "entry_id", "decision", "decided_by", "decided_at"),
    "ledger_decision.note": _blank(_MONEY),
    **_bookkeeping("erasure", "id", "kind", "household_id", "person_id", "reason", "by", "at"),
    **_bookkeeping("erasure_audit", "seq", "erasure_id"),
    **_bookkeeping("database_info", "name", "value"),
    # A CRM's id of a row (or another database's name for it): it names no one by itself.
    **{
        f"{table}.ref": _none("matching the area's CRM record")
        for table in (
            "star_reading",
            "plan_goal",
            "plan_step",
            "referral",
            "outcome",
            "contact",
            "consent",
            "exit_checkin",
            "ledger_entry",
            "budget_cap",
        )
    },
}

_HEALTH = {
    SupportNeed.MENTAL_HEALTH,
    SupportNeed.CHRONIC_HEALTH,
    SupportNeed.LEARNING_DISABILITY,
    SupportNeed.PHYSICAL_DISABILITY,
    SupportNeed.SENSORY_IMPAIRMENT,
    SupportNeed.DRUG_MISUSE,
    SupportNeed.PROBLEM_DRINKING,
    SupportNeed.DOMESTIC_ABUSE,
}
_OFFENDING = {SupportNeed.EX_OFFENDER, SupportNeed.COMMUNITY_SENTENCE}
NEED_CATEGORY: dict[str, Category] = {
    need.value: (
        Category.SPECIAL
        if need in _HEALTH
        else Category.CRIMINAL
        if need in _OFFENDING
        else Category.ORDINARY
    )
    for need in SupportNeed
}
"""Each support-need code's category."""

AREA_CATEGORY: dict[str, Category] = {
    "physical_health": Category.SPECIAL,
    "emotional_health": Category.SPECIAL,
}
"""The Star areas (by code, under any framework) whose scores and notes are not
ordinary personal data; an area not named here is ordinary."""

PROTECTED = frozenset({Category.SPECIAL, Category.CRIMINAL})
"""The categories only roles with the sensitive-data permission see."""


def table_columns(table: str, erase: Erase) -> tuple[str, ...]:
    """The columns of `table` that erasure treats as `erase`, in registry order."""
    prefix = f"{table}."
    return tuple(
        name.removeprefix(prefix)
        for name, classified in COLUMNS.items()
        if name.startswith(prefix) and classified.erase is erase
    )


def protected_fields(table: str) -> frozenset[str]:
    """The columns of `table` that hold special-category or criminal-offence data."""
    prefix = f"{table}."
    return frozenset(
        name.removeprefix(prefix)
        for name, classified in COLUMNS.items()
        if name.startswith(prefix) and classified.category in PROTECTED
    )
