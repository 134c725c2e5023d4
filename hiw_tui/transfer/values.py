"""How a stored value is written in a cell of the files, and read back.

One way for each kind of value, used by every file: dates as YYYY-MM-DD; times as UTC
`YYYY-MM-DDTHH:MM:SS.ffffff+00:00`; yes/no; money in pounds with pence
(`12.50`); lists joined by `;`; usernames in lower case. A blank cell is "none" (or
the column's default). Written cells read back to the same value, so an export
imported and exported again is the same file.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from hiw_tui.domain.dates import as_utc
from hiw_tui.domain.money import decimal_pounds, parse_pounds

LIST_SEPARATOR = ";"
ERASED = "(erased)"
YES, NO = "yes", "no"


def date_cell(day: date | None) -> str:
    return day.isoformat() if day is not None else ""


def time_cell(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return as_utc(moment).astimezone(UTC).isoformat(timespec="microseconds")


def read_time(cell: str) -> datetime | None:
    """A time cell (with its zone; one without is UTC); ValueError for anything else."""
    if not cell:
        return None
    try:
        return as_utc(datetime.fromisoformat(cell)).astimezone(UTC)
    except ValueError:
        raise ValueError(f"{cell!r} is not a time (YYYY-MM-DDTHH:MM:SS+00:00)") from None


def flag_cell(value: bool) -> str:
    return YES if value else NO


def read_flag(cell: str, default: bool = False) -> bool:
    """yes/no (also true/false, 1/0, y/n, any case); blank is the default."""
    folded = cell.strip().lower()
    if not folded:
        return default
    if folded in (YES, "y", "true", "1"):
        return True
    if folded in (NO, "n", "false", "0"):
        return False
    raise ValueError(f"{cell!r} is not yes or no")


def pounds_cell(pence: int | None) -> str:
    return decimal_pounds(pence) if pence is not None else ""


def read_pounds(cell: str) -> int | None:
    return parse_pounds(cell) if cell else None


def list_cell(items: Any) -> str:
    return LIST_SEPARATOR.join(sorted(str(item) for item in items))


def read_list(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(LIST_SEPARATOR) if part.strip()]


def kept_text(text: str) -> str:
    """A text the forms require, as written: one an erasure emptied is `ERASED`, so the
    row of an erased person still imports (and exports again the same)."""
    return text or ERASED


def as_held(row: Any, values: dict[str, Any]) -> dict[str, Any]:
    """`values` for a row held, less the texts `kept_text` wrote for what it holds empty."""
    return {
        name: value
        for name, value in values.items()
        if not (value == ERASED and getattr(row, name, None) == "")
    }
