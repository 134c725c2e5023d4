"""The records of households.csv, people.csv, readings.csv, steps.csv and outcomes.csv,
each read from a row by the forms' rules (`hiw_tui.transfer.cell_checks`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from hiw_tui.domain.case_inputs import OutcomeInput, StepInput
from hiw_tui.domain.codes import Destination, ExitReason
from hiw_tui.domain.money import parse_pounds
from hiw_tui.domain.validation import HouseholdInput, PersonInput, ReadingInput
from hiw_tui.transfer.cell_checks import (
    code_reader,
    date_cell_value,
    given_only,
    iso_date,
    read_cell,
    required,
    validated,
)
from hiw_tui.transfer.files import (
    CONTACT_COLUMNS,
    NEED_SEPARATOR,
    NOTE_COLUMNS,
    READING_DETAILS,
    STAR_AREAS,
)
from hiw_tui.transfer.problems import RowError
from hiw_tui.transfer.values import read_flag, read_list

EXIT_NOTE_LENGTH = 200
IMPORT_PAYEE = "(not recorded)"
"""The payee of an imported spend, and the organisation of an outcome, where the file
has none."""


@dataclass(frozen=True, slots=True)
class HouseholdRecord:
    row: int
    data: HouseholdInput
    advocate: str
    budget_cap: int | None
    fields: frozenset[str]
    """The household's fields the file sets (a column it lacks leaves what is held)."""
    exit: dict[str, Any] = field(default_factory=dict)
    """exit_reason, exit_destination and exit_note, where the file has their columns."""


@dataclass(frozen=True, slots=True)
class PersonRecord:
    row: int
    reference: str
    household_ref: str
    data: PersonInput
    left_on: date | None
    fields: frozenset[str]
    """The person's fields the file sets (a column it lacks leaves what is held)."""
    withheld: bool = False
    """The file says their contact details were withheld from whoever exported it."""


@dataclass(frozen=True, slots=True)
class ReadingRecord:
    """Kept small: a large import holds millions of these until it writes."""

    row: int
    person_ref: str
    taken_on: date
    scores: tuple[int | None, ...]
    """In the order of STAR_AREAS."""
    ref: str = ""
    details: dict[str, Any] | None = None
    """Where the file has them: the reading's status, completed_by, framework_id,
    framework_version, notes, entered_by (a username) and area_notes (in the order of
    STAR_AREAS); None for a file of scores alone."""


@dataclass(frozen=True, slots=True)
class StepRecord:
    row: int
    person_ref: str
    """Blank for a step of the household's own plan (`household_ref` names it)."""
    area: str
    data: StepInput
    done_on: date | None
    ref: str = ""
    household_ref: str = ""
    goal_ref: str = ""
    position: int | None = None
    partner: str = ""
    """The partner service carrying it out, by name (owner `partner`)."""
    status_dated: bool = False
    """The file gives the day its status last changed (`status_on`)."""


@dataclass(frozen=True, slots=True)
class OutcomeRecord:
    row: int
    person_ref: str
    data: OutcomeInput
    ref: str = ""
    entered_by: str = ""
    """A username; blank: the importer."""
    completed: bool | None = None
    """None where the file has no `completed` column (what is held stays)."""


def read_household(row: int, raw: dict[str, str]) -> HouseholdRecord:
    required(raw, "advocate")
    cap = None
    if raw.get("budget_cap"):
        try:
            cap = parse_pounds(raw["budget_cap"])
        except ValueError as error:
            raise RowError([("budget_cap", str(error))]) from None
    values: dict[str, Any] = {
        "reference": raw["household_ref"],
        "local_authority": raw["local_authority"],
        "advocate_id": 1,  # resolved from the username when the rows are matched
        "status": raw["status"],
        "referral_route": raw["referral_source"],
        "start_date": iso_date(raw["start_date"]),
        "end_date": iso_date(raw["end_date"]) or None,
    }
    problems: list[tuple[str, str]] = []
    if "referral_date" in raw:
        values["referred_on"] = iso_date(raw["referral_date"]) or None
    if "previous_programmes" in raw:
        values["previous_programmes"] = raw["previous_programmes"]
    if "previous_programme_codes" in raw:
        values["previous_programme_codes"] = read_list(raw["previous_programme_codes"])
    if "safe_contact" in raw:
        values["safe_contact"] = read_cell(read_flag, raw, "safe_contact", problems)
    exit_values = {
        "exit_reason": read_cell(code_reader(ExitReason), raw, "exit_reason", problems),
        "exit_destination": read_cell(code_reader(Destination), raw, "exit_destination", problems),
        "exit_note": raw.get("exit_note", ""),
    }
    if len(exit_values["exit_note"]) > EXIT_NOTE_LENGTH:
        problems.append(("exit_note", f"longer than {EXIT_NOTE_LENGTH} characters"))
    try:
        data = validated(
            HouseholdInput,
            values,
            {
                "reference": "household_ref",
                "referral_route": "referral_source",
                "referred_on": "referral_date",
            },
        )
    except RowError as error:
        raise RowError(problems + error.problems) from None
    if problems:
        raise RowError(problems)
    fields = frozenset(values)
    exit_set = {name: value for name, value in exit_values.items() if name in raw}
    return HouseholdRecord(row, data, raw["advocate"], cap, fields, exit_set)


def read_person(row: int, raw: dict[str, str]) -> PersonRecord:
    required(raw, "person_ref", "household_ref")
    needs = [code.strip() for code in raw["support_needs"].split(NEED_SEPARATOR) if code.strip()]
    left_on = date_cell_value(raw.get("left_date", ""), "left_date")
    values = {
        "role": raw["role"],
        "given_name": raw["given_name"],
        "family_name": raw["family_name"],
        "date_of_birth": iso_date(raw["date_of_birth"]),
        "gender": raw["gender"],
        "ethnicity": raw["ethnicity"],
        "time_since_work": raw["time_since_work"],
        "support_needs": needs,
    }
    more: list[str] = [name for name in ("benefits", "qualification") if name in raw]
    try:
        withheld = read_flag(raw.get("contact_withheld", ""))
    except ValueError as error:
        raise RowError([("contact_withheld", str(error))]) from None
    if not withheld:
        more += [name for name in CONTACT_COLUMNS if name in raw]
    values.update({name: raw[name] for name in more})
    if "benefits" in values:
        values["benefits"] = read_list(raw["benefits"])
    data = validated(
        PersonInput,
        given_only(values) | {"given_name": raw["given_name"], "family_name": raw["family_name"]},
        {},
    )
    fields = frozenset([*(name for name in values if name != "support_needs"), "left_on", *more])
    return PersonRecord(
        row,
        raw["person_ref"].upper(),
        raw["household_ref"].upper(),
        data,
        left_on,
        fields,
        withheld,
    )


def read_reading(row: int, raw: dict[str, str]) -> ReadingRecord:
    required(raw, "person_ref")
    scores = {area: raw[area] or None for area in STAR_AREAS}
    values: dict[str, Any] = {"taken_on": iso_date(raw["date"]), "scores": scores}
    values |= {name: raw[name] for name in ("status", "completed_by", "notes") if raw.get(name)}
    notes = {
        area: raw.get(column, "") for area, column in zip(STAR_AREAS, NOTE_COLUMNS, strict=True)
    }
    values["area_notes"] = {area: note for area, note in notes.items() if note}
    data = validated(ReadingInput, values, {"taken_on": "date"})
    details = None
    if any(name in raw for name in (*READING_DETAILS, *NOTE_COLUMNS, "entered_by")):
        details = {
            "status": data.status.value,
            "completed_by": data.completed_by.value,
            "framework_id": raw.get("framework_id", "")[:64],
            "framework_version": raw.get("framework_version", "")[:300],
            "notes": data.notes,
            "entered_by": raw.get("entered_by", "").lower(),
            "area_notes": tuple(data.area_notes.get(area, "") for area in STAR_AREAS),
        }
    return ReadingRecord(
        row,
        raw["person_ref"].upper(),
        data.taken_on,
        tuple(data.scores[area] for area in STAR_AREAS),
        raw.get("reading_ref", ""),
        details,
    )


def read_step(row: int, raw: dict[str, str], today: date) -> StepRecord:
    if not raw.get("household_ref"):
        required(raw, "person_ref")
    if raw["star_area"] not in STAR_AREAS:
        raise RowError([("star_area", f"{raw['star_area']!r} is not a Star area code")])
    done_on = date_cell_value(raw["done_date"], "done_date")
    status_on = date_cell_value(raw.get("status_on", ""), "status_on")
    position = None
    if raw.get("position"):
        if not raw["position"].isdigit() or int(raw["position"]) < 1:
            raise RowError([("position", f"{raw['position']!r} is not a position (1, 2, ...)")])
        position = int(raw["position"])
    data = validated(
        StepInput,
        given_only(
            {
                "description": raw["description"],
                "status": raw["status"],
                "due_on": iso_date(raw["due_date"]),
                "status_on": status_on or done_on or today,
                "owner": raw.get("owner"),
                "partner_id": 1 if raw.get("partner") else None,  # resolved when matched
            }
        )
        | {"description": raw["description"]},
        {"due_on": "due_date", "status_on": "status_on", "partner_id": "partner"},
    )
    if (data.status == "done") != (done_on is not None):
        problem = (
            "a done step needs its done_date"
            if done_on is None
            else "only a done step has a done_date"
        )
        raise RowError([("done_date", problem)])
    return StepRecord(
        row,
        raw["person_ref"].upper(),
        raw["star_area"],
        data,
        done_on,
        raw.get("step_ref", ""),
        raw.get("household_ref", "").upper(),
        raw.get("goal_ref", ""),
        position,
        raw.get("partner", "") if data.partner_id is not None else "",
        status_on is not None,
    )


def read_outcome(row: int, raw: dict[str, str]) -> OutcomeRecord:
    required(raw, "person_ref", "hours")
    data = validated(
        OutcomeInput,
        {
            "person_id": 1,  # resolved from person_ref when the rows are matched
            "kind": raw["kind"],
            "organisation": raw.get("organisation") or IMPORT_PAYEE,
            "description": raw["description"],
            "start_on": iso_date(raw["start_date"]),
            "end_on": iso_date(raw["end_date"]) or None,
            "hours": raw["hours"],
        },
        {"start_on": "start_date", "end_on": "end_date"},
    )
    completed = None
    if "completed" in raw:
        try:
            completed = read_flag(raw["completed"])
        except ValueError as error:
            raise RowError([("completed", str(error))]) from None
    return OutcomeRecord(
        row,
        raw["person_ref"].upper(),
        data,
        raw.get("outcome_ref", ""),
        raw.get("entered_by", "").lower(),
        completed,
    )
