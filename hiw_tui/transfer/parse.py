"""Reading the import files: every cell checked by the same rules as the forms.

Each row becomes a record, or one `Problem` per bad cell; every problem in every file is
collected, never just the first. Rows are numbered as a spreadsheet numbers them: the
header is row 1, the first data row row 2.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from hiw_tui.transfer.cell_checks import date_cell_value
from hiw_tui.transfer.files import (
    CAPS,
    CODE_COLUMNS,
    GOALS,
    HOUSEHOLDS,
    LEDGER,
    OUTCOMES,
    PEOPLE,
    PLANS,
    READINGS,
    STEPS,
    USER_COLUMNS,
    USERS,
    FileSpec,
)
from hiw_tui.transfer.ledger.records import CapRecord, LedgerRecord, read_cap, read_spend
from hiw_tui.transfer.manifest import folder_problems
from hiw_tui.transfer.plans import GoalRecord, PlanRecord, read_goal, read_plan
from hiw_tui.transfer.problems import FOLDER, Problem, RowError
from hiw_tui.transfer.reader import DEFAULT_ENCODING, read_rows
from hiw_tui.transfer.records import (
    HouseholdRecord,
    OutcomeRecord,
    PersonRecord,
    ReadingRecord,
    StepRecord,
    read_household,
    read_outcome,
    read_person,
    read_reading,
    read_step,
)
from hiw_tui.transfer.users import UserRecord, read_user

PROGRESS_EVERY = 5_000


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
        (HOUSEHOLDS, parsed.households, read_household),
        (PEOPLE, parsed.people, read_person),
        (PLANS, parsed.plans, lambda row, raw: read_plan(row, raw, date_cell_value)),
        (GOALS, parsed.goals, read_goal),
        (READINGS, parsed.readings, read_reading),
        (STEPS, parsed.steps, lambda row, raw: read_step(row, raw, today)),
        (OUTCOMES, parsed.outcomes, read_outcome),
        (CAPS, parsed.caps, read_cap),
        (LEDGER, parsed.ledger, read_spend),
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
