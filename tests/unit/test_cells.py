"""Every CSV and XLSX the app writes holds values, never formulas, and the import reads
each text back as it was: the export, the reports, and the cells rule itself."""

from __future__ import annotations

import codecs
import csv
import io
import shutil
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import text

from hiw_tui.db.core.engine import Database
from hiw_tui.domain.cells import FORMULA_STARTS, CellWriter, neutralised, read_back
from hiw_tui.domain.counting import Period
from hiw_tui.reports.formats import write_csv, write_xlsx
from hiw_tui.reports.tables import Report, Table
from hiw_tui.transfer.export import export_directory
from hiw_tui.transfer.files import PEOPLE
from hiw_tui.transfer.reader import read_rows
from tests.helpers.database import sqlite_copy
from tests.helpers.dataset import DATASET, run_import
from tests.helpers.staff import add_staff

DANGEROUS = (
    '=HYPERLINK("http://evil.example","Click")',
    "+44 7700",
    "-x",
    "@SUM(A1:A9)",
    "\tx",
    "\rx",
    "'quoted",
    "'=quoted formula",
    "''@twice",
)
NAMES = DANGEROUS[:4] + DANGEROUS[6:]
"""What a name can hold: the app folds tabs and carriage returns out of names."""


def formula_like(cell: str) -> bool:
    """A cell a spreadsheet could run: a formula start that is not a plain number."""
    try:
        float(cell)
    except ValueError:
        return cell.startswith(FORMULA_STARTS)
    return False


@pytest.mark.parametrize("value", [*DANGEROUS, "-5.00", "+3", "Ann", "'", "", "=", "'-5"])
def test_a_text_reads_back_as_it_was_written(value: str) -> None:
    written = neutralised(value)
    assert read_back(written) == value
    assert not formula_like(written)


def test_plain_numbers_stay_numbers() -> None:
    assert neutralised("-5.00") == "-5.00"  # a reversal: a spreadsheet reads a number
    assert neutralised("-5.00x") == "'-5.00x"


def test_a_csv_cell_round_trips_through_the_import_reader(tmp_path: Path) -> None:
    path = tmp_path / PEOPLE.name
    with path.open("w", newline="", encoding="utf-8-sig") as file:
        writer = CellWriter(file)
        writer.writerow(PEOPLE.columns)
        for value in DANGEROUS:
            writer.writerow([value] * len(PEOPLE.columns))
    with path.open(newline="", encoding="utf-8-sig") as file:
        assert not any(formula_like(cell) for row in csv.reader(file) for cell in row)
    reported: list[str] = []
    rows = read_rows(path, PEOPLE, encoding="utf-8", report=lambda *p: reported.append(p[2]))
    read = [raw["given_name"] for _, raw in rows]
    assert reported == [] and read == list(DANGEROUS)


def _people(database: Database) -> dict[str, tuple[str, str]]:
    with database.engine.connect() as connection:
        rows = connection.execute(text("SELECT reference, given_name, family_name FROM person"))
        return {reference: (given, family) for reference, given, family in rows}


def test_export_then_import_keeps_names_that_look_like_formulas(
    sqlite_database: Database, sqlite_template: Path, tmp_path: Path
) -> None:
    crm = tmp_path / "crm"
    shutil.copytree(DATASET, crm)
    with (crm / PEOPLE.name).open(newline="", encoding="utf-8") as file:
        rows = list(csv.reader(file))
    for row, name in zip(rows[1:], NAMES, strict=False):
        row[3], row[4] = name, name[::-1]
    with (crm / PEOPLE.name).open("w", newline="", encoding="utf-8") as file:
        CellWriter(file).writerows(rows)  # quoted as the app quotes
    staff = add_staff(sqlite_database)
    assert run_import(sqlite_database, staff.manager, crm).problems == []
    held = _people(sqlite_database)
    assert {given for given, _ in held.values()} >= set(NAMES)

    exported = tmp_path / "export"
    sqlite_database.write(export_directory, actor=staff.manager, folder=exported)
    for name in ("households.csv", "people.csv", "steps.csv", "outcomes.csv", "ledger.csv"):
        raw = (exported / name).read_bytes()
        assert raw.startswith(codecs.BOM_UTF8), name
        cells = [cell for row in csv.reader(io.StringIO(raw.decode("utf-8-sig"))) for cell in row]
        assert not [cell for cell in cells if formula_like(cell)], name

    (tmp_path / "empty").mkdir()
    empty = sqlite_copy(sqlite_template, tmp_path / "empty")
    result = run_import(empty, add_staff(empty).manager, exported)
    assert result.problems == [] and result.written
    assert _people(empty) == held
    empty.dispose()


def _report() -> Report:
    headings = ("name", "amount")
    rows: list[tuple[str | int | float | None, ...]] = [(v, -500) for v in DANGEROUS]
    flat = Table("Names", headings, rows)
    return Report("names", "Names", Period(date(2026, 3, 31)), [flat], flat, {})


def test_a_report_csv_holds_no_formula() -> None:
    out = io.StringIO()
    write_csv(_report(), out)
    cells = list(csv.reader(io.StringIO(out.getvalue())))
    assert [read_back(row[0]) for row in cells[1:]] == list(DANGEROUS)
    assert not any(formula_like(cell) for row in cells for cell in row)


def test_a_report_workbook_holds_no_formula(tmp_path: Path) -> None:
    path = tmp_path / "names.xlsx"
    with path.open("wb") as out:
        write_xlsx(_report(), out, made_by="=cmd|' /C calc'!A0", today=date(2026, 4, 1))
    book = load_workbook(path)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", cell.coordinate
                if isinstance(cell.value, str):
                    assert not formula_like(cell.value), (cell.coordinate, cell.value)
    names = [row[0].value for row in book["names"].iter_rows(min_row=2)]
    # XML reads a carriage return as a line feed: a workbook cannot keep one.
    assert [read_back(str(name)) for name in names] == [v.replace("\r", "\n") for v in DANGEROUS]
    assert [row[1].value for row in book["names"].iter_rows(min_row=2)] == [-500] * 9
