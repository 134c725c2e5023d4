"""Checking an import row's cells by the forms' rules: each bad cell a problem naming
its column, dates as YYYY-MM-DD or day-first DD/MM/YYYY."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from enum import StrEnum
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from hiw_tui.domain.dates import NotARealDate, TwoDigitYear, read_import_date
from hiw_tui.domain.validation import model_problems
from hiw_tui.transfer.files import (
    STAR_AREAS,
)
from hiw_tui.transfer.problems import RowError

M = TypeVar("M", bound=BaseModel)


def _reason(item: Mapping[str, Any]) -> str:
    """A pydantic error as a sentence about the cell."""
    kind, value = item["type"], item.get("input")
    message = str(item["msg"]).removeprefix("Value error, ")
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
            if not loc:  # a model-level rule: a problem a line, each naming its field
                message = str(item["msg"]).removeprefix("Value error, ")
                for name, said in model_problems(message):
                    problems.append((columns.get(name, name), _reason({**item, "msg": said})))
                continue
            column = next((part for part in reversed(loc) if part in STAR_AREAS), None)
            problems.append((column or columns.get(loc[0], loc[0]), _reason(item)))
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


def required(raw: Mapping[str, str], *columns: str) -> None:
    missing = [(column, "required") for column in columns if not raw[column]]
    if missing:
        raise RowError(missing)


def read_cell(
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


def code_reader(codes: type[StrEnum]) -> Callable[[str], str]:
    def read(cell: str) -> str:
        try:
            return codes(cell).value
        except ValueError:
            expected = ", ".join(repr(code.value) for code in codes)
            raise ValueError(f"{cell!r} is not a code here; expected {expected}") from None

    return read


def given_only(values: dict[str, Any]) -> dict[str, Any]:
    """Blank optional cells left out, so that they take their defaults."""
    return {name: value for name, value in values.items() if value not in ("", None)}


def collect(
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
