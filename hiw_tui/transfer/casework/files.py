"""The casework files of the import and export format: partners, consents, referrals,
contacts and phased-exit check-ins.

Each file's own reference column (`consent_ref`, ...) and what a CRM may not keep (who
entered a row, and when) are optional; export writes every column, the reference first.
"""

from __future__ import annotations

from dataclasses import dataclass

from hiw_tui.transfer.files import FileSpec


@dataclass(frozen=True)
class CaseworkSpec(FileSpec):
    """A file whose columns are written in `order`."""

    order: tuple[str, ...] = ()

    @property
    def columns(self) -> tuple[str, ...]:
        return self.order


def _spec(name: str, columns: tuple[str, ...], optional: tuple[str, ...]) -> CaseworkSpec:
    required = tuple(column for column in columns if column not in optional)
    return CaseworkSpec(name, required, optional, columns)


PARTNERS = _spec("partners.csv", ("partner", "kind", "contact", "active"), ("contact", "active"))
CONSENTS = _spec(
    "consents.csv",
    (
        "consent_ref",
        "person_ref",
        "purpose",
        "partner",
        "given",
        "on",
        "recorded_by",
        "recorded_at",
    ),
    ("consent_ref", "partner", "recorded_by", "recorded_at"),
)
REFERRALS = _spec(
    "referrals.csv",
    (
        "referral_ref",
        "household_ref",
        "person_ref",
        "partner",
        "purpose",
        "status",
        "made_on",
        "status_on",
        "outcome_note",
        "onward",
        "consent_override",
        "entered_by",
    ),
    (
        "referral_ref",
        "person_ref",
        "purpose",
        "status",
        "status_on",
        "outcome_note",
        "onward",
        "consent_override",
        "entered_by",
    ),
)
CONTACTS = _spec(
    "contacts.csv",
    (
        "contact_ref",
        "household_ref",
        "contacted_on",
        "mode",
        "participant_refs",
        "participants",
        "purpose",
        "note",
        "recontact",
        "entered_by",
        "created_at",
    ),
    (
        "contact_ref",
        "participant_refs",
        "participants",
        "note",
        "recontact",
        "entered_by",
        "created_at",
    ),
)
"""`participant_refs`: the household's members who took part, by person_ref, separated
by `;` (format 3); `participants`: anyone else, as typed."""
CHECKINS = _spec("checkins.csv", ("checkin_ref", "household_ref", "due_on"), ("checkin_ref",))
CASEWORK_FILES = (PARTNERS, CONSENTS, REFERRALS, CONTACTS, CHECKINS)
"""In the order they are read and written (partners first: the others name them)."""
