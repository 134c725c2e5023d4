"""The CSV files of the import and export format: their names and columns.

UTF-8 (a byte-order mark is allowed), a header row, ISO dates, the codes of domain.md.
A file's columns may come in any order; every required column must be there and no
other. Optional columns carry what a CRM export may lack but a round trip through
`hiw-tui export` keeps (a raised budget cap, a member who has left, an outcome's
organisation, a spend's payee and the decision on it) and each row's own reference
(`reading_ref`, `step_ref`, `outcome_ref`, `entry_ref`, `cap_ref`: see
`hiw_tui.transfer.identity`); a blank optional cell takes its default.
"""

from __future__ import annotations

from dataclasses import dataclass

STAR_AREAS = (
    "skills",
    "stability_home",
    "money",
    "physical_health",
    "emotional_health",
    "family",
    "social_networks",
    "aspiration_motivation",
)
"""The eight area codes of domain.md: readings.csv has a column for each."""


@dataclass(frozen=True)
class FileSpec:
    name: str
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()

    @property
    def columns(self) -> tuple[str, ...]:
        return self.required + self.optional

    def header_problem(self, header: list[str]) -> str | None:
        """What is wrong with a header row, or None."""
        missing = [name for name in self.required if name not in header]
        unknown = [name for name in header if name not in self.columns]
        repeated = sorted({name for name in header if header.count(name) > 1})
        problems = []
        if missing:
            problems.append("missing " + ", ".join(missing))
        if unknown:
            problems.append("unknown " + ", ".join(repr(name) for name in unknown))
        if repeated:
            problems.append("repeated " + ", ".join(repeated))
        if not problems:
            return None
        return "wrong header: " + "; ".join(problems)


USERS = FileSpec("users.csv", ("username",), ("display_name", "role", "local_authority", "active"))
HOUSEHOLDS = FileSpec(
    "households.csv",
    (
        "household_ref",
        "local_authority",
        "advocate",
        "status",
        "referral_source",
        "start_date",
        "end_date",
    ),
    (
        "budget_cap",
        "referral_date",
        "previous_programme_codes",
        "previous_programmes",
        "safe_contact",
        "exit_reason",
        "exit_destination",
        "exit_note",
    ),
)
"""`previous_programme_codes`: the programmes before HiW by code, separated by `;`
(format 3); `previous_programmes`: any other, as typed."""
PEOPLE = FileSpec(
    "people.csv",
    (
        "person_ref",
        "household_ref",
        "role",
        "given_name",
        "family_name",
        "date_of_birth",
        "gender",
        "ethnicity",
        "time_since_work",
        "support_needs",
    ),
    (
        "left_date",
        "address",
        "postcode",
        "phone",
        "email",
        "benefits",
        "qualification",
        "contact_withheld",
    ),
)
CONTACT_COLUMNS = ("address", "postcode", "phone", "email")
"""people.csv's contact details: blank, with `contact_withheld` yes, where the exporter
may not see them (a safe-contact household, not its advocate); such a row leaves the
details held as they are."""
NOTE_COLUMNS = tuple(f"{area}_note" for area in STAR_AREAS)
"""readings.csv's note on each area's score."""
READING_DETAILS = ("status", "completed_by", "framework_id", "framework_version", "notes")
READINGS = FileSpec(
    "readings.csv",
    ("person_ref", "date", *STAR_AREAS),
    ("reading_ref", *READING_DETAILS, *NOTE_COLUMNS, "entered_by"),
)
PLANS = FileSpec(
    "plans.csv",
    ("household_ref",),
    ("person_ref", "agreed_on", "agreed_by", "changed_on", "agreed_current"),
)
GOALS = FileSpec(
    "goals.csv", ("household_ref", "star_area", "description"), ("goal_ref", "person_ref")
)
STEPS = FileSpec(
    "steps.csv",
    ("person_ref", "star_area", "description", "status", "due_date", "done_date"),
    ("step_ref", "household_ref", "goal_ref", "position", "owner", "partner", "status_on"),
)
OUTCOMES = FileSpec(
    "outcomes.csv",
    ("person_ref", "kind", "start_date", "end_date", "hours", "description"),
    ("organisation", "outcome_ref", "completed", "entered_by"),
)
LEDGER = FileSpec(
    "ledger.csv",
    ("household_ref", "date", "amount", "category", "description"),
    (
        "state",
        "entry_ref",
        "payee",
        "receipt_ref",
        "person_ref",
        "reverses",
        "reason",
        "entered_by",
        "entered_at",
        "decided_by",
        "decided_at",
        "decision_note",
    ),
)
"""Every spend and reversal: who it was for, who entered it and when, the spend a
reversal reverses (`reverses`, its entry_ref) and why, and the decision on a spend that
waited (`state` approved or rejected)."""
CAPS = FileSpec("caps.csv", ("household_ref", "cap", "reason"), ("cap_ref", "set_by", "set_at"))
"""Each budget's cap history: the cap it opened at, then each raise."""
FILES = (USERS, HOUSEHOLDS, PEOPLE, PLANS, GOALS, READINGS, STEPS, OUTCOMES, CAPS, LEDGER)
"""In the order they are read and written (parents first)."""
NEED_SEPARATOR = ";"
USER_COLUMNS = ("entered_by", "recorded_by", "agreed_by", "decided_by", "set_by")
"""Columns naming a user by username (blank: the importer): each must be held already
or be in users.csv."""

CODE_COLUMNS: dict[str, frozenset[str]] = {
    file: frozenset(columns)
    for file, columns in {
        "users.csv": ("role", "local_authority"),
        "households.csv": (
            "local_authority",
            "status",
            "referral_source",
            "exit_reason",
            "exit_destination",
            "previous_programme_codes",
        ),
        "people.csv": (
            "role",
            "gender",
            "ethnicity",
            "time_since_work",
            "support_needs",
            "benefits",
            "qualification",
        ),
        "readings.csv": ("status", "completed_by"),
        "goals.csv": ("star_area",),
        "steps.csv": ("star_area", "status", "owner"),
        "outcomes.csv": ("kind",),
        "ledger.csv": ("category", "state"),
        "partners.csv": ("kind",),
        "consents.csv": ("purpose",),
        "referrals.csv": ("status",),
        "contacts.csv": ("mode", "recontact"),
    }.items()
}
"""Each file's columns of codes, read in any case (`Liverpool`, `JCP`): codes are lower
case, and a CRM or a spreadsheet often capitalises them."""
