"""Reading one import file as CRMs and spreadsheets really write them.

The text is UTF-8 unless the import is told `--encoding cp1252` (Windows-1252, what
Excel here saves as "CSV"); a file that begins with UTF-8's byte-order mark is UTF-8
whatever the option says, since the file itself says so. The encoding is never guessed:
a file that is not in the encoding named is reported once, with the first row and line
that is not, and what the file looks like instead (Windows-1252 text in a UTF-8 run, or
UTF-8 text in a Windows-1252 run); nothing is read from it.

A problem with the file as a whole (its encoding, columns separated by `;` or tabs,
its header, a cell that never ends) is reported once and ends the reading of that file;
a row with the wrong number of cells is reported and skipped. Rows are numbered as a
spreadsheet numbers them (the header is row 1); a quoted cell may hold line breaks, so
a problem names the line of the file where its row starts as well.
"""

from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from hiw_tui.domain.cells import read_back
from hiw_tui.transfer.files import FileSpec

ENCODINGS = ("utf-8", "cp1252")
"""What `--encoding` takes: UTF-8 (the default) and Windows-1252."""
DEFAULT_ENCODING = ENCODINGS[0]

Report = Callable[[int, int, str, bool], None]
"""report(row, line, reason, unreadable): row 0 for the file as a whole, line 0 when not
worth naming; `unreadable` when nothing more is read from the file."""

SAVE_AS_UTF8 = 'save it as "CSV UTF-8 (comma delimited)" and import again'
UNCLOSED = "a quoted cell starts in this row and is never closed"
_CHUNK = 1 << 20
_UTF16_MARKS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_UNDECODED = re.compile("[\udc80-\udcff]")
"""What `errors="surrogateescape"` turns an undecodable byte into."""
_NOT_ASCII = re.compile("[^\x00-\x7f]")
_LONG_RUN = re.compile(rb"[\x80-\xff]{4}")
"""Four non-ASCII bytes in a row: words of another script, not Windows-1252's accented
letters, pound signs and curly quotes, which sit one or two at a time among ASCII."""


class _Unreadable(Exception):
    """The file's one problem: nothing more is read from it."""

    def __init__(self, row: int, line: int, reason: str) -> None:
        super().__init__(reason)
        self.row, self.line, self.reason = row, line, reason


def read_rows(
    path: Path, spec: FileSpec, *, encoding: str, report: Report
) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number, {column: stripped cell}) for each data row of `path`, a file of
    `spec` in `encoding` (one of ENCODINGS); its problems go to `report`."""
    try:
        codec = _codec(path, encoding)
        with path.open(encoding=codec, newline="") as file:
            yield from _data_rows(file, spec, report)
    except _Unreadable as problem:
        report(problem.row, problem.line, problem.reason, True)


def _codec(path: Path, encoding: str) -> str:
    """The codec to read `path` with, once its bytes are known to be in it."""
    with path.open("rb") as file:
        start = file.read(len(codecs.BOM_UTF8))
    if start.startswith(_UTF16_MARKS):
        raise _Unreadable(0, 0, f'UTF-16 text (Excel\'s "Unicode Text"); {SAVE_AS_UTF8}')
    marked = start == codecs.BOM_UTF8
    codec = "utf-8-sig" if marked or encoding == "utf-8" else "cp1252"
    survey = _survey(path, skip=len(start) if marked else 0)
    if codec == "cp1252" and survey.utf8 and not survey.ascii:
        reason = (
            "UTF-8 text, not Windows-1252: import it without --encoding cp1252, or save it "
            'as "CSV UTF-8" (its byte-order mark is read as UTF-8 whatever --encoding says)'
        )
        raise _located(path, "utf-8", _NOT_ASCII, reason)
    if codec == "cp1252" and not survey.cp1252:
        reason = f"not Windows-1252 text; {SAVE_AS_UTF8} without --encoding cp1252"
        raise _located(path, codec, _UNDECODED, reason)
    if codec == "utf-8-sig" and not survey.utf8:
        reason = f"not UTF-8 text; {SAVE_AS_UTF8}"
        if not marked and survey.cp1252 and not survey.long_runs:
            reason = (
                'not UTF-8 text; it reads as Windows-1252 (Excel\'s "CSV"): '
                "import again with --encoding cp1252"
            )
        raise _located(path, codec, _UNDECODED, reason)
    return codec


@dataclass(frozen=True)
class _Survey:
    """What the bytes of a file say about its encoding."""

    utf8: bool
    cp1252: bool
    ascii: bool
    long_runs: bool


def _survey(path: Path, *, skip: int) -> _Survey:
    """One pass over the bytes after the first `skip`, a chunk at a time."""
    utf8 = codecs.getincrementaldecoder("utf-8")()
    cp1252 = codecs.getincrementaldecoder("cp1252")()
    is_utf8 = is_cp1252 = is_ascii = True
    long_runs = False
    tail = b""
    with path.open("rb") as file:
        file.seek(skip)
        while chunk := file.read(_CHUNK):
            is_ascii = is_ascii and chunk.isascii()
            if is_ascii:
                continue
            is_utf8 = is_utf8 and _decodes(utf8.decode, chunk)
            is_cp1252 = is_cp1252 and _decodes(cp1252.decode, chunk)
            long_runs = long_runs or bool(_LONG_RUN.search(tail + chunk))
            tail = chunk[-3:]
    is_utf8 = is_utf8 and _decodes(partial(utf8.decode, final=True), b"")
    return _Survey(is_utf8, is_cp1252, is_ascii, long_runs)


def _decodes(decode: Callable[[bytes], str], data: bytes) -> bool:
    try:
        decode(data)
    except UnicodeDecodeError:
        return False
    return True


class _Found(Exception):
    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


def _located(path: Path, codec: str, pattern: re.Pattern[str], reason: str) -> _Unreadable:
    """The file's problem, at the row and line where `pattern` is first found (without
    them when a row that cannot be read comes first)."""
    with path.open(encoding=codec, errors="surrogateescape", newline="") as file:
        rows = 0
        try:
            for _ in csv.reader(_watched(file, pattern)):
                rows += 1
        except _Found as found:
            return _Unreadable(rows + 1, found.line, reason)
        except csv.Error:
            pass
    return _Unreadable(0, 0, reason)


def _watched(lines: Iterable[str], pattern: re.Pattern[str]) -> Iterator[str]:
    for number, line in enumerate(lines, start=1):
        if pattern.search(line):
            raise _Found(number)
        yield line


class _Cells:
    """The rows of cells of a file, each with the line it starts on, and whether the
    lines ran out while reading one (a quoted cell never closed)."""

    def __init__(self, file: Iterable[str]) -> None:
        self._ended = False
        self._reader = csv.reader(self._lines(file))

    def _lines(self, file: Iterable[str]) -> Iterator[str]:
        yield from file
        self._ended = True

    def next(self, number: int) -> list[str] | None:
        """Row `number`'s cells, or None at the end of the file."""
        start = self._reader.line_num + 1
        try:
            cells = next(self._reader, None)
        except csv.Error as error:
            if "field limit" in str(error):
                limit = csv.field_size_limit()
                reason = f"a cell is longer than {limit:,} characters (an unclosed quote?)"
            else:
                reason = UNCLOSED if self._ended else f"not a CSV file ({error})"
            raise _Unreadable(number, start, reason) from None
        if cells is not None and self._ended:
            raise _Unreadable(number, start, UNCLOSED)
        return cells


def _data_rows(
    file: Iterable[str], spec: FileSpec, report: Report
) -> Iterator[tuple[int, dict[str, str]]]:
    rows = _Cells(file)
    # Column names as the format spells them, whatever their case ("Household_Ref").
    header = [cell.strip().lower() for cell in rows.next(1) or []]
    _check_header(header, spec)
    number = 2
    while (cells := rows.next(number)) is not None:
        if not any(cell.strip() for cell in cells):
            pass
        elif len(cells) != len(header):
            report(number, 0, f"{len(cells)} cells, but the header has {len(header)}", False)
        else:
            # Only the columns the header has: an optional column absent is not a blank one.
            yield (
                number,
                {name: read_back(cell.strip()) for name, cell in zip(header, cells, strict=True)},
            )
        number += 1


def _check_header(header: list[str], spec: FileSpec) -> None:
    if len(header) == 1:
        separator = max((";", "\t"), key=header[0].count)
        if separator in header[0]:
            named = "tabs" if separator == "\t" else f"{separator!r}"
            raise _Unreadable(
                0,
                0,
                f"the columns are separated by {named}, not commas; "
                "save it as CSV (comma delimited)",
            )
    problem = spec.header_problem(header)
    if problem:
        raise _Unreadable(1, 0, problem)
