"""Spreadsheet cells that are values, never formulas: the one rule every CSV and XLSX the
app writes follows, and the import reads back.

A spreadsheet runs a cell that begins with `=`, `+`, `-` or `@` as a formula (and a tab,
carriage return or line feed in front of one hides it), so a name like `=HYPERLINK(...)` typed into
a record could run on the machine of whoever opens an export. A text cell that begins
with one of those characters is written with a single quote in front (OWASP's advice),
which a spreadsheet shows as text. So that a text that really begins with a quote comes
back whole, the quote is also added when the text is one or more quotes followed by one
of those characters; reading strips exactly one leading quote where the rest is such a
text, and leaves every other cell as it is.

A plain number (`-5.00`, `+3`, `1e3`) is not quoted: a spreadsheet reads it as a number,
which runs nothing, and the import reads a negative amount as a reversal. Numbers that
are numbers (ints and floats) are written as numbers in XLSX, never as text.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import IO, Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
"""What a spreadsheet may take as the start of a formula (a line feed too: a workbook
reads a carriage return back as one)."""

QUOTE = "'"

_NUMBER = re.compile(r"[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?")


def _needs_quote(text: str) -> bool:
    rest = text.lstrip(QUOTE)
    return rest.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(rest)


def neutralised(text: str) -> str:
    """`text` as a cell a spreadsheet will show and never run."""
    return QUOTE + text if _needs_quote(text) else text


def read_back(cell: str) -> str:
    """The text a cell written by `neutralised` holds: its one added quote removed."""
    if cell.startswith(QUOTE) and _needs_quote(cell[1:]):
        return cell[1:]
    return cell


def safe_row(row: Iterable[Any]) -> list[Any]:
    """A row with each text cell `neutralised`; numbers, dates and blanks as they are."""
    return [neutralised(cell) if isinstance(cell, str) else cell for cell in row]


class CellWriter:
    """A `csv.writer` whose every text cell is `neutralised`."""

    def __init__(self, out: IO[str]) -> None:
        self._writer = csv.writer(out)

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow(safe_row(row))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)
