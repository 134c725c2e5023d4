"""Reading the import files: every cell checked by the same rules as the forms.

Each row becomes a record, or one `Problem` per bad cell; every problem in every file is
collected, never just the first. Rows are numbered as a spreadsheet numbers them: the
header is row 1, the first data row row 2.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from hiw_tui.domain.budget import CapInput, DecisionInput, ReversalInput, SpendInput
from hiw_tui.domain.case_inputs import OutcomeInput, StepInput
from hiw_tui.domain.codes import Decision, Destination, ExitReason
from hiw_tui.domain.dates import NotARealDate, TwoDigitYear, read_import_date
from hiw_tui.domain.money import parse_pounds
from hiw_tui.domain.validation import HouseholdInput, PersonInput, ReadingInput
from hiw_tui.transfer.files import (
    CAPS,
    CODE_COLUMNS,
    CONTACT_COLUMNS,
    GOALS,
    HOUSEHOLDS,
    LEDGER,
    NEED_SEPARATOR,
    NOTE_COLUMNS,
    OUTCOMES,
    PEOPLE,
    PLANS,
    READING_DETAILS,
    READINGS,
    STAR_AREAS,
    STEPS,
    USER_COLUMNS,
    USERS,
    FileSpec,
)
from hiw_tui.transfer.manifest import folder_problems
from hiw_tui.transfer.plans import GoalRecord, PlanRecord, read_goal, read_plan
from hiw_tui.transfer.problems import FOLDER, Problem, RowError
from hiw_tui.transfer.reader import DEFAULT_ENCODING, read_rows
from hiw_tui.transfer.users import UserRecord, read_user
from hiw_tui.transfer.values import read_flag, read_list, read_time

PROGRESS_EVERY = 5_000
WAITING = "waiting"
"""ledger.csv `state` of a spend still waiting for a supervisor's approval."""
DECIDED = (Decision.APPROVED.value, Decision.REJECTED.value)
"""ledger.csv `state`s of a spend that waited and was decided."""
STATES = ("", "spent", WAITING, *DECIDED)
"""ledger.csv `state`s: blank or `spent` for a spend counted at once (and a reversal)."""
EXIT_NOTE_LENGTH = 200
IMPORT_PAYEE = "(not recorded)"
"""The payee of an imported spend: the import format does not carry one."""


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


@dataclass(frozen=True, slots=True)
class LedgerRecord:
    """A row of ledger.csv: a spend, or the reversal of one. Blank who and when cells
    (entered_by, entered_at, decided_by, decided_at) are the importer and the import's
    time."""

    row: int
    household_ref: str
    data: SpendInput
    reversal: bool
    """A negative amount: the reversal of an earlier spend, the one `reverses` names or
    else the oldest of the same amount and category."""
    state: str = ""
    """Blank (counted at once), `waiting`, `approved` or `rejected`."""
    ref: str = ""
    person: str = ""
    """person_ref: whom the spend was for; blank, the household. (Not `person_ref`, which
    names the person whose row it is: a ledger row is its household's.)"""
    reverses: str = ""
    reason: str = ""
    entered_by: str = ""
    entered_at: datetime | None = None
    decided_by: str = ""
    decided_at: datetime | None = None
    note: str = ""
    columns: frozenset[str] = frozenset()
    """The file's optional columns (one it lacks says nothing about an entry held)."""

    @property
    def needs_approval(self) -> bool:
        return self.state not in ("", "spent")

    @property
    def waiting(self) -> bool:
        return self.state == WAITING


@dataclass(frozen=True, slots=True)
class CapRecord:
    """A row of caps.csv: a budget's cap as set (its opening cap, or a raise)."""

    row: int
    household_ref: str
    cap: int
    reason: str
    ref: str = ""
    set_by: str = ""
    set_at: datetime | None = None


@dataclass
class Parsed:
    households: list[HouseholdRecord] = field(default_factory=list)
    people: list[PersonRecord] = field(default_factory=list)
    readings: list[ReadingRecord] = field(default_factory=list)
    steps: list[StepRecord] = field(default_factory=list)
    outcomes: list[OutcomeRecord] = field(default_factory=list)
    plans: list[PlanRecord] = field(default_factory=list)
    goals: list[GoalRecord] = field(default_factory=list)
    ledger: list[LedgerRecord] = field(default_factory=list)
    caps: list[CapRecord] = field(default_factory=list)
    users: list[UserRecord] = field(default_factory=list)
    user_refs: list[tuple[str, int, str, str]] = field(default_factory=list)
    """(file, row, column, username) of every user a row names besides households.csv's
    advocates: each must be held or in users.csv."""
    problems: list[Problem] = field(default_factory=list)
    present: set[str] = field(default_factory=set)
    """The files found (a file may be absent)."""
    unreadable: set[str] = field(default_factory=set)
    """Files that could not be read (their one problem says why): rows naming what they
    define are not each reported too."""
    named: dict[str, set[str]] = field(default_factory=dict)
    """file -> every ref its rows define (person_ref of people.csv, household_ref of
    households.csv), good rows and bad: a row pointing at a bad one is told so."""


M = TypeVar("M", bound=BaseModel)


def _reason(item: Mapping[str, Any]) -> str:
    """A pydantic error as a sentence about the cell."""
    kind, value = item["type"], item.get("input")
    message = str(item["msg"]).removeprefix("Value error, ")
    if ": " in message and kind == "value_error" and not item["loc"]:
        message = message.split(": ", 1)[1]
    if kind == "enum":
        return f"{value!r} is not a code here; expected {item['ctx']['expected']}"
    if kind.startswith("date") and isinstance(value, str):
        return _date_problem(value)
    if kind in {"int_parsing", "int_from_float", "greater_than_equal", "less_than_equal"}:
        return f"{value!r} is not a score from 1 to 5"
    if kind == "float_parsing":
        return f"{value!r} is not a number"
    if kind == "missing":
        return "required"
    return message


def validated(model: type[M], values: dict[str, Any], columns: Mapping[str, str]) -> M:
    """`model` built from `values`; RowError naming the column of each bad field."""
    try:
        return model.model_validate(values)
    except ValidationError as error:
        problems = []
        for item in error.errors():
            loc = [str(part) for part in item["loc"]]
            message = str(item["msg"]).removeprefix("Value error, ")
            name = loc[0] if loc else message.split(": ", 1)[0]
            column = next((part for part in reversed(loc) if part in STAR_AREAS), None)
            problems.append((column or columns.get(name, name), _reason(item)))
        raise RowError(problems) from error


def date_cell_value(cell: str, column: str) -> date | None:
    if not cell:
        return None
    try:
        return read_import_date(cell)
    except ValueError:
        raise RowError([(column, _date_problem(cell))]) from None


def _date_problem(cell: str) -> str:
    """What is wrong with a date cell: a day that does not exist, a year of two
    digits, or the shape."""
    try:
        read_import_date(cell)
    except NotARealDate:
        first = " (dates are day-first: DD/MM/YYYY)" if "/" in cell else ""
        return f"{cell!r} is not a real date{first}"
    except TwoDigitYear:
        return f"{cell!r} has a two-digit year: write the year in full (DD/MM/YYYY)"
    except ValueError:
        pass
    return f"{cell!r} is not a date (YYYY-MM-DD or DD/MM/YYYY)"


def iso_date(cell: str) -> str:
    """A date cell as a model reads it: a day-first date as YYYY-MM-DD; any other cell
    as it is, for the model to find what is wrong with it."""
    try:
        return read_import_date(cell).isoformat() if cell else cell
    except ValueError:
        return cell


def _required(raw: Mapping[str, str], *columns: str) -> None:
    missing = [(column, "required") for column in columns if not raw[column]]
    if missing:
        raise RowError(missing)


def _household(row: int, raw: dict[str, str]) -> HouseholdRecord:
    _required(raw, "advocate")
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
    if "safe_contact" in raw:
        values["safe_contact"] = _cell(read_flag, raw, "safe_contact", problems)
    exit_values = {
        "exit_reason": _cell(_code(ExitReason), raw, "exit_reason", problems),
        "exit_destination": _cell(_code(Destination), raw, "exit_destination", problems),
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


def _cell(
    read: Callable[[str], Any], raw: Mapping[str, str], column: str, problems: list[tuple[str, str]]
) -> Any:
    """A cell read by `read` (None where the column is absent or the cell blank); a
    ValueError's message becomes the cell's problem."""
    cell = raw.get(column, "")
    if not cell:
        return None
    try:
        return read(cell)
    except ValueError as error:
        problems.append((column, str(error)))
        return None


def _code(codes: type[StrEnum]) -> Callable[[str], str]:
    def read(cell: str) -> str:
        try:
            return codes(cell).value
        except ValueError:
            expected = ", ".join(repr(code.value) for code in codes)
            raise ValueError(f"{cell!r} is not a code here; expected {expected}") from None

    return read


def _optional(values: dict[str, Any]) -> dict[str, Any]:
    """Blank optional cells left out, so that they take their defaults."""
    return {name: value for name, value in values.items() if value not in ("", None)}


def _person(row: int, raw: dict[str, str]) -> PersonRecord:
    _required(raw, "person_ref", "household_ref")
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
        _optional(values) | {"given_name": raw["given_name"], "family_name": raw["family_name"]},
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


def _reading(row: int, raw: dict[str, str]) -> ReadingRecord:
    _required(raw, "person_ref")
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


def _step(row: int, raw: dict[str, str], today: date) -> StepRecord:
    if not raw.get("household_ref"):
        _required(raw, "person_ref")
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
        _optional(
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


def _outcome(row: int, raw: dict[str, str]) -> OutcomeRecord:
    _required(raw, "person_ref", "hours")
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


def _spend(row: int, raw: dict[str, str]) -> LedgerRecord:
    _required(raw, "household_ref", "amount")
    problems: list[tuple[str, str]] = []
    state = raw.get("state", "")
    amount = raw["amount"].replace(" ", "")
    reversal = amount.startswith("-")
    if state not in STATES:
        expected = "'spent', 'waiting', 'approved' or 'rejected'"
        problems.append(("state", f"{state!r} is not a state here; expected {expected}"))
    elif reversal and state not in ("", "spent"):
        problems.append(("state", f"a reversal (a negative amount) cannot be {state}"))
    for column in ("reverses", "reason"):
        if raw.get(column) and not reversal:
            problems.append((column, "only a reversal (a negative amount) has one"))
    for column in ("decided_by", "decided_at", "decision_note"):
        if raw.get(column) and state not in DECIDED:
            problems.append((column, "only an approved or rejected spend has one"))
    why = (
        _collect(problems, ReversalInput, {"reason": raw["reason"]}, {})
        if raw.get("reason")
        else None
    )
    decided = None
    if state in DECIDED:
        note = {"decision": state, "note": raw.get("decision_note", "")}
        decided = _collect(problems, DecisionInput, note, {"note": "decision_note"})
    times = {name: _cell(read_time, raw, name, problems) for name in ("entered_at", "decided_at")}
    values = {
        "amount": amount.removeprefix("-"),
        "category": raw["category"],
        "payee": raw.get("payee") or IMPORT_PAYEE,
        "description": raw["description"],
        "receipt_ref": raw.get("receipt_ref", ""),
        "spent_on": iso_date(raw["date"]),
    }
    data = _collect(problems, SpendInput, values, {"spent_on": "date"})
    if problems or data is None:
        raise RowError(problems)
    return LedgerRecord(
        row,
        raw["household_ref"].upper(),
        data,
        reversal,
        "" if state == "spent" else state,
        raw.get("entry_ref", ""),
        raw.get("person_ref", "").upper(),
        raw.get("reverses", ""),
        why.reason if why else "",
        raw.get("entered_by", "").lower(),
        times["entered_at"],
        raw.get("decided_by", "").lower(),
        times["decided_at"],
        decided.note if decided else "",
        _optional_columns(LEDGER, tuple(raw)),
    )


def _cap(row: int, raw: dict[str, str]) -> CapRecord:
    _required(raw, "household_ref", "cap")
    problems: list[tuple[str, str]] = []
    set_at = _cell(read_time, raw, "set_at", problems)
    data = _collect(problems, CapInput, {"cap": raw["cap"], "reason": raw["reason"]}, {})
    if problems or data is None:
        raise RowError(problems)
    return CapRecord(
        row,
        raw["household_ref"].upper(),
        data.cap,
        data.reason,
        raw.get("cap_ref", ""),
        raw.get("set_by", "").lower(),
        set_at,
    )


def _collect(
    problems: list[tuple[str, str]],
    model: type[M],
    values: dict[str, Any],
    columns: Mapping[str, str],
) -> M | None:
    """`model` built from `values`, or None with its cells' problems added to `problems`."""
    try:
        return validated(model, values, columns)
    except RowError as error:
        problems.extend(error.problems)
        return None


@cache
def _optional_columns(spec: FileSpec, header: tuple[str, ...]) -> frozenset[str]:
    """The optional columns of `spec` a header has (one set per header, not per row)."""
    return frozenset(name for name in spec.optional if name in header)


def file_rows(
    path: Path, spec: FileSpec, parsed: Parsed, encoding: str
) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number, {column: stripped cell}) for each data row; the file's problems go
    to `parsed.problems`, and a file that cannot be read to `parsed.unreadable`."""

    def report(row: int, line: int, reason: str, unreadable: bool) -> None:
        parsed.problems.append(Problem(spec.name, row, "", reason, line))
        if unreadable:
            parsed.unreadable.add(spec.name)

    codes = CODE_COLUMNS.get(spec.name, frozenset())
    for number, cells in read_rows(path, spec, encoding=encoding, report=report):
        yield (
            number,
            {name: cell.lower() if name in codes else cell for name, cell in cells.items()},
        )


def _lines(path: Path) -> int:
    with path.open("rb") as file:
        return sum(1 for _ in file)


def parse_directory(
    folder: Path,
    *,
    today: date,
    progress: Callable[[str, int, int], None] | None = None,
    encoding: str = DEFAULT_ENCODING,
) -> Parsed:
    """Every import file in `folder`, read and checked row by row (nothing is written).
    `progress(what, rows done, rows in all)` is told every few thousand rows; `encoding`
    is one of `reader.ENCODINGS`, that of the files without a byte-order mark."""
    parsed = Parsed()
    refused = folder_problems(folder)
    if refused:
        parsed.problems.extend(refused)
        parsed.unreadable.add(FOLDER)
        return parsed
    readers: list[tuple[FileSpec, list[Any], Callable[[int, dict[str, str]], Any]]] = [
        (USERS, parsed.users, read_user),
        (HOUSEHOLDS, parsed.households, _household),
        (PEOPLE, parsed.people, _person),
        (PLANS, parsed.plans, lambda row, raw: read_plan(row, raw, date_cell_value)),
        (GOALS, parsed.goals, read_goal),
        (READINGS, parsed.readings, _reading),
        (STEPS, parsed.steps, lambda row, raw: _step(row, raw, today)),
        (OUTCOMES, parsed.outcomes, _outcome),
        (CAPS, parsed.caps, _cap),
        (LEDGER, parsed.ledger, _spend),
    ]
    for spec, records, read in readers:
        path = folder / spec.name
        if not path.is_file():
            continue
        parsed.present.add(spec.name)
        named = parsed.named.setdefault(spec.name, set())
        key = {HOUSEHOLDS.name: "household_ref", PEOPLE.name: "person_ref"}.get(spec.name)
        total = _lines(path) - 1 if progress else 0
        for number, raw in file_rows(path, spec, parsed, encoding):
            if progress and number % PROGRESS_EVERY == 0:
                progress(f"Checking {spec.name}", number - 1, total)
            if key:
                named.add(raw[key].upper())
            parsed.user_refs.extend(
                (spec.name, number, column, raw[column].lower())
                for column in USER_COLUMNS
                if raw.get(column)
            )
            try:
                records.append(read(number, raw))
            except RowError as error:
                parsed.problems.extend(
                    Problem(spec.name, number, column, reason) for column, reason in error.problems
                )
        if progress:
            progress(f"Checking {spec.name}", total, total)
    return parsed
