"""Reading the casework files: every cell checked by the forms' rules, each bad cell a
`Problem`, every problem in every file collected (see `hiw_tui.transfer.parse`). A
blank optional cell takes its default; an optional column a file lacks leaves what is
held as it is (`columns`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from hiw_tui.domain.case_inputs import ConsentInput, ContactInput, PartnerInput, ReferralInput
from hiw_tui.domain.codes import ConsentPurpose
from hiw_tui.transfer.casework.files import (
    CHECKINS,
    CONSENTS,
    CONTACTS,
    PARTNERS,
    REFERRALS,
    CaseworkSpec,
)
from hiw_tui.transfer.cell_checks import date_cell_value, iso_date, validated
from hiw_tui.transfer.files import NEED_SEPARATOR, USER_COLUMNS
from hiw_tui.transfer.parse import Parsed, file_rows
from hiw_tui.transfer.problems import Problem, RowError
from hiw_tui.transfer.values import read_flag, read_time

REF_LENGTH = 60
"""The longest reference a row keeps (`ref_field`)."""


@dataclass(frozen=True, slots=True)
class PartnerRecord:
    row: int
    data: PartnerInput
    columns: frozenset[str]


@dataclass(frozen=True, slots=True)
class ConsentRecord:
    row: int
    ref: str
    person_ref: str
    data: ConsentInput
    """With placeholder ids: the person and partner are matched by `person_ref` and
    `partner`."""
    partner: str
    recorded_by: str
    """A username; blank: the importer."""
    recorded_at: datetime | None


@dataclass(frozen=True, slots=True)
class ReferralRecord:
    row: int
    ref: str
    household_ref: str
    person_ref: str
    """Blank: a referral of the household."""
    partner: str
    data: ReferralInput
    """With placeholder ids, as a ConsentRecord's."""
    entered_by: str
    columns: frozenset[str]


@dataclass(frozen=True, slots=True)
class ContactRecord:
    row: int
    ref: str
    household_ref: str
    data: ContactInput
    """Without its members: they are matched by `participant_refs`."""
    participant_refs: tuple[str, ...]
    entered_by: str
    created_at: datetime | None
    columns: frozenset[str]


@dataclass(frozen=True, slots=True)
class CheckinRecord:
    row: int
    ref: str
    household_ref: str
    due_on: date


class _Cells:
    """One row's cells read one by one, each bad one noted; `done` raises them all."""

    def __init__(self, raw: dict[str, str]) -> None:
        self.raw = raw
        self.problems: list[tuple[str, str]] = []

    def __getitem__(self, column: str) -> str:
        """The cell of `column`; blank where the file lacks the column."""
        return self.raw.get(column, "")

    def ref(self, column: str) -> str:
        if len(self[column]) > REF_LENGTH:
            self.problems.append((column, f"longer than {REF_LENGTH} characters"))
        return self[column]

    def required(self, column: str) -> str:
        if not self[column]:
            self.problems.append((column, "required"))
        return self[column].upper()

    def read(self, column: str, reader: Callable[[str], Any], default: Any = None) -> Any:
        try:
            return reader(self[column])
        except (ValueError, RowError) as error:
            reasons = error.problems if isinstance(error, RowError) else [(column, str(error))]
            self.problems.extend(reasons)
            return default

    def model(self, model: type[Any], values: dict[str, Any], columns: dict[str, str]) -> Any:
        """`model` built from `values` (None values left out, to take their defaults)."""
        present = {name: value for name, value in values.items() if value is not None}
        try:
            return validated(model, present, columns)
        except RowError as error:
            self.problems.extend(error.problems)
            return None

    def done(self) -> None:
        if self.problems:
            raise RowError(list(dict.fromkeys(self.problems)))


def _required_flag(cell: str) -> bool:
    if not cell:
        raise ValueError("required")
    return read_flag(cell)


def _partner(row: int, raw: dict[str, str]) -> PartnerRecord:
    cells = _Cells(raw)
    active = cells.read("active", lambda cell: read_flag(cell, default=True), True)
    data = cells.model(
        PartnerInput,
        {"name": cells["partner"], "kind": cells["kind"], "contact": cells["contact"]}
        | {"active": active},
        {"name": "partner"},
    )
    cells.done()
    return PartnerRecord(row, data, frozenset(raw))


def _consent(row: int, raw: dict[str, str]) -> ConsentRecord:
    cells = _Cells(raw)
    ref, person_ref = cells.ref("consent_ref"), cells.required("person_ref")
    given = cells.read("given", _required_flag, False)
    recorded_at = cells.read("recorded_at", read_time)
    data = cells.model(
        ConsentInput,
        {
            "person_id": 1,
            "purpose": cells["purpose"],
            "partner_id": 1 if cells["partner"] else None,
            "given": given,
            "on": iso_date(cells["on"]),
        },
        {"partner_id": "partner"},
    )
    if data is not None and cells["partner"] and data.purpose is not ConsentPurpose.SHARE_PARTNER:
        cells.problems.append(("partner", "only a consent to share with a partner names one"))
    cells.done()
    return ConsentRecord(
        row, ref, person_ref, data, cells["partner"], cells["recorded_by"].lower(), recorded_at
    )


def _referral(row: int, raw: dict[str, str]) -> ReferralRecord:
    cells = _Cells(raw)
    ref, household_ref = cells.ref("referral_ref"), cells.required("household_ref")
    onward = cells.read("onward", read_flag, False)
    if not cells["partner"]:
        cells.problems.append(("partner", "required"))
    data = cells.model(
        ReferralInput,
        {
            "person_id": 1 if cells["person_ref"] else None,
            "partner_id": 1,
            "purpose": cells["purpose"],
            "status": cells["status"] or None,
            "made_on": iso_date(cells["made_on"]),
            "status_on": iso_date(cells["status_on"] or cells["made_on"]),
            "outcome_note": cells["outcome_note"],
            "onward": onward,
            "consent_override": cells["consent_override"],
        },
        {"partner_id": "partner", "person_id": "person_ref"},
    )
    cells.done()
    return ReferralRecord(
        row,
        ref,
        household_ref,
        cells["person_ref"].upper(),
        cells["partner"],
        data,
        cells["entered_by"].lower(),
        frozenset(raw),
    )


def _contact(row: int, raw: dict[str, str]) -> ContactRecord:
    cells = _Cells(raw)
    ref, household_ref = cells.ref("contact_ref"), cells.required("household_ref")
    created_at = cells.read("created_at", read_time)
    data = cells.model(
        ContactInput,
        {
            "contacted_on": iso_date(cells["contacted_on"]),
            "mode": cells["mode"],
            "participants": cells["participants"],
            "purpose": cells["purpose"],
            "note": cells["note"],
            "recontact": cells["recontact"] or None,
        },
        {},
    )
    participant_refs = cells.read("participant_refs", _refs, ())
    cells.done()
    return ContactRecord(
        row,
        ref,
        household_ref,
        data,
        participant_refs,
        cells["entered_by"].lower(),
        created_at,
        frozenset(raw),
    )


def _refs(cell: str) -> tuple[str, ...]:
    """Person refs separated by `;`, each once, in order."""
    refs = sorted({ref.strip().upper() for ref in cell.split(NEED_SEPARATOR) if ref.strip()})
    if any(len(ref) > REF_LENGTH for ref in refs):
        raise ValueError(f"a reference longer than {REF_LENGTH} characters")
    return tuple(refs)


def _checkin(row: int, raw: dict[str, str]) -> CheckinRecord:
    cells = _Cells(raw)
    ref, household_ref = cells.ref("checkin_ref"), cells.required("household_ref")
    if not cells["due_on"]:
        cells.problems.append(("due_on", "required"))
    due_on = cells.read("due_on", lambda cell: date_cell_value(cell, "due_on"))
    cells.done()
    return CheckinRecord(row, ref, household_ref, due_on)


READERS: dict[str, Callable[[int, dict[str, str]], Any]] = {
    PARTNERS.name: _partner,
    CONSENTS.name: _consent,
    REFERRALS.name: _referral,
    CONTACTS.name: _contact,
    CHECKINS.name: _checkin,
}


def read_file(
    folder: Path, spec: CaseworkSpec, parsed: Parsed, encoding: str, named: set[str] | None = None
) -> list[Any]:
    """The records of one file of `folder` (none if it is absent); each bad row's problems
    go to `parsed.problems`, the usernames it names to `parsed.user_refs` (for `match` to
    check with the other files'). `named` collects the file's first column, good rows and
    bad."""
    path = folder / spec.name
    if not path.is_file():
        return []
    parsed.present.add(spec.name)
    records = []
    for number, raw in file_rows(path, spec, parsed, encoding):
        if named is not None:
            named.add(raw.get(spec.columns[0], ""))
        parsed.user_refs.extend(
            (spec.name, number, column, raw[column].lower())
            for column in USER_COLUMNS
            if raw.get(column)
        )
        try:
            records.append(READERS[spec.name](number, raw))
        except RowError as error:
            parsed.problems.extend(
                Problem(spec.name, number, column, reason) for column, reason in error.problems
            )
    return records
