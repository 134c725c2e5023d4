"""The import's possible duplicates: each new person of people.csv (a ref not held)
compared with the people held, as a person added in the app is
(`hiw_tui.db.households.duplicates`), before anything is written.

They are warnings, listed in the import's report under the row's reference and never
refusals: the row is imported all the same. A match in the importer's scope is named
(name, household, date of birth, advocate, what they share); one outside it is only said
to exist, with whom to ask. Rows with a problem of their own are left out (they are not
imported), and so are the file's other rows: only people held are compared with.
"""

from __future__ import annotations

from sqlmodel import Session

from hiw_tui.db.core.models import UserPublic
from hiw_tui.db.households.duplicates import DuplicateCheck, DuplicateMatch, duplicates_of
from hiw_tui.domain.duplicates import Candidate, reasons_text
from hiw_tui.transfer.files import PEOPLE
from hiw_tui.transfer.match import Matched
from hiw_tui.transfer.problems import Problem

COLUMN = "person_ref"
"""The column a warning names: the row's person."""


def duplicate_warnings(session: Session, actor: UserPublic, matched: Matched) -> list[Problem]:
    """A warning for each new person of people.csv who may be someone held already."""
    bad = matched.bad_rows().get(PEOPLE.name, set())
    records = [
        record
        for record in matched.parsed.people
        if record.row not in bad
        and record.reference in matched.person_household
        and record.reference not in matched.person_ids
    ]
    sought = [
        (
            Candidate(
                given_name=record.data.given_name,
                family_name=record.data.family_name,
                date_of_birth=record.data.date_of_birth,
                phone=record.data.phone,
                email=record.data.email,
            ),
            matched.household_ids.get(record.household_ref),
        )
        for record in records
    ]
    checks = duplicates_of(session, actor=actor, sought=sought)
    warnings = []
    for record, check in zip(records, checks, strict=True):
        warnings += [Problem(PEOPLE.name, record.row, COLUMN, reason) for reason in _reasons(check)]
    return warnings


def _reasons(check: DuplicateCheck) -> list[str]:
    said = [f"possible duplicate of {_who(match)}" for match in check.matches]
    if check.elsewhere:
        said.append(check.elsewhere_text)
    return said


def _who(match: DuplicateMatch) -> str:
    left = f", who left on {match.left_on.isoformat()}" if match.left_on else ""
    return (
        f"{match.name} of household {match.reference}{left} (born "
        f"{match.date_of_birth.isoformat()}, advocate {match.advocate_name}): "
        f"{reasons_text(match.reasons)}"
    )
